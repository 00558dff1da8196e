/**
 * gradiente in the benchmark: matrix products through the public `matmul` op, and training
 * through the public API (Sequential, Dense, compile, fit), on a given backend.
 */
import { Dense, Dropout, Sequential, Tensor, cosineDecay, initNativeBackend, initWasmBackend, matmul, nativeBackendStatus, noGrad, randn, setBackend } from '../src/node.js';
import type { BenchData } from './data.js';
import { medianSeconds } from './timing.js';
import type { GemmForm, GemmResult, TrainResult, Workload } from './types.js';

/** A gradiente configuration: the reference backend, or wasm or native on some number of threads. */
export interface GradienteConfig {
  backend: 'js' | 'wasm' | 'native';
  threads?: number;
}

export async function useConfig(config: GradienteConfig): Promise<Record<string, string | number | boolean>> {
  if (config.backend === 'js') {
    setBackend('js');
    return { backend: 'js' };
  }
  if (config.backend === 'native') {
    const info = await initNativeBackend(config.threads === undefined ? {} : { threads: config.threads });
    if (info === null) {
      const status = nativeBackendStatus();
      throw new Error(status?.available === false ? status.reason : 'the native backend did not load');
    }
    return { backend: 'native', threads: info.threads, blas: info.blasCore };
  }
  const info = await initWasmBackend(config.threads === undefined ? {} : { threads: config.threads });
  if (info === null) throw new Error('WebAssembly SIMD is not available in this engine');
  return { backend: 'wasm', simd: info.simd, threads: info.threads };
}

export const FORMS: GemmForm[] = ['A·B', 'A·Bᵀ', 'Aᵀ·B'];

export function gemmGradiente(shapes: [number, number, number][], budgetSeconds: number): GemmResult[] {
  const results: GemmResult[] = [];
  noGrad(() => {
    for (const [m, k, n] of shapes) {
      for (const form of FORMS) {
        const ta = form === 'Aᵀ·B';
        const tb = form === 'A·Bᵀ';
        const a = randn(ta ? [k, m] : [m, k]);
        const b = randn(tb ? [n, k] : [k, n]);
        const seconds = medianSeconds(() => matmul(a, b, { transposeA: ta, transposeB: tb }), budgetSeconds);
        results.push({ form, m, k, n, gflops: (2 * m * n * k) / seconds / 1e9 });
      }
    }
  });
  return results;
}

function buildModel(workload: Workload, weights: Float32Array[], iterations: number): Sequential {
  const layers = [];
  for (let i = 1; i < workload.layers.length; i++) {
    const last = i === workload.layers.length - 1;
    layers.push(new Dense(workload.layers[i]!, { activation: last ? 'linear' : 'relu', ...(i === 1 ? { inputDim: workload.layers[0]! } : {}) }));
    if (i === 1 && workload.dropout !== undefined) layers.push(new Dropout(workload.dropout));
  }
  const model = new Sequential(layers);
  model.parameters().forEach((p, i) => (p.data as Float32Array).set(weights[i]!));
  const optimizer =
    workload.optimizer === 'adam-cosine'
      ? { type: 'adam' as const, learningRate: cosineDecay(workload.learningRate, iterations) }
      : { type: 'sgd' as const, learningRate: workload.learningRate };
  // Softmax + categorical cross-entropy, computed from the logits (log-softmax) as every peer does.
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', lossOptions: { fromLogits: true }, metrics: workload.accuracyMetric === true ? ['accuracy'] : [] });
  return model;
}

function trainingTensors(data: BenchData, samples: number): [Tensor, Tensor] {
  const x = new Tensor(data.xTrain.subarray(0, samples * data.inputs), [samples, data.inputs]);
  const y = new Tensor(Float32Array.from(data.yTrain.subarray(0, samples)), [samples]);
  return [x, y];
}

export function testAccuracy(predict: (x: Float32Array, rows: number) => ArrayLike<number>, data: BenchData): number {
  let correct = 0;
  const chunk = 1000;
  for (let start = 0; start < data.testCount; start += chunk) {
    const rows = Math.min(chunk, data.testCount - start);
    const scores = predict(data.xTest.subarray(start * data.inputs, (start + rows) * data.inputs), rows);
    const c = scores.length / rows;
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let j = 1; j < c; j++) if (scores[r * c + j]! > scores[r * c + best]!) best = j;
      if (best === data.yTest[start + r]) correct++;
    }
  }
  return correct / data.testCount;
}

/** Mean of the last tenth of the iteration losses. */
export function finalLoss(losses: number[]): number {
  const tail = losses.slice(Math.floor(losses.length * 0.9));
  return tail.reduce((s, v) => s + v, 0) / tail.length;
}

export async function trainGradiente(workload: Workload, data: BenchData, weights: Float32Array[], samples = workload.samples, batchSize = workload.batchSize): Promise<TrainResult> {
  const iterations = Math.ceil(samples / batchSize);
  const evaluate = workload.evaluateSamples;
  const validation = (): { validationData?: [Tensor, Tensor] } =>
    evaluate === undefined ? {} : { validationData: [new Tensor(data.xTest.subarray(0, evaluate * data.inputs), [evaluate, data.inputs]), new Tensor(Float32Array.from(data.yTest.subarray(0, evaluate)), [evaluate])] };
  // Warm-up on a throwaway model: JIT, kernel memory growth, workers awake.
  const warm = buildModel(workload, weights, iterations);
  const [wx, wy] = trainingTensors(data, Math.min(samples, batchSize * 20));
  await warm.fit(wx, wy, { epochs: 1, batchSize, shuffle: false, ...validation() });

  const model = buildModel(workload, weights, iterations);
  const [x, y] = trainingTensors(data, samples);
  const started = performance.now();
  const history = await model.fit(x, y, { epochs: 1, batchSize, shuffle: false, ...validation() });
  const seconds = (performance.now() - started) / 1000;
  const accuracy = testAccuracy((xs, rows) => model.predict(new Tensor(xs, [rows, data.inputs])).data, data);
  return { samplesPerSecond: samples / seconds, finalLoss: finalLoss(history.iterationLoss), testAccuracy: accuracy, samples, seconds };
}
