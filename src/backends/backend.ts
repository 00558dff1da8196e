/**
 * The backend seam: every numeric kernel the ops need, and nothing else. Ops (and their
 * gradients) are written once, above this interface; a backend only moves numbers.
 *
 * Arrays are flat and row-major. A backend may be handed Float32Array or Float64Array;
 * backends that only do float32 are bypassed for float64 (gradcheck) automatically.
 */
import type { FloatArray } from '../tensor/tensor.js';
import type { FusedUpdate, OptimizerState } from '../optim/rules.js';

/** Elementwise maps. `alpha`/`beta` carry a parameter where the op has one. */
export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'sign'
  | 'square'
  | 'reciprocal'
  | 'clip' // alpha = low, beta = high
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu' // alpha = slope for z < 0
  | 'elu' // alpha = scale for z < 0
  | 'gelu' // exact, with erf
  | 'geluTanh' // tanh approximation
  | 'swish'
  | 'softplus'
  | 'linear';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';

export type ReduceOp = 'sum' | 'max';

export interface Backend {
  readonly name: string;
  /** Float32 only: float64 work goes to the reference backend. */
  readonly float32Only: boolean;

  /**
   * out (M×N) = op(A)·op(B) [+ bias broadcast over rows], K the shared dimension.
   * op(A) = A (M×K) or, when transA, Aᵀ of a stored K×M matrix; likewise B (K×N or N×K).
   * The transposed forms are what backward needs; they must not copy a transpose.
   */
  matmul(
    a: FloatArray,
    b: FloatArray,
    out: FloatArray,
    m: number,
    k: number,
    n: number,
    transA: boolean,
    transB: boolean,
    bias?: FloatArray | null,
  ): void;

  /** out[i] = f(x[i]). */
  unary(op: UnaryOp, x: FloatArray, out: FloatArray, alpha: number, beta: number): void;

  /** out[i] = dy[i] · f'(x[i]); y = f(x) is given because some derivatives are cheaper from it. */
  unaryGrad(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, out: FloatArray, alpha: number, beta: number): void;

  /** out = a (op) b with NumPy broadcasting; outShape is the broadcast shape. */
  binary(
    op: BinaryOp,
    a: FloatArray,
    aShape: readonly number[],
    b: FloatArray,
    bShape: readonly number[],
    out: FloatArray,
    outShape: readonly number[],
  ): void;

  /** Reduce `x` over `axes` (sorted, unique) into `out`, laid out as the kept axes in order. */
  reduce(op: ReduceOp, x: FloatArray, shape: readonly number[], axes: readonly number[], out: FloatArray): void;

  /** Row-wise (log-)softmax of a rows×cols matrix, numerically stable. */
  softmax(x: FloatArray, rows: number, cols: number, out: FloatArray, log: boolean): void;

  /** Gradient of row-wise (log-)softmax given its output y and dL/dy. */
  softmaxGrad(y: FloatArray, dy: FloatArray, rows: number, cols: number, out: FloatArray, log: boolean): void;

  /**
   * Optional: one optimizer step for one parameter tensor, in place, as a single fused pass
   * (w, g and the state arrays updated exactly as the rule in optim/rules.ts would). Returns
   * false for a case it does not handle; the rule in rules.ts, the reference, then runs.
   */
  optimizerUpdate?(update: FusedUpdate, w: FloatArray, g: FloatArray, state: OptimizerState, learningRate: number, step: number): boolean;

  /** Optional: settings a backend takes from setBackend(name, options). */
  configure?(options: BackendOptions): void;
}

export interface BackendOptions {
  /** Threads large matrix products may use (backends with threads; others ignore it). */
  threads?: number;
}
