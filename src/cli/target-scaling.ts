/**
 * A regression target trains best at mean 0, std 1, but people read errors and predictions
 * in the target's units (miles per gallon, euros). Training sees (y - mean) / std; once it
 * ends, the output layer (linear) absorbs the inverse: W' = W·std, b' = b·std + mean. The
 * saved model, its exports and every figure computed from it are then in the target's units,
 * with nothing to remember at prediction time.
 */
import { Dense, Tensor, type Sequential } from '../node.js';
import type { Preprocessing } from './data-source.js';

/** Undo the target scaling inside the model's output layer; no-op when the target was not scaled. */
export function foldTargetScaling(model: Sequential, pre: Preprocessing): void {
  const scaling = pre.targetScaling;
  if (scaling === null || scaling === undefined) return;
  const last = model.layers.at(-1);
  if (!(last instanceof Dense) || last.activation !== 'linear' || last.kernel === null || last.bias === null) {
    throw new Error('foldTargetScaling: the target was scaled but the output layer is not a linear Dense layer');
  }
  const kernel = last.kernel.data;
  for (let i = 0; i < kernel.length; i++) kernel[i] = kernel[i]! * scaling.std;
  const bias = last.bias.data;
  for (let i = 0; i < bias.length; i++) bias[i] = bias[i]! * scaling.std + scaling.mean;
}

/** The inverse of foldTargetScaling: the output layer back in standard units (to continue training elsewhere). */
export function unfoldTargetScaling(model: Sequential, pre: Preprocessing): void {
  const scaling = pre.targetScaling;
  if (scaling === null || scaling === undefined) return;
  const last = model.layers.at(-1);
  if (!(last instanceof Dense) || last.kernel === null || last.bias === null) return;
  const kernel = last.kernel.data;
  for (let i = 0; i < kernel.length; i++) kernel[i] = kernel[i]! / scaling.std;
  const bias = last.bias.data;
  for (let i = 0; i < bias.length; i++) bias[i] = (bias[i]! - scaling.mean) / scaling.std;
}

/** Targets in the standard units training uses, (y - mean) / std; y itself when the target was not scaled. */
export function scaledTargets(y: Tensor, pre: Preprocessing): Tensor {
  const scaling = pre.targetScaling;
  if (scaling === null || scaling === undefined) return y;
  return new Tensor(Float32Array.from(y.data, (v) => (v - scaling.mean) / scaling.std), y.shape);
}
