/** Matrix products: matmul (with transposed forms) and the fused layer op linear(x, W, b). */
import { gradientArray } from '../autograd/gradient-pool.js';
import { record } from '../autograd/graph.js';
import { kernels } from '../backends/registry.js';
import { ShapeError, formatShape } from '../errors.js';
import { Tensor, allocate, type DType, type FloatArray } from '../tensor/tensor.js';
import { resultDType } from './util.js';

export interface MatmulOptions {
  /** Use aᵀ instead of a, without copying it. */
  transposeA?: boolean;
  /** Use bᵀ instead of b, without copying it. */
  transposeB?: boolean;
}

function product(
  a: FloatArray,
  b: FloatArray,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  dtype: DType,
  bias: FloatArray | null = null,
  // Backward passes gradientArray: every backend's matmul writes all of out, so a reused
  // array (last step's gradient of the same size) serves as well as a zeroed one.
  newArray: (dtype: DType, size: number) => FloatArray = allocate,
): FloatArray {
  const out = newArray(dtype, m * n);
  kernels(a, b).matmul(a, b, out, m, k, n, transA, transB, bias);
  return out;
}

/** C = op(A)·op(B) for matrices. Backward uses the transposed products, never a copy. */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const transA = options.transposeA ?? false;
  const transB = options.transposeB ?? false;
  if (a.rank !== 2 || b.rank !== 2) {
    throw new ShapeError(`matmul: both operands must be matrices (rank 2), got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const [m, k] = transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [k2, n] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (k !== k2) {
    throw new ShapeError(
      `matmul: inner dimensions differ: ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} · ${formatShape(b.shape)}${transB ? 'ᵀ' : ''} (${k} vs ${k2})`,
    );
  }
  const dtype = resultDType(a, b);
  const out = product(a.data, b.data, m, k, n, transA, transB, dtype);
  return record(out, [m, n], 'matmul', [a, b], (g) => {
    // C = op(A)·op(B)  =>  dop(A) = dC·op(B)ᵀ, dop(B) = op(A)ᵀ·dC, each written as one product.
    const da = !a.requiresGrad
      ? null
      : transA
        ? product(b.data, g, k, n, m, transB, true, dtype, null, gradientArray)
        : product(g, b.data, m, n, k, false, !transB, dtype, null, gradientArray);
    const db = !b.requiresGrad
      ? null
      : transB
        ? product(g, a.data, n, m, k, true, transA, dtype, null, gradientArray)
        : product(a.data, g, k, m, n, !transA, false, dtype, null, gradientArray);
    return [da, db];
  });
}

/** A dense layer's affine map, fused: x (N×D) · W (D×H) + b (H). */
export function linear(x: Tensor, w: Tensor, b: Tensor | null = null): Tensor {
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[0]) {
    throw new ShapeError(
      `linear: input ${formatShape(x.shape)} does not fit weights ${formatShape(w.shape)} (expected input [N, ${w.shape[0] ?? '?'}])`,
    );
  }
  const [nRows, d] = [x.shape[0]!, x.shape[1]!];
  const h = w.shape[1]!;
  if (b !== null && (b.rank !== 1 || b.shape[0] !== h)) {
    throw new ShapeError(`linear: bias ${formatShape(b.shape)} does not fit weights ${formatShape(w.shape)} (expected [${h}])`);
  }
  const inputs = b === null ? [x, w] : [x, w, b];
  const dtype = resultDType(...inputs);
  const out = product(x.data, w.data, nRows, d, h, false, false, dtype, b?.data ?? null);
  return record(out, [nRows, h], 'linear', inputs, (g) => {
    const dx = x.requiresGrad ? product(g, w.data, nRows, h, d, false, true, dtype, null, gradientArray) : null;
    const dw = w.requiresGrad ? product(x.data, g, d, nRows, h, true, false, dtype, null, gradientArray) : null;
    let db: FloatArray | null = null;
    if (b !== null && b.requiresGrad) {
      db = allocate(b.dtype, h);
      kernels(g).reduce('sum', g, [nRows, h], [0], db);
    }
    return [dx, dw, db];
  });
}
