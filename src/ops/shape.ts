/** Ops that move values without arithmetic: reshape, flatten, transpose, slice, gatherRows, concat. */
import { record } from '../autograd/graph.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import { Tensor, allocate, sizeOf } from '../tensor/tensor.js';
import { normalizeAxes, resultDType } from './util.js';

/** Same values, new shape; one dimension may be -1 (inferred). Shares no state with x's graph. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = [...shape];
  const unknown = target.indexOf(-1);
  if (unknown !== target.lastIndexOf(-1)) throw new ShapeError(`reshape: only one dimension can be -1, got ${formatShape(shape)}`);
  if (unknown >= 0) {
    const known = sizeOf(target.filter((_, i) => i !== unknown));
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(`reshape: cannot infer -1 in ${formatShape(shape)} for ${x.size} values (shape ${formatShape(x.shape)})`);
    }
    target[unknown] = x.size / known;
  }
  if (sizeOf(target) !== x.size || target.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`reshape: cannot reshape ${formatShape(x.shape)} (${x.size} values) into ${formatShape(shape)}`);
  }
  return record(x.data, target, 'reshape', [x], (g) => [g]);
}

/** [N, ...] to [N, product of the rest]. */
export function flatten(x: Tensor): Tensor {
  if (x.rank < 1) throw new ShapeError('flatten: needs at least one axis (the batch)');
  return reshape(x, [x.shape[0]!, -1]);
}

/** Permute axes (default: reverse them, so a matrix is transposed). Copies the values. */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const rank = x.rank;
  const p = perm ? [...perm] : Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (p.length !== rank || normalizeAxes('transpose', p, rank).length !== rank) {
    throw new ShapeError(`transpose: permutation [${p.join(', ')}] is not a permutation of the ${rank} axes of ${formatShape(x.shape)}`);
  }
  const axes = p.map((a) => (a < 0 ? a + rank : a));
  const outShape = axes.map((a) => x.shape[a]!);
  const out = permute(x.data, x.shape, axes, allocate(x.dtype, x.size));
  const inverse = new Array<number>(rank);
  axes.forEach((a, i) => (inverse[a] = i));
  return record(out, outShape, 'transpose', [x], (g) => [permute(g, outShape, inverse, allocate(x.dtype, x.size))]);
}

function permute<T extends Float32Array | Float64Array>(data: Float32Array | Float64Array, shape: readonly number[], axes: readonly number[], out: T): T {
  const rank = shape.length;
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    inStrides[d] = s;
    s *= shape[d]!;
  }
  const outShape = axes.map((a) => shape[a]!);
  const strides = axes.map((a) => inStrides[a]!);
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = data[src]!;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      src += strides[d]!;
      if (index[d]! < outShape[d]!) break;
      src -= strides[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

/** Indices start..end-1 along `axis` (default 0: a range of samples, i.e. a batch). */
export function slice(x: Tensor, start: number, end: number, axis = 0): Tensor {
  const [ax] = normalizeAxes('slice', axis, x.rank);
  const n = x.shape[ax!]!;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
    throw new ShapeError(`slice: range [${start}, ${end}) is outside axis ${ax} of size ${n} (shape ${formatShape(x.shape)})`);
  }
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = sizeOf(x.shape.slice(ax! + 1));
  const len = end - start;
  const outShape = [...x.shape];
  outShape[ax!] = len;
  const out = allocate(x.dtype, outer * len * inner);
  for (let o = 0; o < outer; o++) {
    out.set(x.data.subarray((o * n + start) * inner, (o * n + end) * inner), o * len * inner);
  }
  return record(out, outShape, 'slice', [x], (g) => {
    const dx = allocate(x.dtype, x.size);
    for (let o = 0; o < outer; o++) dx.set(g.subarray(o * len * inner, (o + 1) * len * inner), (o * n + start) * inner);
    return [dx];
  });
}

/** Rows of x (axis 0) at the given indices, in that order: how a shuffled batch is taken. */
export function gatherRows(x: Tensor, indices: ArrayLike<number>): Tensor {
  if (x.rank < 1) throw new ShapeError('gatherRows: needs a tensor with at least one axis');
  const n = x.shape[0]!;
  const row = x.size / Math.max(n, 1);
  const count = indices.length;
  const out = allocate(x.dtype, count * row);
  for (let i = 0; i < count; i++) {
    const r = indices[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= n) {
      throw new ValueError(`gatherRows: index ${r} (position ${i}) is out of range for ${n} rows`);
    }
    out.set(x.data.subarray(r * row, (r + 1) * row), i * row);
  }
  return record(out, [count, ...x.shape.slice(1)], 'gatherRows', [x], (g) => {
    const dx = allocate(x.dtype, x.size);
    for (let i = 0; i < count; i++) {
      const base = indices[i]! * row;
      for (let j = 0; j < row; j++) dx[base + j] += g[i * row + j]!;
    }
    return [dx];
  });
}

/** Join tensors along an axis; all other axes must match. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('concat: needs at least one tensor');
  const first = tensors[0]!;
  const [ax] = normalizeAxes('concat', axis, first.rank);
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new ShapeError(`concat: shape ${formatShape(t.shape)} does not match ${formatShape(first.shape)} outside axis ${ax}`);
    }
  }
  const outer = sizeOf(first.shape.slice(0, ax));
  const inner = sizeOf(first.shape.slice(ax! + 1));
  const total = tensors.reduce((s, t) => s + t.shape[ax!]!, 0);
  const outShape = [...first.shape];
  outShape[ax!] = total;
  const out = allocate(resultDType(...tensors), outer * total * inner);
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    const len = t.shape[ax!]!;
    offsets.push(offset);
    for (let o = 0; o < outer; o++) {
      out.set(t.data.subarray(o * len * inner, (o + 1) * len * inner), (o * total + offset) * inner);
    }
    offset += len;
  }
  return record(out, outShape, 'concat', tensors, (g) =>
    tensors.map((t, k) => {
      if (!t.requiresGrad) return null;
      const len = t.shape[ax!]!;
      const dx = allocate(t.dtype, t.size);
      for (let o = 0; o < outer; o++) {
        dx.set(g.subarray((o * total + offsets[k]!) * inner, (o * total + offsets[k]! + len) * inner), o * len * inner);
      }
      return dx;
    }),
  );
}
