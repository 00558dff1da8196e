/** Reductions and row-wise softmax of the reference backend. */
import type { FloatArray } from '../../tensor/tensor.js';
import type { ReduceOp } from '../backend.js';

export function reduce(op: ReduceOp, x: FloatArray, shape: readonly number[], axes: readonly number[], out: FloatArray): void {
  const isSum = op === 'sum';
  out.fill(isSum ? 0 : -Infinity);
  const n = x.length;
  if (n === 0) return;
  if (out.length === 1) {
    let acc = isSum ? 0 : -Infinity;
    if (isSum) for (let i = 0; i < n; i++) acc += x[i]!;
    else for (let i = 0; i < n; i++) { const v = x[i]!; if (v > acc || Number.isNaN(v)) acc = v; }
    out[0] = acc;
    return;
  }
  // Collapse to [outer, reduced, inner] when the reduced axes are contiguous (the usual case:
  // bias gradients sum axis 0, per-sample losses reduce the last axis).
  const rank = shape.length;
  const contiguous = axes.every((a, i) => i === 0 || a === axes[i - 1]! + 1);
  if (contiguous) {
    const first = axes[0]!;
    const last = axes[axes.length - 1]!;
    let outer = 1, reduced = 1, inner = 1;
    for (let d = 0; d < rank; d++) {
      if (d < first) outer *= shape[d]!;
      else if (d <= last) reduced *= shape[d]!;
      else inner *= shape[d]!;
    }
    for (let o = 0; o < outer; o++) {
      const outBase = o * inner;
      for (let r = 0; r < reduced; r++) {
        const xBase = (o * reduced + r) * inner;
        if (isSum) {
          for (let i = 0; i < inner; i++) out[outBase + i] += x[xBase + i]!;
        } else {
          for (let i = 0; i < inner; i++) {
            const v = x[xBase + i]!;
            if (v > out[outBase + i]! || Number.isNaN(v)) out[outBase + i] = v;
          }
        }
      }
    }
    return;
  }
  // General case: walk x; the output offset ignores reduced axes.
  const outStrides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let d = rank - 1; d >= 0; d--) {
    if (!axes.includes(d)) {
      outStrides[d] = stride;
      stride *= shape[d]!;
    }
  }
  const index = new Array<number>(rank).fill(0);
  let oi = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (isSum) out[oi] += v;
    else if (v > out[oi]! || Number.isNaN(v)) out[oi] = v;
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      oi += outStrides[d]!;
      if (index[d]! < shape[d]!) break;
      oi -= outStrides[d]! * shape[d]!;
      index[d] = 0;
    }
  }
}

export function softmax(x: FloatArray, rows: number, cols: number, out: FloatArray, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    // Subtracting the row max keeps exp() finite for logits like ±100.
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, x[base + j]!);
    if (log) {
      // log Σ e^(x−max) = log1p(Σ of the other entries): the max's own term is exactly 1, and
      // log(1 + tiny) would round tiny away when one logit dominates (a confident, right
      // prediction has log-probability −tiny, not 0). A NaN max matches no entry: NaN stays.
      const argmax = firstIndexOf(x, base, cols, max);
      let rest = 0;
      for (let j = 0; j < cols; j++) if (j !== argmax) rest += Math.exp(x[base + j]! - max);
      const logSum = Math.log1p(rest);
      for (let j = 0; j < cols; j++) out[base + j] = x[base + j]! - max - logSum;
    } else {
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += Math.exp(x[base + j]! - max);
      for (let j = 0; j < cols; j++) out[base + j] = Math.exp(x[base + j]! - max) / sum;
    }
  }
}

function firstIndexOf(x: FloatArray, base: number, cols: number, value: number): number {
  for (let j = 0; j < cols; j++) if (x[base + j] === value) return j;
  return -1;
}

export function softmaxGrad(y: FloatArray, dy: FloatArray, rows: number, cols: number, out: FloatArray, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    if (log) {
      // d logsoftmax: dx = dy - softmax · sum(dy)
      let s = 0;
      for (let j = 0; j < cols; j++) s += dy[base + j]!;
      for (let j = 0; j < cols; j++) out[base + j] = logSoftmaxGrad(y[base + j]!, dy[base + j]!, s);
    } else {
      // d softmax: dx = y · (dy - sum(dy · y))
      let s = 0;
      for (let j = 0; j < cols; j++) s += dy[base + j]! * y[base + j]!;
      for (let j = 0; j < cols; j++) out[base + j] = y[base + j]! * (dy[base + j]! - s);
    }
  }
}

/**
 * dy − e^y·s for one entry of log-softmax's gradient. Where the probability e^y is near 1
 * (y > −ln 2) it is computed as (dy − s) − expm1(y)·s: for the class of a confident, right
 * prediction dy ≈ s and e^y ≈ 1, and dy − e^y·s would cancel to 0 where the true value is
 * −(1 − p)·s. Elsewhere the plain form is the precise one.
 */
export function logSoftmaxGrad(y: number, dy: number, s: number): number {
  return y > -Math.LN2 ? dy - s - Math.expm1(y) * s : dy - Math.exp(y) * s;
}
