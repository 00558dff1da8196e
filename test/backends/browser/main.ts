/**
 * The 'wasm' backend in a browser page, for test/backends/browser.test.ts: the same library
 * code as in Node, with Web Workers instead of worker_threads and a main thread that may
 * not block. `runWasmChecks()` compares wasm with js on products (split across threads
 * where the page may share memory) and on a training step.
 */
import { Random, getBackend, initWasmBackend, linear, logSoftmax, matmul, mean, mul, randn, relu, setBackend, sum, Tensor, wasmBackendInfo } from '../../../src/index.js';

function worstNormwise(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let err = 0;
  let size = 1e-30;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - want[i]!));
    size = Math.max(size, Math.abs(want[i]!));
  }
  return err / size;
}

function onBoth<T>(fn: () => T): { js: T; wasm: T } {
  setBackend('js');
  const js = fn();
  setBackend('wasm');
  const wasm = fn();
  setBackend('js');
  return { js, wasm };
}

async function runWasmChecks() {
  const info = await initWasmBackend({ select: false, parallelThreshold: 1 });
  if (info === null) return { info: null };
  const random = new Random(1);
  const products: Record<string, number> = {};
  for (const [m, k, n] of [[1, 784, 128], [64, 784, 128], [129, 513, 67], [300, 200, 500]] as const) {
    for (const [ta, tb] of [[false, false], [false, true], [true, false]] as const) {
      const a = randn(ta ? [k, m] : [m, k], { random });
      const b = randn(tb ? [n, k] : [k, n], { random });
      const { js, wasm } = onBoth(() => matmul(a, b, { transposeA: ta, transposeB: tb }).data);
      products[`${m}x${k}x${n}${ta ? 'T' : ''}${tb ? 'T' : ''}`] = worstNormwise(wasm, js);
    }
  }
  const step = () => {
    const r = new Random(5);
    const x = randn([32, 20], { random: r });
    const w1 = randn([20, 16], { random: r, requiresGrad: true });
    const b1 = randn([16], { random: r, requiresGrad: true });
    const w2 = randn([16, 4], { random: r, requiresGrad: true });
    const labels = new Float32Array(32 * 4);
    for (let i = 0; i < 32; i++) labels[i * 4 + (i % 4)] = 1;
    const loss = mean(sum(mul(new Tensor(labels, [32, 4]), logSoftmax(linear(relu(linear(x, w1, b1)), w2))), -1)).neg();
    loss.backward();
    return [loss.item(), ...w1.grad!.data, ...b1.grad!.data, ...w2.grad!.data];
  };
  const training = onBoth(step);
  return {
    info: wasmBackendInfo(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    cores: navigator.hardwareConcurrency,
    backendAfter: getBackend(),
    products,
    training: worstNormwise(training.wasm, training.js),
  };
}

(globalThis as { runWasmChecks?: typeof runWasmChecks }).runWasmChecks = runWasmChecks;
document.body.dataset.ready = 'true';
