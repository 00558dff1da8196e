/** Reductions: sum, mean and max over any axes, with keepDims. */
import { record } from '../autograd/graph.js';
import { kernels } from '../backends/registry.js';
import { ValueError, formatShape } from '../errors.js';
import { Tensor, allocate, sizeOf, type FloatArray } from '../tensor/tensor.js';
import { normalizeAxes, reducedShape } from './util.js';

export type Axis = number | readonly number[];

/** Spread a reduced gradient (keepDims layout) back over the input's shape. */
function expand(g: FloatArray, keptShape: readonly number[], x: Tensor, scale = 1): FloatArray {
  const out = allocate(x.dtype, x.size);
  kernels(out, g).binary('add', out, x.shape, g, keptShape, out, x.shape);
  if (scale !== 1) for (let i = 0; i < out.length; i++) out[i]! *= scale;
  return out;
}

export function sum(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes('sum', axis, x.rank);
  const kept = reducedShape(x.shape, axes, true);
  const out = allocate(x.dtype, sizeOf(kept));
  kernels(x.data).reduce('sum', x.data, x.shape, axes, out);
  return record(out, reducedShape(x.shape, axes, keepDims), 'sum', [x], (g) => [expand(g, kept, x)]);
}

export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes('mean', axis, x.rank);
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  if (count === 0) throw new ValueError(`mean: cannot average over an empty axis of shape ${formatShape(x.shape)}`);
  const kept = reducedShape(x.shape, axes, true);
  const out = allocate(x.dtype, sizeOf(kept));
  kernels(x.data).reduce('sum', x.data, x.shape, axes, out);
  for (let i = 0; i < out.length; i++) out[i]! /= count;
  return record(out, reducedShape(x.shape, axes, keepDims), 'mean', [x], (g) => [expand(g, kept, x, 1 / count)]);
}

/** Largest value over the axes. The gradient goes to the maxima (split evenly between ties). */
export function max(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes('max', axis, x.rank);
  if (axes.some((a) => x.shape[a] === 0)) throw new ValueError(`max: cannot take the max over an empty axis of shape ${formatShape(x.shape)}`);
  const kept = reducedShape(x.shape, axes, true);
  const out = allocate(x.dtype, sizeOf(kept));
  kernels(x.data).reduce('max', x.data, x.shape, axes, out);
  return record(out, reducedShape(x.shape, axes, keepDims), 'max', [x], (g) => {
    const m = expand(out, kept, x);
    const mask = allocate(x.dtype, x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = x.data[i] === m[i] ? 1 : 0;
    const ties = allocate(x.dtype, out.length);
    kernels(mask).reduce('sum', mask, x.shape, axes, ties);
    const share = allocate(x.dtype, out.length);
    for (let i = 0; i < share.length; i++) share[i] = g[i]! / ties[i]!;
    const spread = expand(share, kept, x);
    for (let i = 0; i < spread.length; i++) spread[i]! *= mask[i]!;
    return [spread];
  });
}
