/**
 * A loss and its derivative along a range of predictions, from the engine: one batched
 * evaluation with reduction 'none' (one loss per prediction), then one backward pass.
 */
import { full, sum, tensor, type Tensor } from '../../../src/index.js';

export type PerSampleLoss = (yTrue: Tensor, yPred: Tensor) => Tensor;

export interface LossCurve {
  values: Float32Array;
  slopes: Float32Array;
}

/** L(y, ŷ) and dL/dŷ at every ŷ in `predictions`, for a fixed true value y. */
export function lossCurve(loss: PerSampleLoss, y: number, predictions: ArrayLike<number>): LossCurve {
  const n = predictions.length;
  const yPred = tensor(Float32Array.from(predictions), [n, 1], { requiresGrad: true });
  const perSample = loss(full([n, 1], y), yPred);
  // Each sample's loss depends only on its own ŷ, so the gradient of the sum is every dL/dŷ at once.
  sum(perSample).backward();
  return { values: Float32Array.from(perSample.data), slopes: Float32Array.from(yPred.grad!.data) };
}

/** n evenly spaced values from a to b. */
export function linspace(a: number, b: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}
