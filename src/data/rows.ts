/**
 * Taking rows (samples) out of a data tensor. Data pipelines copy values and never record
 * autograd history: a batch is an input to the model, not a result of the model.
 */
import { noGrad } from '../autograd/graph.js';
import { ShapeError, formatShape } from '../errors.js';
import { gatherRows, slice } from '../ops/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Rows of `t` at `indices`, in that order, as a fresh tensor with no graph. */
export function takeRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  return noGrad(() => gatherRows(t, indices));
}

/**
 * Rows start..end-1 of `t` without copying them: a tensor over the same memory (rows of a
 * row-major tensor are one contiguous block). For data that is only read afterwards, such as
 * fit's validation split of a large training matrix, which a copy would double; a change to
 * either tensor's values shows in the other. A tensor with a graph is copied as takeRange does.
 */
export function viewRows(t: Tensor, start: number, end: number): Tensor {
  const n = numRows(t, 'viewRows', 't');
  if (t.requiresGrad || !(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= n)) return takeRange(t, start, end);
  const row = n === 0 ? 0 : t.size / n;
  return new Tensor(t.data.subarray(start * row, end * row), [end - start, ...t.shape.slice(1)]);
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
