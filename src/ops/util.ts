/** Shape helpers shared by the ops: broadcasting, axes, reducing a gradient to a shape. */
import { kernels } from '../backends/registry.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import { Tensor, allocate, dtypeOf, sizeOf, type DType, type FloatArray } from '../tensor/tensor.js';

export type TensorLike = Tensor | number;

/** Numbers become scalar tensors of the other operand's dtype. */
export function asTensor(v: TensorLike, like?: Tensor): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v !== 'number') throw new ValueError(`expected a Tensor or a number, got ${typeof v}`);
  const data = allocate(like?.dtype ?? 'float32', 1);
  data[0] = v;
  return new Tensor(data, []);
}

export function resultDType(...ts: Tensor[]): DType {
  return ts.some((t) => t.dtype === 'float64') ? 'float64' : 'float32';
}

/** NumPy broadcasting: align right; each pair of sizes must match or one must be 1. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together (axis ${i}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalize axis arguments (negative allowed) to sorted unique axes; undefined means all. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = new Set<number>();
  for (const a of list) {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new ShapeError(`${op}: axis ${a} is out of range for a tensor of rank ${rank}`);
    }
    out.add(a < 0 ? a + rank : a);
  }
  return [...out].sort((x, y) => x - y);
}

export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/**
 * The gradient of a broadcast input: sum the output gradient over the axes along which the
 * input was repeated, so it has the input's shape again.
 */
export function sumToShape(g: FloatArray, gShape: readonly number[], target: readonly number[]): FloatArray {
  if (g.length === sizeOf(target) && gShape.length === target.length) return g;
  const lead = gShape.length - target.length;
  const axes: number[] = [];
  for (let i = 0; i < gShape.length; i++) {
    if (i < lead || (target[i - lead] === 1 && gShape[i] !== 1)) axes.push(i);
  }
  const out = allocate(dtypeOf(g), sizeOf(target));
  if (axes.length === 0) {
    out.set(g);
    return out;
  }
  kernels(g).reduce('sum', g, gShape, axes, out);
  return out;
}
