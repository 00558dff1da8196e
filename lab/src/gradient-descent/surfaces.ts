/**
 * Loss surfaces over two parameters (w₁, w₂). Each loss is written once with the engine's ops:
 * the heatmap evaluates it on a whole grid of points at once, and the optimizer's path
 * evaluates it at one point with gradients (backpropagation through the same ops).
 */
import { add, exp, mean, mul, square, sub, type Tensor } from '../../../src/index.js';
import type { MessageKey } from '../common/i18n.js';
import { autoMpg } from './auto-mpg.js';

export type SurfaceId = 'bowl' | 'valley' | 'saddle' | 'banana' | 'wells' | 'autompg';

export interface Batch {
  /** Inputs and targets of the samples in this batch, [B, 1] each. */
  x: Tensor;
  y: Tensor;
}

export interface Surface {
  id: SurfaceId;
  label: MessageKey;
  about: MessageKey;
  /** Plotted region: [min, max] of w₁ (horizontal) and of w₂ (vertical). */
  domain: readonly [readonly [number, number], readonly [number, number]];
  start: readonly [number, number];
  /** A learning rate that converges with plain gradient descent. */
  learningRate: number;
  /** Names of the two parameters. */
  axes: readonly [string, string];
  /**
   * L(w₁, w₂) elementwise. w₁ and w₂ have shape [P, 1] (P points); the result is [P] or [P, 1].
   * For a model fitted to data, `batch` selects the samples (all of them when omitted).
   */
  loss(w1: Tensor, w2: Tensor, batch?: Batch): Tensor;
  /** Samples for batch / mini-batch / stochastic descent (only the data-fitted surface has them). */
  data?: Batch;
}

/** exp(−((w₁−a)² + (w₂−b)²) / (2s²)): a round well for the surface with several minima. */
function well(w1: Tensor, w2: Tensor, a: number, b: number, s: number): Tensor {
  return exp(mul(add(square(sub(w1, a)), square(sub(w2, b))), -1 / (2 * s * s)));
}

export const surfaces: Record<SurfaceId, Surface> = {
  bowl: {
    id: 'bowl',
    label: 'gd.surface.bowl',
    about: 'gd.surface.bowl.about',
    domain: [[-3, 3], [-3, 3]],
    start: [-2.5, 2],
    learningRate: 0.1,
    axes: ['w₁', 'w₂'],
    loss: (w1, w2) => add(square(w1), square(w2)),
  },
  valley: {
    id: 'valley',
    label: 'gd.surface.valley',
    about: 'gd.surface.valley.about',
    domain: [[-3, 3], [-1.5, 1.5]],
    start: [-2.8, 1.2],
    learningRate: 0.05,
    axes: ['w₁', 'w₂'],
    // Curvature 1 along w₁ and 20 along w₂: a step that suits one direction is wrong for the other.
    loss: (w1, w2) => add(mul(square(w1), 0.5), mul(square(w2), 10)),
  },
  saddle: {
    id: 'saddle',
    label: 'gd.surface.saddle',
    about: 'gd.surface.saddle.about',
    domain: [[-2.5, 2.5], [-2.5, 2.5]],
    start: [-2.2, 0.05],
    learningRate: 0.05,
    axes: ['w₁', 'w₂'],
    // w₁² − w₂² is a saddle at the origin; the w₂⁴ term adds two minima at w₂ = ±√2.
    loss: (w1, w2) => add(sub(square(w1), square(w2)), mul(square(square(w2)), 0.25)),
  },
  banana: {
    id: 'banana',
    label: 'gd.surface.banana',
    about: 'gd.surface.banana.about',
    domain: [[-2, 2], [-1, 3]],
    start: [-1.5, 2.5],
    learningRate: 0.01,
    axes: ['w₁', 'w₂'],
    // Rosenbrock's function with a gentler wall (10 instead of 100): minimum at (1, 1).
    loss: (w1, w2) => add(square(sub(1, w1)), mul(square(sub(w2, square(w1))), 10)),
  },
  wells: {
    id: 'wells',
    label: 'gd.surface.wells',
    about: 'gd.surface.wells.about',
    domain: [[-3, 3], [-3, 3]],
    start: [-2.6, 2.6],
    learningRate: 0.1,
    axes: ['w₁', 'w₂'],
    // A wide bowl with three wells of different depths: which minimum you reach depends on where you start.
    loss: (w1, w2) =>
      sub(
        mul(add(square(w1), square(w2)), 0.15),
        add(add(mul(well(w1, w2, 1.2, 0.8, 0.6), 1.5), mul(well(w1, w2, -1.3, -1.0, 0.5), 1.0)), mul(well(w1, w2, -0.9, 1.4, 0.45), 0.9)),
      ),
  },
  autompg: {
    id: 'autompg',
    label: 'gd.surface.autompg',
    about: 'gd.surface.autompg.about',
    domain: [[-2.5, 1.5], [-2, 2]],
    start: [1, 1.5],
    learningRate: 0.1,
    axes: ['w', 'b'],
    data: { x: autoMpg.x, y: autoMpg.y },
    // The model ŷ = w·x + b fitted with MSE: for P points (w, b) and B samples, [P, B] predictions.
    loss: (w, b, batch = { x: autoMpg.x, y: autoMpg.y }) => {
      const xRow = batch.x.reshape([1, -1]);
      const yRow = batch.y.reshape([1, -1]);
      return mean(square(sub(add(mul(w, xRow), b), yRow)), 1);
    },
  },
};

export const surfaceIds = Object.keys(surfaces) as SurfaceId[];
