/**
 * TensorFlow.js as a peer: the `@tensorflow/tfjs` cpu backend and `@tensorflow/tfjs-backend-wasm`
 * (XNNPACK), the same workloads through its Layers API (tf.sequential, compile, fit) with
 * the same data, order, initial weights and hyper-parameters.
 */
import type { BenchData } from './data.js';
import { FORMS, finalLoss, testAccuracy } from './gradiente.js';
import type { Contender, GemmResult, TrainResult, Workload } from './types.js';

type Tf = typeof import('@tensorflow/tfjs');

let tfPromise: Promise<Tf> | null = null;

/** Load tfjs once; its Node greeting (a suggestion to install tfjs-node) is dropped. */
async function loadTf(): Promise<Tf> {
  tfPromise ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    return tf;
  })();
  return tfPromise;
}

async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  const drop = (orig: (...a: unknown[]) => void) => (...args: unknown[]) => {
    if (typeof args[0] === 'string' && /tfjs-node|Hi there|backend was already registered/.test(args[0])) return;
    orig(...args);
  };
  console.log = drop(log);
  console.warn = drop(warn);
  try {
    return await fn();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function gemmTf(tf: Tf, shapes: [number, number, number][], budgetSeconds: number): GemmResult[] {
  const out: GemmResult[] = [];
  for (const [m, k, n] of shapes) {
    for (const form of FORMS) {
      const ta = form === 'Aᵀ·B';
      const tb = form === 'A·Bᵀ';
      const a = tf.randomNormal(ta ? [k, m] : [m, k]) as import('@tensorflow/tfjs').Tensor2D;
      const b = tf.randomNormal(tb ? [n, k] : [k, n]) as import('@tensorflow/tfjs').Tensor2D;
      const once = (): number => {
        const t0 = performance.now();
        const c = tf.matMul(a, b, ta, tb);
        c.dataSync();
        c.dispose();
        return (performance.now() - t0) / 1000;
      };
      const first = once();
      const rounds: number[] = [];
      const deadline = performance.now() + budgetSeconds * 1000;
      // At least 3 timed calls; slow backends (the cpu one takes seconds at 1024³) stop there.
      while (rounds.length < 3 || (performance.now() < deadline && rounds.length < 15)) rounds.push(once());
      void first;
      out.push({ form, m, k, n, gflops: (2 * m * n * k) / median(rounds) / 1e9 });
      a.dispose();
      b.dispose();
    }
  }
  return out;
}

function buildModel(tf: Tf, workload: Workload, weights: Float32Array[]) {
  const model = tf.sequential();
  const L = workload.layers;
  for (let i = 1; i < L.length; i++) {
    const last = i === L.length - 1;
    model.add(tf.layers.dense({ units: L[i]!, activation: last ? 'softmax' : 'relu', ...(i === 1 ? { inputShape: [L[0]!] } : {}) }));
  }
  model.compile({ optimizer: tf.train.sgd(workload.learningRate), loss: 'categoricalCrossentropy' });
  const tensors = weights.map((w, i) => {
    const layer = Math.floor(i / 2) + 1;
    return i % 2 === 0 ? tf.tensor2d(w, [L[layer - 1]!, L[layer]!]) : tf.tensor1d(w);
  });
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
  return model;
}

async function trainTf(tf: Tf, workload: Workload, data: BenchData, weights: Float32Array[]): Promise<TrainResult> {
  const samples = workload.samples;
  const batchSize = workload.batchSize;
  const oneHot = (count: number) => {
    const y = new Float32Array(count * data.classes);
    for (let i = 0; i < count; i++) y[i * data.classes + data.yTrain[i]!] = 1;
    return tf.tensor2d(y, [count, data.classes]);
  };
  // Warm-up on a throwaway model.
  {
    const count = Math.min(samples, batchSize * 20);
    const model = buildModel(tf, workload, weights);
    const x = tf.tensor2d(data.xTrain.subarray(0, count * data.inputs), [count, data.inputs]);
    const y = oneHot(count);
    await model.fit(x, y, { batchSize, epochs: 1, shuffle: false, verbose: 0 });
    tf.dispose([x, y]);
    model.dispose();
  }
  const model = buildModel(tf, workload, weights);
  const x = tf.tensor2d(data.xTrain.subarray(0, samples * data.inputs), [samples, data.inputs]);
  const y = oneHot(samples);
  const losses: number[] = [];
  const started = performance.now();
  await model.fit(x, y, {
    batchSize,
    epochs: 1,
    shuffle: false,
    verbose: 0,
    callbacks: { onBatchEnd: async (_batch, logs) => void losses.push(logs!.loss as number) },
  });
  const seconds = (performance.now() - started) / 1000;
  tf.dispose([x, y]);
  const accuracy = testAccuracy((xs, rows) => {
    return tf.tidy(() => (model.predict(tf.tensor2d(xs, [rows, data.inputs])) as import('@tensorflow/tfjs').Tensor).dataSync());
  }, data);
  model.dispose();
  return { samplesPerSecond: samples / seconds, finalLoss: finalLoss(losses), testAccuracy: accuracy, samples, seconds };
}

export async function runTfjs(
  backend: 'cpu' | 'wasm',
  data: BenchData,
  jobs: { workload: Workload; weights: Float32Array[] }[],
  gemmShapes: [number, number, number][],
  gemmBudgetSeconds: number,
  log: (line: string) => void,
): Promise<Contender> {
  const id = `tfjs-${backend}`;
  const label = backend === 'cpu' ? 'TensorFlow.js cpu' : 'TensorFlow.js wasm';
  const contender: Contender = { id, label, gemm: [], workloads: {} };
  let tf: Tf;
  try {
    tf = await quietly(loadTf);
    if (!(await quietly(() => tf.setBackend(backend)))) throw new Error(`backend '${backend}' did not initialize`);
    await tf.ready();
  } catch (error) {
    contender.skipped = `not available: ${error instanceof Error ? error.message : String(error)}`;
    return contender;
  }
  contender.details = { version: tf.version.tfjs, backend: tf.getBackend() };
  if (backend === 'wasm') {
    contender.details.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    contender.details.threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  }
  await quietly(async () => {
    contender.gemm = gemmTf(tf, gemmShapes, gemmBudgetSeconds);
    log(`  ${label}: GEMM done`);
    for (const { workload, weights } of jobs) {
      // W4 (npm start: dropout, Adam + cosine, evaluation) has a PyTorch twin only.
      if (workload.optimizer !== undefined) continue;
      contender.workloads[workload.id] = await trainTf(tf, workload, data, weights);
      log(`  ${label}: ${workload.id} ${Math.round(contender.workloads[workload.id]!.samplesPerSecond)} samples/s`);
    }
  });
  return contender;
}
