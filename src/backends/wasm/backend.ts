/**
 * The 'wasm' Backend: each method copies its operands into kernel memory, runs a WebAssembly
 * SIMD kernel, and copies the result out. Matrix products large enough to amortize waking
 * the workers are split across the thread pool.
 *
 * What stays on the reference kernels, and why: `pow` (no SIMD pow; not used by training),
 * broadcasts other than scalar, row-vector and column-vector ones, reductions over
 * non-adjacent axes, and any call too large for the kernel memory's maximum. Float64 work
 * never gets here (the registry sends it to the reference backend: this one is float32-only).
 */
import type { FloatArray } from '../../tensor/tensor.js';
import type { Backend, BinaryOp, ReduceOp, UnaryOp } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { reductionView } from '../reduction-view.js';
import { BINARY_CODES, UNARY_CODES } from './codes.js';
import type { KernelExports } from './kernel-exports.js';
import type { KernelMemory } from './memory.js';
import { ThreadPool } from './pool.js';

/** Everything the backend methods need, set up by initWasmBackend(). */
export interface WasmRuntime {
  readonly kernels: KernelExports;
  readonly memory: KernelMemory;
  pool: ThreadPool | null;
  /** Threads a large product may use, the caller included (1 = never split). */
  threads: number;
  /** Products of at least this many floating-point operations (2·m·n·k) are split. */
  parallelThreshold: number;
}

/** Rows of C below which products read B in place instead of packing it (SGD, batch 1). */
const SMALL_ROWS = 4;
/** Depths at or below which a product is a few rank-1 updates: no packing either. */
const SMALL_DEPTH = 8;

function isF32(...arrays: FloatArray[]): boolean {
  for (const a of arrays) if (!(a instanceof Float32Array)) return false;
  return true;
}

/** First `n` floats of `a` (the whole array when it is exactly that long). */
function head(a: Float32Array, n: number): Float32Array {
  return a.length === n ? a : a.subarray(0, n);
}

/** True when `shape` is `outShape` with the last axis 1: one value per row of the output. */
function isColumn(shape: readonly number[], outShape: readonly number[]): boolean {
  const rank = outShape.length;
  if (rank < 2 || shape.length !== rank || shape[rank - 1] !== 1) return false;
  for (let d = 0; d < rank - 1; d++) if (shape[d] !== outShape[d]) return false;
  return true;
}

/** True when `shape`, without leading 1s, equals the trailing axes of `outShape`. */
function isTrailing(shape: readonly number[], outShape: readonly number[]): boolean {
  let start = 0;
  while (start < shape.length && shape[start] === 1) start++;
  const tail = shape.length - start;
  if (tail > outShape.length) return false;
  for (let d = 0; d < tail; d++) {
    if (shape[start + d] !== outShape[outShape.length - tail + d]) return false;
  }
  return true;
}

export function createWasmBackend(rt: WasmRuntime): Backend {
  const k = rt.kernels;
  const mem = rt.memory;
  const tileRows = k.gemmTileRows();
  const tileCols = k.gemmTileCols();

  function matmul(
    a: FloatArray,
    b: FloatArray,
    out: FloatArray,
    m: number,
    depth: number,
    n: number,
    transA: boolean,
    transB: boolean,
    bias: FloatArray | null = null,
  ): void {
    const size = m * n;
    if (size === 0) return;
    if (!isF32(a, b, out) || (bias !== null && !(bias instanceof Float32Array)) || depth === 0) {
      jsBackend.matmul(a, b, out, m, depth, n, transA, transB, bias);
      return;
    }
    const threaded = rt.pool !== null && rt.threads > 1 && 2 * size * depth >= rt.parallelThreshold && m >= SMALL_ROWS && depth > SMALL_DEPTH;
    const sharedFloats = threaded ? ThreadPool.sharedFloats(k, m, depth, n) : 0;
    if (!mem.begin(m * depth + depth * n + size + (bias === null ? 0 : n) + sharedFloats, 5)) {
      jsBackend.matmul(a, b, out, m, depth, n, transA, transB, bias);
      return;
    }
    const pa = mem.put(head(a as Float32Array, m * depth));
    const pb = mem.put(head(b as Float32Array, depth * n));
    const pBias = bias === null ? 0 : mem.put(head(bias as Float32Array, n));
    const pc = mem.take(size);
    // Strides of A(i, p) and B(p, j) in their stored layouts.
    const aRow = transA ? 1 : depth;
    const aCol = transA ? m : 1;
    const bRow = transB ? 1 : n;
    const bCol = transB ? depth : 1;
    if ((m < SMALL_ROWS || depth <= SMALL_DEPTH) && !transB) {
      k.gemmRowsByRows(pa, aRow, aCol, pb, bRow, pc, n, pBias, m, depth, n);
    } else if (m < SMALL_ROWS && !transA) {
      k.gemmRowsByCols(pa, aRow, pb, bCol, pc, n, pBias, m, depth, n);
    } else if (threaded) {
      const job = { a: pa, aRow, aCol, b: pb, bRow, bCol, c: pc, ldc: n, bias: pBias, m, k: depth, n };
      rt.pool!.gemm(job, rt.threads, k, mem.workspaces[0]!, mem.take(sharedFloats), tileRows, tileCols);
    } else {
      k.gemm(pa, aRow, aCol, pb, bRow, bCol, pc, n, pBias, depth, 0, m, 0, n, mem.workspaces[0]!, 0, 0, m, n);
    }
    mem.get(pc, out as Float32Array, size);
  }

  function unary(op: UnaryOp, x: FloatArray, out: FloatArray, alpha: number, beta: number): void {
    const n = x.length;
    const code = UNARY_CODES[op];
    if (n === 0) return;
    if (code === undefined || !isF32(x, out) || !mem.begin(2 * n, 2)) {
      jsBackend.unary(op, x, out, alpha, beta);
      return;
    }
    const px = mem.put(x as Float32Array);
    const po = mem.take(n);
    k.unary(code, px, po, n, alpha, beta);
    mem.get(po, out as Float32Array, n);
  }

  function unaryGrad(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray, out: FloatArray, alpha: number, beta: number): void {
    const n = x.length;
    const code = UNARY_CODES[op];
    if (n === 0) return;
    if (code === undefined || !isF32(x, y, dy, out) || !mem.begin(4 * n, 4)) {
      jsBackend.unaryGrad(op, x, y, dy, out, alpha, beta);
      return;
    }
    const px = mem.put(x as Float32Array);
    const py = mem.put(y as Float32Array);
    const pdy = mem.put(dy as Float32Array);
    const po = mem.take(n);
    k.unaryGrad(code, px, py, pdy, po, n, alpha, beta);
    mem.get(po, out as Float32Array, n);
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
    const n = out.length;
    const code = BINARY_CODES[op];
    if (n === 0) return;
    if (code === undefined || !isF32(a, b, out) || !mem.begin(a.length + b.length + n, 3)) {
      jsBackend.binary(op, a, aShape, b, bShape, out, outShape);
      return;
    }
    const fa = a as Float32Array;
    const fb = b as Float32Array;
    if (a.length === n && b.length === n) {
      const pa = mem.put(fa);
      const pb = mem.put(fb);
      const po = mem.take(n);
      k.binarySame(code, pa, pb, po, n);
      mem.get(po, out as Float32Array, n);
    } else if (a.length === n && b.length === 1) {
      const pa = mem.put(fa);
      const po = mem.take(n);
      k.binaryScalarOp(code, pa, fb[0]!, po, n, 0);
      mem.get(po, out as Float32Array, n);
    } else if (b.length === n && a.length === 1) {
      const pb = mem.put(fb);
      const po = mem.take(n);
      k.binaryScalarOp(code, pb, fa[0]!, po, n, 1);
      mem.get(po, out as Float32Array, n);
    } else if (a.length === n && b.length > 0 && isTrailing(bShape, outShape)) {
      // A row vector repeated on every row, e.g. a bias added to every sample.
      const pa = mem.put(fa);
      const pb = mem.put(fb);
      const po = mem.take(n);
      k.binaryRows(code, pa, pb, po, n / b.length, b.length, 0);
      mem.get(po, out as Float32Array, n);
    } else if (b.length === n && a.length > 0 && isTrailing(aShape, outShape)) {
      const pa = mem.put(fa);
      const pb = mem.put(fb);
      const po = mem.take(n);
      k.binaryRows(code, pb, pa, po, n / a.length, a.length, 1);
      mem.get(po, out as Float32Array, n);
    } else if (a.length === n && isColumn(bShape, outShape)) {
      // One value per row repeated across it, e.g. a per-sample value against per-class ones.
      const pa = mem.put(fa);
      const pb = mem.put(fb);
      const po = mem.take(n);
      k.binaryColumns(code, pa, pb, po, b.length, n / b.length, 0);
      mem.get(po, out as Float32Array, n);
    } else if (b.length === n && isColumn(aShape, outShape)) {
      const pa = mem.put(fa);
      const pb = mem.put(fb);
      const po = mem.take(n);
      k.binaryColumns(code, pb, pa, po, a.length, n / a.length, 1);
      mem.get(po, out as Float32Array, n);
    } else {
      jsBackend.binary(op, a, aShape, b, bShape, out, outShape);
    }
  }

  function reduce(op: ReduceOp, x: FloatArray, shape: readonly number[], axes: readonly number[], out: FloatArray): void {
    const n = x.length;
    const view = n === 0 ? null : reductionView(shape, axes);
    if (view === null || !isF32(x, out) || !mem.begin(n + out.length, 2)) {
      jsBackend.reduce(op, x, shape, axes, out);
      return;
    }
    const { outer, reduced, inner } = view;
    const px = mem.put(x as Float32Array);
    const po = mem.take(out.length);
    const isSum = op === 'sum';
    if (inner === 1) {
      if (isSum) k.sumRows(px, po, outer, reduced);
      else k.maxRows(px, po, outer, reduced);
    } else if (isSum) {
      k.sumColumns(px, po, outer, reduced, inner);
    } else {
      k.maxColumns(px, po, outer, reduced, inner);
    }
    mem.get(po, out as Float32Array, out.length);
  }

  function softmax(x: FloatArray, rows: number, cols: number, out: FloatArray, log: boolean): void {
    const n = rows * cols;
    if (n === 0) return;
    if (!isF32(x, out) || !mem.begin(2 * n, 2)) {
      jsBackend.softmax(x, rows, cols, out, log);
      return;
    }
    const px = mem.put(head(x as Float32Array, n));
    const po = mem.take(n);
    k.softmax(px, po, rows, cols, log ? 1 : 0);
    mem.get(po, out as Float32Array, n);
  }

  function softmaxGrad(y: FloatArray, dy: FloatArray, rows: number, cols: number, out: FloatArray, log: boolean): void {
    const n = rows * cols;
    if (n === 0) return;
    if (!isF32(y, dy, out) || !mem.begin(3 * n, 3)) {
      jsBackend.softmaxGrad(y, dy, rows, cols, out, log);
      return;
    }
    const py = mem.put(head(y as Float32Array, n));
    const pdy = mem.put(head(dy as Float32Array, n));
    const po = mem.take(n);
    k.softmaxGrad(py, pdy, po, rows, cols, log ? 1 : 0);
    mem.get(po, out as Float32Array, n);
  }

  return {
    name: 'wasm',
    float32Only: true,
    matmul,
    unary,
    unaryGrad,
    binary,
    reduce,
    softmax,
    softmaxGrad,
  };
}
