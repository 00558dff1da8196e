/**
 * The loss surface as a picture: the loss on a grid of (w₁, w₂) points (one batched
 * evaluation with the engine), coloured with viridis, with contour lines by marching squares.
 */
import { noGrad, tensor } from '../../../src/index.js';
import { viridis } from '../common/colors.js';
import type { Surface } from './surfaces.js';

export interface LossGrid {
  /** Points per side. */
  size: number;
  /** values[j * size + i] = L at column i (w₁) and row j (w₂, from the bottom). */
  values: Float32Array;
  min: number;
  max: number;
  /** Where the lowest grid value is. */
  argmin: [number, number];
}

export function lossGrid(surface: Surface, size: number): LossGrid {
  const [[a0, a1], [b0, b1]] = surface.domain;
  const n = size * size;
  const w1 = new Float32Array(n);
  const w2 = new Float32Array(n);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      w1[j * size + i] = a0 + ((a1 - a0) * i) / (size - 1);
      w2[j * size + i] = b0 + ((b1 - b0) * j) / (size - 1);
    }
  }
  const values = noGrad(() => surface.loss(tensor(w1, [n, 1]), tensor(w2, [n, 1]))).data as Float32Array;
  let min = Infinity;
  let max = -Infinity;
  let best = 0;
  for (let k = 0; k < n; k++) {
    if (values[k]! < min) {
      min = values[k]!;
      best = k;
    }
    if (values[k]! > max) max = values[k]!;
  }
  return { size, values: Float32Array.from(values), min, max, argmin: [w1[best]!, w2[best]!] };
}

/** Loss → [0, 1] on a log scale above the minimum, so both the rim and the bottom show detail. */
function shade(grid: LossGrid): (v: number) => number {
  const top = Math.log1p(grid.max - grid.min);
  return (v) => Math.log1p(Math.max(0, v - grid.min)) / top;
}

/** The heatmap image (one pixel per grid point; the canvas scales it smoothly). */
export function heatmapImage(grid: LossGrid): HTMLCanvasElement {
  const { size, values } = grid;
  const image = new ImageData(size, size);
  const level = shade(grid);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const [r, g, b] = viridis(level(values[j * size + i]!));
      // Row j counts from the bottom (w₂ grows upwards); image rows count from the top.
      const p = ((size - 1 - j) * size + i) * 4;
      image.data[p] = r;
      image.data[p + 1] = g;
      image.data[p + 2] = b;
      image.data[p + 3] = 255;
    }
  }
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  return canvas;
}

/** Contour segments in grid coordinates (i, j as fractions), at `levels` evenly spaced shades. */
export function contourSegments(grid: LossGrid, levels = 12): [number, number, number, number][] {
  const { size, values } = grid;
  const level = shade(grid);
  const shaded = Float32Array.from(values, level);
  const segments: [number, number, number, number][] = [];
  for (let l = 1; l < levels; l++) {
    const c = l / levels;
    for (let j = 0; j < size - 1; j++) {
      for (let i = 0; i < size - 1; i++) {
        const v00 = shaded[j * size + i]!;
        const v10 = shaded[j * size + i + 1]!;
        const v01 = shaded[(j + 1) * size + i]!;
        const v11 = shaded[(j + 1) * size + i + 1]!;
        // Where the level crosses each cell edge (linear interpolation), then join crossings in pairs.
        const crossings: [number, number][] = [];
        const edge = (va: number, vb: number, xa: number, ya: number, xb: number, yb: number): void => {
          if ((va < c) !== (vb < c)) {
            const t = (c - va) / (vb - va);
            crossings.push([xa + (xb - xa) * t, ya + (yb - ya) * t]);
          }
        };
        edge(v00, v10, i, j, i + 1, j);
        edge(v10, v11, i + 1, j, i + 1, j + 1);
        edge(v11, v01, i + 1, j + 1, i, j + 1);
        edge(v01, v00, i, j + 1, i, j);
        for (let k = 0; k + 1 < crossings.length; k += 2) {
          segments.push([crossings[k]![0], crossings[k]![1], crossings[k + 1]![0], crossings[k + 1]![1]]);
        }
      }
    }
  }
  return segments;
}
