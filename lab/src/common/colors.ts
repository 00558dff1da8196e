/**
 * Colours safe for colour-blind readers: the Okabe–Ito palette for classes and series, and
 * viridis (perceptually uniform, readable in grey and with every common colour deficiency)
 * for heatmaps. Classes also differ by marker shape, so colour is never the only cue.
 */
export type RGB = readonly [number, number, number];

export const okabeIto = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  sky: '#56B4E9',
  yellow: '#F0E442',
  black: '#000000',
} as const;

/** Class k's colour. */
export const classColors = [okabeIto.blue, okabeIto.orange, okabeIto.green, okabeIto.vermillion, okabeIto.purple, okabeIto.sky, okabeIto.yellow, okabeIto.black];
export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';
export const classMarkers: MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];

export function classColor(k: number): string {
  return classColors[k % classColors.length]!;
}

export function classMarker(k: number): MarkerShape {
  return classMarkers[k % classMarkers.length]!;
}

export function hexToRgb(hex: string): RGB {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** a + (b − a)·t per channel. */
export function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

// Polynomial fit of matplotlib's viridis (a public-domain approximation, error < 1/255 per channel).
const VIRIDIS = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
] as const;

/** viridis(t) for t in [0, 1] as 0–255 channels: dark purple (low) to yellow (high). */
export function viridis(t: number): RGB {
  const x = Math.min(1, Math.max(0, t));
  const channel = (c: 0 | 1 | 2): number => {
    let v = 0;
    for (let i = VIRIDIS.length - 1; i >= 0; i--) v = v * x + VIRIDIS[i]![c];
    return Math.round(255 * Math.min(1, Math.max(0, v)));
  };
  return [channel(0), channel(1), channel(2)];
}

export const white: RGB = [255, 255, 255];
