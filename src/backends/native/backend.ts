/**
 * The 'native' Backend: the Backend methods over the kernels of the Node-API addon
 * (native/gradiente.cc). The addon works in place on the typed arrays' own memory, so unlike
 * 'wasm' nothing is copied in or out; this file only turns the seam's arguments into the
 * addon's (op codes, broadcast strides, the [outer, reduced, inner] view of a reduction).
 *
 * This module is browser-safe: it receives the loaded addon and never loads anything itself.
 * Loading (a Node `require` of the .node file) lives in src/node/native.ts.
 *
 * What stays on the reference kernels: mixed Float32/Float64 operands, reductions over
 * non-adjacent axes, and optimizer state that is not Float32Array.
 */
import type { FloatArray } from '../../tensor/tensor.js';
import type { AdamHyper, FusedUpdate, OptimizerState, RmspropHyper, SgdHyper } from '../../optim/rules.js';
import type { Backend, BackendOptions, BinaryOp, ReduceOp, UnaryOp } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { broadcastStrides } from '../js/elementwise.js';
import { reductionView } from '../reduction-view.js';
import { BINARY_CODE, UNARY_CODE } from './codes.js';

/** The addon's exports (native/gradiente.cc, Init). Every function checks its arguments and throws on a mismatch. */
export interface NativeAddon {
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number, transA: boolean, transB: boolean, bias: FloatArray | null): void;
  unary(op: number, x: FloatArray, out: FloatArray, alpha: number, beta: number): void;
  unaryGrad(op: number, x: FloatArray, y: FloatArray, dy: FloatArray, out: FloatArray, alpha: number, beta: number): void;
  binary(op: number, a: FloatArray, b: FloatArray, out: FloatArray, outShape: Float64Array, aStrides: Float64Array, bStrides: Float64Array): void;
  reduce(isMax: boolean, x: FloatArray, out: FloatArray, outer: number, reduced: number, inner: number): void;
  softmax(x: FloatArray, out: FloatArray, rows: number, cols: number, log: boolean): void;
  softmaxGrad(y: FloatArray, dy: FloatArray, out: FloatArray, rows: number, cols: number, log: boolean): void;
  sgd(w: Float32Array, g: Float32Array, velocity: Float32Array | null, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void;
  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lr: number, beta1: number, beta2: number, epsilon: number, weightDecay: number, decoupled: boolean, step: number): void;
  rmsprop(w: Float32Array, g: Float32Array, meanSquare: Float32Array, velocity: Float32Array, lr: number, rho: number, momentum: number, epsilon: number, weightDecay: number): void;
  /**
   * Threads large products use, the size (2·m·n·k) from which a product counts as large, and
   * the parts (1 to 8) a large product is cut into: fixed per machine, so that every thread
   * count sums each output in the same order.
   */
  setThreads(threads: number, parallelFlops: number, parts: number): void;
  info(): { blasConfig: string; blasCore: string; unaryOps: string[]; binaryOps: string[]; threads: number; parallelFlops: number };
}

/** True when every array is of one type (all Float32Array or all Float64Array). */
function oneType(first: FloatArray, ...rest: FloatArray[]): boolean {
  const f32 = first instanceof Float32Array;
  for (const a of rest) if (a instanceof Float32Array !== f32) return false;
  return true;
}

/** True when `shape`, without leading 1s, equals the trailing axes of `outShape` (a row repeated). */
function isTrailing(shape: readonly number[], outShape: readonly number[]): boolean {
  let start = 0;
  while (start < shape.length && shape[start] === 1) start++;
  const tail = shape.length - start;
  if (tail > outShape.length) return false;
  for (let d = 0; d < tail; d++) if (shape[start + d] !== outShape[outShape.length - tail + d]) return false;
  return true;
}

// Shapes and strides of the common broadcasts, collapsed so the addon's inner loop has unit or
// zero strides. Reused across calls for the fixed ones (the addon only reads them).
const ONE = Float64Array.of(1);
const ZERO = Float64Array.of(0);

export function createNativeBackend(addon: NativeAddon, onConfigure: (options: BackendOptions) => void): Backend {
  function matmul(
    a: FloatArray,
    b: FloatArray,
    out: FloatArray,
    m: number,
    k: number,
    n: number,
    transA: boolean,
    transB: boolean,
    bias: FloatArray | null = null,
  ): void {
    if (!oneType(out, a, b, ...(bias === null ? [] : [bias]))) {
      jsBackend.matmul(a, b, out, m, k, n, transA, transB, bias);
      return;
    }
    addon.matmul(a, b, out, m, k, n, transA, transB, bias);
  }

  function unary(op: UnaryOp, x: FloatArray, out: FloatArray, alpha: number, beta: number): void {
    const code = UNARY_CODE.get(op);
    if (code === undefined || !oneType(x, out)) {
      jsBackend.unary(op, x, out, alpha, beta);
      return;
    }
    addon.unary(code, x, out, alpha, beta);
  }

  function unaryGrad(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, out: FloatArray, alpha: number, beta: number): void {
    const code = UNARY_CODE.get(op);
    if (code === undefined || !oneType(x, y, dy, out)) {
      jsBackend.unaryGrad(op, x, y, dy, out, alpha, beta);
      return;
    }
    addon.unaryGrad(code, x, y, dy, out, alpha, beta);
  }

  function binary(
    op: BinaryOp,
    a: FloatArray,
    aShape: readonly number[],
    b: FloatArray,
    bShape: readonly number[],
    out: FloatArray,
    outShape: readonly number[],
  ): void {
    const code = BINARY_CODE.get(op);
    const n = out.length;
    if (code === undefined || !oneType(out, a, b)) {
      jsBackend.binary(op, a, aShape, b, bShape, out, outShape);
      return;
    }
    if (n === 0) return;
    if (a.length === n && b.length === n) {
      addon.binary(code, a, b, out, Float64Array.of(n), ONE, ONE);
    } else if (a.length === n && b.length === 1) {
      addon.binary(code, a, b, out, Float64Array.of(n), ONE, ZERO);
    } else if (a.length === 1 && b.length === n) {
      addon.binary(code, a, b, out, Float64Array.of(n), ZERO, ONE);
    } else if (a.length === n && b.length > 0 && isTrailing(bShape, outShape)) {
      // A row repeated on every row (a bias added to every sample): [rows, m] with b's row stride 0.
      const m = b.length;
      addon.binary(code, a, b, out, Float64Array.of(n / m, m), Float64Array.of(m, 1), Float64Array.of(0, 1));
    } else {
      const outShapeArray = Float64Array.from(outShape.length === 0 ? [1] : outShape);
      const aStrides = Float64Array.from(outShape.length === 0 ? [0] : broadcastStrides(aShape, outShape));
      const bStrides = Float64Array.from(outShape.length === 0 ? [0] : broadcastStrides(bShape, outShape));
      addon.binary(code, a, b, out, outShapeArray, aStrides, bStrides);
    }
  }

  function reduce(op: ReduceOp, x: FloatArray, shape: readonly number[], axes: readonly number[], out: FloatArray): void {
    const view = reductionView(shape, axes);
    if (view === null || !oneType(x, out)) {
      jsBackend.reduce(op, x, shape, axes, out);
      return;
    }
    addon.reduce(op === 'max', x, out, view.outer, view.reduced, view.inner);
  }

  function softmax(x: FloatArray, rows: number, cols: number, out: FloatArray, log: boolean): void {
    if (!oneType(x, out)) return jsBackend.softmax(x, rows, cols, out, log);
    addon.softmax(x, out, rows, cols, log);
  }

  function softmaxGrad(y: FloatArray, dy: FloatArray, rows: number, cols: number, out: FloatArray, log: boolean): void {
    if (!oneType(y, dy, out)) return jsBackend.softmaxGrad(y, dy, rows, cols, out, log);
    addon.softmaxGrad(y, dy, out, rows, cols, log);
  }

  function optimizerUpdate(update: FusedUpdate, w: FloatArray, g: FloatArray, state: OptimizerState, lr: number, step: number): boolean {
    if (!(w instanceof Float32Array) || !(g instanceof Float32Array)) return false;
    switch (update.rule) {
      case 'sgd': {
        const h: SgdHyper = update.hyper;
        const v = state.velocity;
        if (!(v instanceof Float32Array)) return false;
        addon.sgd(w, g, v, lr, h.momentum, h.nesterov, h.weightDecay);
        return true;
      }
      case 'adam': {
        const h: AdamHyper = update.hyper;
        const { m, v } = state;
        if (!(m instanceof Float32Array) || !(v instanceof Float32Array)) return false;
        addon.adam(w, g, m, v, lr, h.beta1, h.beta2, h.epsilon, h.weightDecay, h.decoupled, step);
        return true;
      }
      case 'rmsprop': {
        const h: RmspropHyper = update.hyper;
        const { meanSquare, velocity } = state;
        if (!(meanSquare instanceof Float32Array) || !(velocity instanceof Float32Array)) return false;
        addon.rmsprop(w, g, meanSquare, velocity, lr, h.rho, h.momentum, h.epsilon, h.weightDecay);
        return true;
      }
    }
  }

  return {
    name: 'native',
    // Float64 too (cblas_dgemm and the same loops in double): gradcheck runs on it as well.
    float32Only: false,
    matmul,
    unary,
    unaryGrad,
    binary,
    reduce,
    softmax,
    softmaxGrad,
    optimizerUpdate,
    configure: onConfigure,
  };
}
