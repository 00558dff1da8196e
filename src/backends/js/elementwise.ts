/** Elementwise kernels of the reference backend: maps, their gradients, broadcasting. */
import type { FloatArray } from '../../tensor/tensor.js';
import type { BinaryOp, UnaryOp } from '../backend.js';
import { binaryFunction, unaryDerivative, unaryFunction } from './scalar.js';

export function unary(op: UnaryOp, x: FloatArray, out: FloatArray, alpha: number, beta: number): void {
  // The hot activations get their own loops so V8 inlines them; the rest share one loop.
  const n = x.length;
  switch (op) {
    case 'relu':
      for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : 0; }
      return;
    case 'linear':
      if (out !== x) out.set(x);
      return;
    default: {
      const f = unaryFunction(op, alpha, beta);
      for (let i = 0; i < n; i++) out[i] = f(x[i]!);
    }
  }
}

export function unaryGrad(
  op: UnaryOp,
  x: FloatArray,
  y: FloatArray,
  dy: FloatArray,
  out: FloatArray,
  alpha: number,
  beta: number,
): void {
  const n = x.length;
  switch (op) {
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? dy[i]! : 0;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) { const s = y[i]!; out[i] = dy[i]! * s * (1 - s); }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) { const t = y[i]!; out[i] = dy[i]! * (1 - t * t); }
      return;
    default: {
      const df = unaryDerivative(op, alpha, beta);
      for (let i = 0; i < n; i++) out[i] = dy[i]! * df(x[i]!, y[i]!);
    }
  }
}

export function binary(
  op: BinaryOp,
  a: FloatArray,
  aShape: readonly number[],
  b: FloatArray,
  bShape: readonly number[],
  out: FloatArray,
  outShape: readonly number[],
): void {
  const n = out.length;
  const f = binaryFunction(op);
  if (a.length === n && b.length === n) {
    if (op === 'add') { for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!; return; }
    if (op === 'mul') { for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!; return; }
    if (op === 'sub') { for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!; return; }
    for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
    return;
  }
  if (b.length === 1) {
    const bv = b[0]!;
    if (a.length === n) { for (let i = 0; i < n; i++) out[i] = f(a[i]!, bv); return; }
  }
  if (a.length === 1 && b.length === n) {
    const av = a[0]!;
    for (let i = 0; i < n; i++) out[i] = f(av, b[i]!);
    return;
  }
  // b repeats along leading axes (a bias row added to every sample): index b modulo its size.
  if (a.length === n && isTrailingBroadcast(bShape, outShape)) {
    const m = b.length;
    for (let i = 0, j = 0; i < n; i++, j = j + 1 === m ? 0 : j + 1) out[i] = f(a[i]!, b[j]!);
    return;
  }
  // General case: walk the output with a multi-index; broadcast axes have stride 0.
  const rank = outShape.length;
  const aStrides = broadcastStrides(aShape, outShape);
  const bStrides = broadcastStrides(bShape, outShape);
  const index = new Array<number>(rank).fill(0);
  let ai = 0;
  let bi = 0;
  for (let i = 0; i < n; i++) {
    out[i] = f(a[ai]!, b[bi]!);
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      ai += aStrides[d]!;
      bi += bStrides[d]!;
      if (index[d]! < outShape[d]!) break;
      ai -= aStrides[d]! * outShape[d]!;
      bi -= bStrides[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
}

/** Strides of `shape` read as `outShape` (right-aligned; broadcast axes get stride 0). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const od = d + rank - shape.length;
    strides[od] = shape[d] === 1 ? 0 : stride;
    stride *= shape[d]!;
  }
  return strides;
}

function isTrailingBroadcast(shape: readonly number[], outShape: readonly number[]): boolean {
  // True when shape, after dropping leading 1s, equals the trailing axes of outShape.
  let start = 0;
  while (start < shape.length && shape[start] === 1) start++;
  const tail = shape.length - start;
  for (let d = 0; d < tail; d++) {
    if (shape[start + d] !== outShape[outShape.length - tail + d]) return false;
  }
  return true;
}
