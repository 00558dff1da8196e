/**
 * The 'native' backend's own promises, beyond the conformance suite (which runs every op on
 * it through test/helpers/backends.ts): the fused optimizer passes agree with the reference
 * rules to 1e-6 relative over many steps, the addon refuses arguments that would make it read
 * or write out of bounds, and its threads are set by option, setBackend and GRADIENTE_THREADS.
 * Skipped where the addon is not built (no compiler or OpenBLAS): the fallback has its own
 * test (native-fallback.test.ts).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Random, SGD, Adam, AdamW, RMSprop, Tensor, initNativeBackend, linear, matmul, nativeBackendInfo, nativeBackendStatus, randn, setBackend } from '../../src/node.js';
import { kernels } from '../../src/backends/registry.js';
import { adamRule, rmspropRule, sgdRule, type AdamHyper, type FusedUpdate, type RmspropHyper, type SgdHyper, type UpdateRule } from '../../src/optim/rules.js';
import type { NativeAddon } from '../../src/backends/native/backend.js';

const info = await initNativeBackend({ select: false });
const status = nativeBackendStatus();

function randomArray(n: number, random: Random, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = random.normal() * scale;
  return a;
}

/** Largest |x − y| / max(|y|, tiny) over two arrays. */
function worstRelative(x: Float32Array, y: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / Math.max(Math.abs(y[i]!), 1e-12));
  return worst;
}

describe.skipIf(info === null)('native backend', () => {
  it('reports what it loaded', () => {
    expect(status).toEqual({ available: true, info: expect.objectContaining({ blas: expect.stringContaining('OpenBLAS') }) });
    expect(info!.threads).toBeGreaterThanOrEqual(1);
  });

  describe('fused optimizer passes agree with the reference rules to 1e-6 relative', () => {
    const sgd = (hyper: SgdHyper): [string, UpdateRule<SgdHyper>, FusedUpdate] => [`sgd ${JSON.stringify(hyper)}`, sgdRule, { rule: 'sgd', hyper }];
    const rms = (hyper: RmspropHyper): [string, UpdateRule<RmspropHyper>, FusedUpdate] => [`rmsprop ${JSON.stringify(hyper)}`, rmspropRule, { rule: 'rmsprop', hyper }];
    const adam = (hyper: AdamHyper): [string, UpdateRule<AdamHyper>, FusedUpdate] => [`adam ${JSON.stringify(hyper)}`, adamRule, { rule: 'adam', hyper }];
    const cases = [
      sgd({ momentum: 0, nesterov: false, weightDecay: 0 }),
      sgd({ momentum: 0.9, nesterov: false, weightDecay: 0 }),
      sgd({ momentum: 0.9, nesterov: true, weightDecay: 1e-3 }),
      sgd({ momentum: 0, nesterov: false, weightDecay: 1e-2 }),
      rms({ rho: 0.99, momentum: 0, epsilon: 1e-8, weightDecay: 0 }),
      rms({ rho: 0.9, momentum: 0.5, epsilon: 1e-6, weightDecay: 1e-3 }),
      adam({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupled: false }),
      adam({ beta1: 0.8, beta2: 0.99, epsilon: 1e-7, weightDecay: 1e-2, decoupled: false }),
      adam({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-2, decoupled: true }),
    ] as [string, UpdateRule<object>, FusedUpdate][];

    it.each(cases)('%s, 200 steps', (_name, rule, fused) => {
      setBackend('native');
      const backend = kernels(new Float32Array(1));
      setBackend('js');
      const random = new Random(11);
      const size = 1037; // not a multiple of any vector width: the loop tails run too
      const wRef = randomArray(size, random);
      const wNat = wRef.slice();
      const sRef = rule.init(size);
      const sNat = rule.init(size);
      for (let step = 1; step <= 200; step++) {
        const g = randomArray(size, random, step % 7 === 0 ? 10 : 0.1);
        const lr = 0.01 / Math.sqrt(step);
        rule.update(wRef, g, sRef, fused.hyper, lr, step);
        expect(backend.optimizerUpdate!(fused, wNat, g, sNat, lr, step)).toBe(true);
      }
      expect(worstRelative(wNat, wRef)).toBeLessThan(1e-6);
      for (const key of Object.keys(sRef)) expect(worstRelative(sNat[key] as Float32Array, sRef[key] as Float32Array)).toBeLessThan(1e-6);
    });

    it('the optimizers use the fused pass on native, and land where they do on js', () => {
      for (const make of [(p: Tensor[]) => new SGD(p, { learningRate: 0.1, momentum: 0.9, nesterov: true }), (p: Tensor[]) => new Adam(p, { learningRate: 1e-2 }), (p: Tensor[]) => new AdamW(p, { learningRate: 1e-2, weightDecay: 0.1 }), (p: Tensor[]) => new RMSprop(p, { learningRate: 1e-2, momentum: 0.3 })]) {
        const finals: Float32Array[] = [];
        for (const backend of ['js', 'native']) {
          setBackend(backend);
          const random = new Random(3);
          const w = randn([300], { random, requiresGrad: true });
          const opt = make([w]);
          for (let i = 0; i < 30; i++) {
            w.grad = new Tensor(randomArray(300, random), [300]);
            opt.step();
          }
          finals.push(w.data as Float32Array);
        }
        setBackend('js');
        expect(worstRelative(finals[1]!, finals[0]!)).toBeLessThan(1e-6);
      }
    });

    it('leaves float64 parameters and unknown state to the reference rule', () => {
      setBackend('native');
      const backend = kernels(new Float32Array(1));
      setBackend('js');
      const update: FusedUpdate = { rule: 'adam', hyper: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupled: false } };
      expect(backend.optimizerUpdate!(update, new Float64Array(4), new Float64Array(4), adamRule.init(4), 0.1, 1)).toBe(false);
      expect(backend.optimizerUpdate!(update, new Float32Array(4), new Float32Array(4), {}, 0.1, 1)).toBe(false);
    });
  });

  describe('the addon refuses arguments that would take it out of bounds', () => {
    const addon = createRequire(import.meta.url)(info?.path ?? '') as NativeAddon;

    it('matmul: arrays shorter than the dimensions say, mixed types, an output overlapping an input', () => {
      const a = new Float32Array(6);
      const b = new Float32Array(6);
      expect(() => addon.matmul(a, b, new Float32Array(3), 2, 3, 2, false, false, null)).toThrow(/out holds 3 values, needs 4/);
      expect(() => addon.matmul(a, b, new Float32Array(4), 3, 3, 2, false, false, null)).toThrow(/a holds 6 values, needs 9/);
      expect(() => addon.matmul(a, b, new Float32Array(4), 2, 3, 2, false, false, new Float32Array(1))).toThrow(/bias holds 1 values, needs 2/);
      expect(() => addon.matmul(a, new Float64Array(6), new Float32Array(4), 2, 3, 2, false, false, null)).toThrow(TypeError);
      const shared = new Float32Array(20);
      expect(() => addon.matmul(shared.subarray(0, 6), b, shared.subarray(4, 8), 2, 3, 2, false, false, null)).toThrow(/must not share memory/);
      expect(() => addon.matmul(a, b, new Float32Array(4), -1, 3, 2, false, false, null)).toThrow(/non-negative integer/);
      expect(() => addon.matmul([1, 2] as unknown as Float32Array, b, new Float32Array(4), 2, 3, 2, false, false, null)).toThrow(/Float32Array or Float64Array/);
    });

    it('elementwise, binary, reduce and softmax check lengths and op codes', () => {
      expect(() => addon.unary(99, new Float32Array(2), new Float32Array(2), 0, 0)).toThrow(/unknown op code/);
      expect(() => addon.unary(0, new Float32Array(4), new Float32Array(2), 0, 0)).toThrow(/out holds 2 values, needs 4/);
      expect(() => addon.unaryGrad(0, new Float32Array(4), new Float32Array(4), new Float32Array(3), new Float32Array(4), 0, 0)).toThrow(/dy holds 3/);
      // b read with stride 1 over 5 outputs, but it only holds 2.
      expect(() => addon.binary(0, new Float32Array(5), new Float32Array(2), new Float32Array(5), Float64Array.of(5), Float64Array.of(1), Float64Array.of(1))).toThrow(/b holds 2 values, needs 5/);
      expect(() => addon.reduce(false, new Float32Array(5), new Float32Array(1), 2, 3, 1)).toThrow(/x holds 5 values, needs 6/);
      expect(() => addon.softmax(new Float32Array(6), new Float32Array(5), 2, 3, false)).toThrow(/out holds 5/);
      expect(() => addon.adam(new Float32Array(4), new Float32Array(4), new Float32Array(3), new Float32Array(4), 0.1, 0.9, 0.999, 1e-8, 0, false, 1)).toThrow(/m holds 3/);
      expect(() => addon.sgd(new Float32Array(4), new Float32Array(4), null, 0.1, 0.9, false, 0)).toThrow(/velocity/);
    });

    it('setThreads: threads, threshold and the cut checked, and a bad call changes nothing', () => {
      expect(() => addon.setThreads(0, 2e6, 2)).toThrow(/threads must be between 1 and 256/);
      expect(() => addon.setThreads(2, -1, 2)).toThrow(/parallelFlops must be a number >= 0/);
      expect(() => addon.setThreads(2, 2e6, 0)).toThrow(/parts must be between 1 and 8/);
      expect(() => addon.setThreads(2, 2e6, 9)).toThrow(/parts must be between 1 and 8/);
      expect(() => (addon.setThreads as (...args: number[]) => void)(2, 2e6)).toThrow();
      expect(addon.info()).toMatchObject({ threads: info!.threads, parallelFlops: info!.parallelThreshold });
    });

    it('works in place on a view into a larger buffer (no copy in or out)', () => {
      const buffer = new Float32Array(10).fill(7);
      const view = buffer.subarray(3, 7); // 4 values in the middle
      addon.unary(11, Float32Array.of(-1, 2, -3, 4), view, 0, 0); // relu into the view
      expect(Array.from(buffer)).toEqual([7, 7, 7, 0, 2, 0, 4, 7, 7, 7]);
    });
  });

  describe('threads', () => {
    it('setBackend(native, { threads }) and initNativeBackend({ threads }) set them; results do not depend on them', () => {
      const random = new Random(5);
      const a = randn([300, 400], { random });
      const b = randn([400, 500], { random });
      setBackend('native', { threads: 1 });
      expect(nativeBackendInfo()!.threads).toBe(1);
      const one = matmul(a, b).data;
      setBackend('native', { threads: 2 });
      expect(nativeBackendInfo()).toMatchObject({ threads: 2, threadsFrom: 'option' });
      const two = matmul(a, b).data;
      setBackend('js');
      // A product is cut into parts by its shape, never by the thread count: the same bits.
      expect(Array.from(two)).toEqual(Array.from(one));
      expect(() => setBackend('native', { threads: 0 })).toThrow(/threads must be a whole number/);
      void initNativeBackend({ threads: info!.threads, select: false });
    });

    it('gives the same bits on 1, 2, 3 and 8 threads for every form and shape, float32 and float64', () => {
      const random = new Random(11);
      // Shapes on both sides of the size at which a product is cut into parts, tall and wide
      // (cut along rows or columns), with odd sizes that leave a narrower last part, and parts just
      // above OpenBLAS's small-matrix path with K longer than its blocking (64x1500x48, 2x3000x700).
      const shapes: [number, number, number][] = [[32, 784, 256], [784, 32, 256], [64, 784, 128], [256, 784, 1024], [1, 784, 128], [37, 1001, 515], [515, 333, 97], [8, 2000, 8], [64, 1500, 48], [2, 3000, 700]];
      const forms = [[false, false], [true, false], [false, true], [true, true]] as const;
      let checked = 0;
      for (const [m, k, n] of shapes) {
        for (const [transA, transB] of forms) {
          for (const dtype of ['float32', 'float64'] as const) {
            if (dtype === 'float64' && m * k * n > 2e7) continue;
            const a = randn(transA ? [k, m] : [m, k], { random, dtype });
            const b = randn(transB ? [n, k] : [k, n], { random, dtype });
            const bias = randn([n], { random, dtype });
            const results = [1, 2, 3, 8].map((threads) => {
              setBackend('native', { threads });
              const product = Array.from(matmul(a, b, { transposeA: transA, transposeB: transB }).data);
              // The fused bias (C starts as the bias rows, beta = 1) through the layer op.
              return transA || transB ? product : [...product, ...Array.from(linear(a, b, bias).data)];
            });
            for (const r of results.slice(1)) expect(r).toEqual(results[0]);
            checked++;
          }
        }
      }
      setBackend('js');
      void initNativeBackend({ threads: info!.threads, select: false });
      expect(checked).toBe(76);
    });

    it('two Node worker threads multiplying at once on 2 threads get the bits of one thread', async () => {
      // The pool runs one product at a time; a second caller runs its parts itself.
      const { Worker } = await import('node:worker_threads');
      const code = `
        const { parentPort, workerData } = require('node:worker_threads');
        const addon = require(workerData.path);
        const [m, k, n] = [256, 784, 512];
        let s = workerData.seed;
        const fill = (len) => { const x = new Float32Array(len); for (let i = 0; i < len; i++) { s = (s * 1103515245 + 12345) >>> 0; x[i] = s / 4294967296 - 0.5; } return x; };
        const a = fill(m * k), b = fill(k * n);
        const run = (threads) => { addon.setThreads(threads, 0, 2); const c = new Float32Array(m * n); addon.matmul(a, b, c, m, k, n, false, false, null); return c; };
        const two = []; for (let r = 0; r < 20; r++) two.push(run(2));
        const one = run(1);
        parentPort.postMessage(two.every((c) => c.every((v, i) => Object.is(v, one[i]))));
      `;
      const same = await Promise.all([1, 2].map((seed) => new Promise<boolean>((resolve, reject) => {
        const worker = new Worker(code, { eval: true, workerData: { path: info!.path, seed } });
        worker.once('message', resolve);
        worker.once('error', reject);
      })));
      expect(same).toEqual([true, true]);
      void initNativeBackend({ threads: info!.threads, select: false });
    });
  });
});
