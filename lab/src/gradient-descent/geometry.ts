/**
 * Where a surface is drawn, and how its path fades (pure, so a test can check both).
 *
 * One unit of w₁ is as many pixels as one unit of w₂: with equal scales a round bowl is drawn
 * round and −∇L is drawn perpendicular to the contour lines, as it is on the surface itself.
 */

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The largest box inside `area` with the domain's proportions, centred in it. */
export function equalAspectBox(domain: readonly [readonly [number, number], readonly [number, number]], area: Box): Box {
  const spanX = domain[0][1] - domain[0][0];
  const spanY = domain[1][1] - domain[1][0];
  const pixelsPerUnit = Math.min(area.width / spanX, area.height / spanY);
  const width = spanX * pixelsPerUnit;
  const height = spanY * pixelsPerUnit;
  return { left: area.left + (area.width - width) / 2, top: area.top + (area.height - height) / 2, width, height };
}

/** The most recent steps drawn at full strength; older ones fade towards FADED. */
export const RECENT_STEPS = 60;
export const FADED = 0.12;

/**
 * Opacity of the segment that ends at step k of n: recent steps are solid, older ones fade
 * with age, so a long path reads as its last stretch instead of a scribble.
 */
export function stepOpacity(k: number, n: number): number {
  const age = n - 1 - k;
  if (age < RECENT_STEPS) return 1;
  return Math.max(FADED, Math.pow(0.5, (age - RECENT_STEPS) / RECENT_STEPS));
}
