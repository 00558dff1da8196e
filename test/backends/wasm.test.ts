/**
 * The 'wasm' backend against the reference 'js' backend, method by method, on random inputs:
 * shapes that are not multiples of the register tile, thin ones (1×N, N×1, k = 1), and
 * products large enough to be split across threads. Then a whole training step, and memory
 * over many steps.
 *
 * Agreement is 1e-5 relative. For sums (matrix products, reductions) "relative" is taken
 * against the largest magnitude of the result: float32 sums of k terms carry rounding of the
 * size of the partial sums, so an element that happens to cancel to ~0 cannot be compared
 * with a purely elementwise relative error, by any float32 kernel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Random,
  Tensor,
  initWasmBackend,
  linear,
  logSoftmax,
  mean,
  mul,
  randn,
  relu,
  setBackend,
  sum,
  wasmBackendInfo,
  type BinaryOp,
  type UnaryOp,
} from '../../src/index.js';
import type { Backend } from '../../src/backends/backend.js';
import { jsBackend } from '../../src/backends/js/index.js';
import { kernels } from '../../src/backends/registry.js';

const info = await initWasmBackend({ select: false });

/** The wasm Backend object itself. */
function wasmKernels(): Backend {
  setBackend('wasm');
  try {
    return kernels(new Float32Array(0));
  } finally {
    setBackend('js');
  }
}

function randomArray(random: Random, n: number, low = -3, high = 3): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = low + (high - low) * random.uniform();
  return out;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/**
 * Normwise: max |got − want| ≤ tol · max(max |want|, floor). For a product, `floor` is the
 * size the result would have without cancellation, so a result that sums to ~0 is judged
 * against the size of its terms (see termScale).
 */
function expectNormwise(got: Float32Array, want: Float32Array, tol = 1e-5, floor = 1e-30): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(worst).toBeLessThanOrEqual(tol * Math.max(maxAbs(want), floor));
}

/**
 * max over C of Σ_p |A(i,p)·B(p,j)| / √k: what max |C| is for random signs. The usual scale
 * of a matrix product's rounding error (the forward error bound of any float32 GEMM).
 */
function termScale(a: Float32Array, b: Float32Array, m: number, k: number, n: number, ta: boolean, tb: boolean): number {
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += Math.abs(a[ta ? p * m + i : i * k + p]! * b[tb ? j * k + p : p * n + j]!);
      worst = Math.max(worst, s);
    }
  }
  return worst / Math.sqrt(Math.max(k, 1));
}

/** Elementwise: |got − want| ≤ tol · |want| + floor (for maps); NaN where NaN. */
function expectElementwise(got: Float32Array, want: Float32Array, tol = 1e-5, floor = 1e-30): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (Number.isNaN(w)) {
      expect(Number.isNaN(g), `index ${i}: want NaN, got ${g}`).toBe(true);
      continue;
    }
    if (!Number.isFinite(w)) {
      expect(g, `index ${i}`).toBe(w);
      continue;
    }
    const ok = Math.abs(g - w) <= tol * Math.abs(w) + floor;
    if (!ok) expect.fail(`index ${i}: got ${g}, want ${w}`);
  }
}

describe.skipIf(info === null)('wasm backend vs js', () => {
  let wasm: Backend;
  beforeAll(() => {
    wasm = wasmKernels();
  });
  afterAll(() => {
    setBackend('js');
  });

  it('reports what it runs with', () => {
    const now = wasmBackendInfo()!;
    expect(['simd', 'relaxed-simd']).toContain(now.simd);
    expect(now.threads).toBeGreaterThanOrEqual(1);
    expect(now.threads).toBeLessThanOrEqual(now.poolThreads);
    expect(wasm.name).toBe('wasm');
    expect(wasm.float32Only).toBe(true);
  });

  describe('matmul', () => {
    // m, k, n: tile edges (4×8 tiles), thin shapes, k = 1 and k ≤ 8 (outer products), several
    // depth blocks, and products over the threading threshold.
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [1, 784, 128],
      [2, 300, 10],
      [3, 17, 33],
      [4, 8, 8],
      [5, 7, 9],
      [13, 1, 29],
      [64, 8, 128],
      [784, 1, 128],
      [100, 1, 1],
      [1, 100, 1],
      [37, 100, 1],
      [1, 5, 300],
      [33, 65, 31],
      [64, 784, 128],
      [129, 513, 67],
      [256, 300, 520],
      [200, 784, 260],
    ];
    const random = new Random(7);
    for (const [m, k, n] of shapes) {
      for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
        for (const withBias of [false, true]) {
          it(`${m}×${k}×${n}${ta ? ' Aᵀ' : ''}${tb ? ' Bᵀ' : ''}${withBias ? ' + bias' : ''}`, () => {
            const a = randomArray(random, m * k);
            const b = randomArray(random, k * n);
            const bias = withBias ? randomArray(random, n) : null;
            const want = new Float32Array(m * n);
            const got = new Float32Array(m * n).fill(Number.NaN);
            jsBackend.matmul(a, b, want, m, k, n, ta, tb, bias);
            wasm.matmul(a, b, got, m, k, n, ta, tb, bias);
            expectNormwise(got, want, 1e-5, termScale(a, b, m, k, n, ta, tb));
          });
        }
      }
    }

    it('k = 0 gives the bias (or zeros)', () => {
      const got = new Float32Array(6).fill(Number.NaN);
      wasm.matmul(new Float32Array(0), new Float32Array(0), got, 2, 0, 3, false, false, new Float32Array([1, 2, 3]));
      expect([...got]).toEqual([1, 2, 3, 1, 2, 3]);
      wasm.matmul(new Float32Array(0), new Float32Array(0), got, 2, 0, 3, false, false, null);
      expect([...got]).toEqual([0, 0, 0, 0, 0, 0]);
    });

    it('split across threads gives exactly the one-thread result', async () => {
      const pool = wasmBackendInfo()!.poolThreads;
      const random2 = new Random(11);
      for (const [m, k, n] of [[300, 200, 500], [500, 200, 300], [257, 129, 1031]] as const) {
        for (const [ta, tb] of [[false, false], [false, true], [true, false]] as const) {
          const a = randomArray(random2, m * k);
          const b = randomArray(random2, k * n);
          const bias = randomArray(random2, n);
          const one = new Float32Array(m * n);
          const many = new Float32Array(m * n);
          await initWasmBackend({ threads: 1, select: false });
          wasm.matmul(a, b, one, m, k, n, ta, tb, bias);
          await initWasmBackend({ threads: pool, parallelThreshold: 1, select: false });
          wasm.matmul(a, b, many, m, k, n, ta, tb, bias);
          // Each element is computed by one thread in the same order either way.
          expect(many).toEqual(one);
        }
      }
      await initWasmBackend({ threads: pool, parallelThreshold: 2e6, select: false });
    });
  });

  describe('unary maps and their gradients', () => {
    const ops: [UnaryOp, number, number, [number, number]][] = [
      ['neg', 0, 0, [-3, 3]],
      ['exp', 0, 0, [-10, 10]],
      ['log', 0, 0, [0.01, 50]],
      ['sqrt', 0, 0, [0.01, 50]],
      ['abs', 0, 0, [-3, 3]],
      ['sign', 0, 0, [-3, 3]],
      ['square', 0, 0, [-3, 3]],
      ['reciprocal', 0, 0, [0.1, 5]],
      ['clip', -0.5, 0.75, [-3, 3]],
      ['sigmoid', 0, 0, [-20, 20]],
      ['tanh', 0, 0, [-5, 5]],
      ['relu', 0, 0, [-3, 3]],
      ['leakyRelu', 0.01, 0, [-3, 3]],
      ['elu', 1, 0, [-8, 3]],
      ['gelu', 0, 0, [-5, 5]],
      ['geluTanh', 0, 0, [-5, 5]],
      ['swish', 0, 0, [-8, 8]],
      ['softplus', 0, 0, [-20, 20]],
      ['linear', 0, 0, [-3, 3]],
    ];
    const random = new Random(3);
    for (const [op, alpha, beta, [low, high]] of ops) {
      for (const n of [1, 3, 4, 7, 64, 1001]) {
        it(`${op} on ${n} values`, () => {
          const x = randomArray(random, n, low, high);
          const dy = randomArray(random, n);
          const yWant = new Float32Array(n);
          const yGot = new Float32Array(n).fill(Number.NaN);
          jsBackend.unary(op, x, yWant, alpha, beta);
          wasm.unary(op, x, yGot, alpha, beta);
          expectElementwise(yGot, yWant);
          const gWant = new Float32Array(n);
          const gGot = new Float32Array(n).fill(Number.NaN);
          jsBackend.unaryGrad(op, x, yWant, dy, gWant, alpha, beta);
          wasm.unaryGrad(op, x, yWant, dy, gGot, alpha, beta);
          expectElementwise(gGot, gWant);
        });
      }
    }

    it('keeps NaN, ±Infinity and ±0 the way the reference does', () => {
      const x = new Float32Array([Number.NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e-30, 88, -88, 100, -100]);
      const dy = new Float32Array(x.length).fill(1);
      for (const op of ['relu', 'leakyRelu', 'sigmoid', 'tanh', 'abs', 'neg', 'square', 'clip', 'softplus'] as UnaryOp[]) {
        const want = new Float32Array(x.length);
        const got = new Float32Array(x.length);
        jsBackend.unary(op, x, want, 0.1, 2);
        wasm.unary(op, x, got, 0.1, 2);
        expectElementwise(got, want);
        const gw = new Float32Array(x.length);
        const gg = new Float32Array(x.length);
        jsBackend.unaryGrad(op, x, want, dy, gw, 0.1, 2);
        wasm.unaryGrad(op, x, want, dy, gg, 0.1, 2);
        expectElementwise(gg, gw);
      }
    });
  });

  describe('binary ops with broadcasting', () => {
    const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow'];
    // [aShape, bShape, outShape]: same shape, scalar on either side, a row vector on either
    // side (the bias case), and broadcasts that go to the reference kernels.
    const cases: [number[], number[], number[]][] = [
      [[7], [7], [7]],
      [[5, 13], [5, 13], [5, 13]],
      [[5, 13], [1], [5, 13]],
      [[1], [5, 13], [5, 13]],
      [[64, 10], [10], [64, 10]],
      [[10], [64, 10], [64, 10]],
      [[3, 4, 5], [1, 4, 5], [3, 4, 5]],
      [[6, 1], [6, 9], [6, 9]],
      [[6, 9], [6, 1], [6, 9]],
      [[4, 1], [1, 3], [4, 3]],
      [[64, 10], [64, 1], [64, 10]],
      [[64, 1], [64, 10], [64, 10]],
      [[2, 3, 5], [2, 3, 1], [2, 3, 5]],
      [[2, 3, 1], [2, 3, 5], [2, 3, 5]],
    ];
    const random = new Random(5);
    for (const op of ops) {
      for (const [aShape, bShape, outShape] of cases) {
        it(`${op} ${JSON.stringify(aShape)} with ${JSON.stringify(bShape)}`, () => {
          const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
          // Positive operands keep pow real; div by values away from 0.
          const a = randomArray(random, size(aShape), op === 'pow' ? 0.1 : -3, 3);
          const b = randomArray(random, size(bShape), op === 'pow' ? -2 : 0.5, 3);
          const want = new Float32Array(size(outShape));
          const got = new Float32Array(size(outShape)).fill(Number.NaN);
          jsBackend.binary(op, a, aShape, b, bShape, want, outShape);
          wasm.binary(op, a, aShape, b, bShape, got, outShape);
          expectElementwise(got, want);
        });
      }
    }
  });

  describe('reductions', () => {
    const cases: [number[], number[]][] = [
      [[1000], [0]],
      [[3], [0]],
      [[64, 10], [0]],
      [[64, 10], [1]],
      [[64, 10], [0, 1]],
      [[7, 1], [0]],
      [[1, 7], [1]],
      [[4, 5, 6], [1]],
      [[4, 5, 6], [1, 2]],
      [[4, 5, 6], [0, 1]],
      [[4, 5, 6], [0, 2]],
      [[33, 129], [0]],
    ];
    const random = new Random(9);
    for (const op of ['sum', 'max'] as const) {
      for (const [shape, axes] of cases) {
        it(`${op} of ${JSON.stringify(shape)} over ${JSON.stringify(axes)}`, () => {
          const n = shape.reduce((p, d) => p * d, 1);
          const outSize = shape.reduce((p, d, i) => (axes.includes(i) ? p : p * d), 1);
          const x = randomArray(random, n);
          const want = new Float32Array(outSize);
          const got = new Float32Array(outSize).fill(Number.NaN);
          jsBackend.reduce(op, x, shape, axes, want);
          wasm.reduce(op, x, shape, axes, got);
          if (op === 'max') expect(got).toEqual(want);
          else expectNormwise(got, want);
        });
      }
    }

    it('max keeps NaN', () => {
      const x = new Float32Array([1, Number.NaN, 3, 4, 5, 6]);
      const got = new Float32Array(2);
      wasm.reduce('max', x, [2, 3], [1], got);
      expect(Number.isNaN(got[0]!)).toBe(true);
      expect(got[1]).toBe(6);
    });
  });

  describe('softmax', () => {
    const random = new Random(13);
    for (const [rows, cols] of [[1, 1], [1, 10], [64, 10], [5, 1000], [3, 7]] as const) {
      for (const log of [false, true]) {
        it(`${log ? 'log-' : ''}softmax of ${rows}×${cols} and its gradient`, () => {
          const x = randomArray(random, rows * cols, -50, 50);
          const dy = randomArray(random, rows * cols);
          const want = new Float32Array(rows * cols);
          const got = new Float32Array(rows * cols).fill(Number.NaN);
          jsBackend.softmax(x, rows, cols, want, log);
          wasm.softmax(x, rows, cols, got, log);
          expectElementwise(got, want, 1e-5, 1e-30);
          const gWant = new Float32Array(rows * cols);
          const gGot = new Float32Array(rows * cols).fill(Number.NaN);
          jsBackend.softmaxGrad(want, dy, rows, cols, gWant, log);
          wasm.softmaxGrad(want, dy, rows, cols, gGot, log);
          // A row's gradient is a difference of sums: compare row-normwise.
          for (let r = 0; r < rows; r++) {
            expectNormwise(gGot.subarray(r * cols, (r + 1) * cols), gWant.subarray(r * cols, (r + 1) * cols), 1e-5);
          }
        });
      }
    }
  });

  describe('training', () => {
    /** One step of a 2-layer MLP (linear, relu, linear, log-softmax, cross-entropy). */
    function step(backend: string, batch: number, seed: number) {
      setBackend(backend);
      try {
        const random = new Random(seed);
        const d = 50;
        const h = 33;
        const c = 10;
        const x = randn([batch, d], { random });
        const labels = new Float32Array(batch * c);
        for (let i = 0; i < batch; i++) labels[i * c + random.int(c)] = 1;
        const y = new Tensor(labels, [batch, c]);
        const w1 = randn([d, h], { random, std: 0.2, requiresGrad: true });
        const b1 = randn([h], { random, std: 0.1, requiresGrad: true });
        const w2 = randn([h, c], { random, std: 0.2, requiresGrad: true });
        const b2 = randn([c], { random, std: 0.1, requiresGrad: true });
        const logits = linear(relu(linear(x, w1, b1)), w2, b2);
        const loss = mean(sum(mul(y, logSoftmax(logits)), -1)).neg();
        loss.backward();
        return { loss: loss.item(), grads: [w1, b1, w2, b2].map((p) => p.grad!.data as Float32Array) };
      } finally {
        setBackend('js');
      }
    }

    for (const batch of [1, 3, 64, 200]) {
      it(`forward and backward of an MLP at batch size ${batch} match js`, () => {
        const want = step('js', batch, batch);
        const got = step('wasm', batch, batch);
        expect(Math.abs(got.loss - want.loss)).toBeLessThanOrEqual(1e-5 * Math.abs(want.loss));
        for (let i = 0; i < want.grads.length; i++) expectNormwise(got.grads[i]!, want.grads[i]!);
      });
    }

    it('memory stays flat over many steps without any dispose', () => {
      for (let i = 0; i < 5; i++) step('wasm', 64, 100 + i);
      const before = wasmBackendInfo()!.memoryBytes;
      for (let i = 0; i < 300; i++) step('wasm', 64, 200 + (i % 7));
      expect(wasmBackendInfo()!.memoryBytes).toBe(before);
    });
  });
});
