/**
 * Which points of a long curve to draw: every k-th, and always the last, so a chart of a run of
 * any length draws at most about `max` points. Drawing costs as many points as it is given;
 * without thinning, the curves of a playground left training for minutes (tens of thousands of
 * epochs) took longer to redraw every minute, until frames took over 100 ms.
 */
export function thinnedIndices(n: number, max: number): number[] {
  const stride = Math.max(1, Math.ceil(n / max));
  const out: number[] = [];
  for (let i = 0; i < n; i += stride) out.push(i);
  if (n > 0 && out.at(-1) !== n - 1) out.push(n - 1);
  return out;
}
