/**
 * Taking rows (samples) out of a data tensor. Data pipelines copy values and never record
 * autograd history: a batch is an input to the model, not a result of the model.
 */
import { noGrad } from '../autograd/graph.js';
import { ShapeError, formatShape } from '../errors.js';
import { gatherRows, slice } from '../ops/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Rows of `t` at `indices`, in that order, as a fresh tensor with no graph. */
export function takeRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  return noGrad(() => gatherRows(t, indices));
}

/** Rows start..end-1 of `t` as a fresh tensor with no graph (a plain memory copy). */
export function takeRange(t: Tensor, start: number, end: number): Tensor {
  return noGrad(() => slice(t, start, end));
}

/** The number of samples (rows, axis 0) of a data tensor. */
export function numRows(t: Tensor, where: string, name: string): number {
  if (t.rank < 1) {
    throw new ShapeError(`${where}: ${name} must have a sample axis (shape [N, ...]), got a scalar of shape ${formatShape(t.shape)}`);
  }
  return t.shape[0]!;
}
