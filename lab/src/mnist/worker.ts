/**
 * The MNIST worker: loads the built-in digits, trains with model.fit (its callbacks report
 * progress), answers predictions for the drawing canvas and measures throughput per batch
 * size. Running here keeps the page's own thread free to draw and respond.
 */
import {
  createOptimizer,
  DataLoader,
  Dense,
  manualSeed,
  mnistFromBytes,
  noGrad,
  oneHot,
  ready,
  Sequential,
  splitMnist,
  tensor,
  wasmBackendInfo,
  categoricalCrossentropy,
  type Tensor,
} from '../../../src/index.js';
import digitsUrl from '@mnist-bytes/mnist-digits.bin?url';
import type { FromWorker, ToWorker, TrainConfig } from './protocol.js';

interface Scope {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as Scope;

let data: { xTrain: Tensor; yTrain: Tensor; xTest: Tensor; yTest: Tensor } | null = null;
let model: Sequential | null = null;
let stopRequested = false;
let training = false;

const post = (message: FromWorker): void => scope.postMessage(message);

function makeModel(hidden: number, seed = 1): Sequential {
  manualSeed(seed);
  return new Sequential([new Dense(hidden, { activation: 'relu', inputDim: 784 }), new Dense(10, { activation: 'softmax' })]);
}

/**
 * The digits as compact bytes (one per pixel, 7.9 MB), read as they arrive so the page can
 * show progress; the same split as the library's loadMnist from the `mnist` package.
 */
async function fetchDigits(): Promise<ReturnType<typeof mnistFromBytes>> {
  const response = await fetch(digitsUrl);
  if (!response.ok) throw new Error(`MNIST digits: ${digitsUrl} answered ${response.status} ${response.statusText}`);
  const total = Number(response.headers.get('Content-Length')) || 0;
  const reader = response.body?.getReader();
  if (reader === undefined) return mnistFromBytes(await response.arrayBuffer(), digitsUrl);
  const chunks: Uint8Array[] = [];
  let received = 0;
  let lastPost = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    const now = performance.now();
    if (now - lastPost > 50) {
      post({ type: 'loading', received, total });
      lastPost = now;
    }
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  post({ type: 'loading', received, total: received });
  return mnistFromBytes(bytes, digitsUrl);
}

async function load(): Promise<void> {
  const start = performance.now();
  const [backend, digits] = await Promise.all([ready(), fetchDigits()]);
  const split = splitMnist(digits, { trainSize: 8000, testSize: 2000, seed: 0 });
  data = { xTrain: split.xTrain, yTrain: oneHot(split.yTrain, 10), xTest: split.xTest, yTest: oneHot(split.yTest, 10) };
  post({
    type: 'loaded',
    trainSize: split.xTrain.shape[0]!,
    testSize: split.xTest.shape[0]!,
    backend,
    threads: wasmBackendInfo()?.threads ?? 1,
    seconds: (performance.now() - start) / 1000,
  });
}

async function train(config: TrainConfig): Promise<void> {
  if (data === null) await load();
  const d = data!;
  training = true;
  stopRequested = false;
  model = makeModel(config.hidden);
  model.compile({ optimizer: { type: config.optimizer, learningRate: config.learningRate }, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const iterationsPerEpoch = Math.ceil(d.xTrain.shape[0]! / config.batchSize);
  const totalIterations = iterationsPerEpoch * config.epochs;
  // About ten test evaluations per epoch draw the accuracy curve without slowing training much.
  const evaluateEvery = Math.max(1, Math.floor(iterationsPerEpoch / 10));
  const start = performance.now();
  let lastPost = 0;
  let pending: number[] = [];
  const m = model;
  const evaluate = (iteration: number): void => {
    const { loss, accuracy } = m.evaluate(d.xTest, d.yTest, { batchSize: 500 });
    post({ type: 'evaluated', iteration, testLoss: loss!, testAccuracy: accuracy! });
  };
  evaluate(0);
  const history = await m.fit(d.xTrain, d.yTrain, {
    epochs: config.epochs,
    batchSize: config.batchSize,
    seed: 2,
    callbacks: [
      {
        onBatchEnd: (_batch, logs, context) => {
          const now = performance.now();
          pending.push(logs.loss);
          // A message every few dozen milliseconds carries every batch loss since the last one.
          if (now - lastPost > 40 || logs.iteration === totalIterations || stopRequested) {
            post({ type: 'progress', iteration: logs.iteration, totalIterations, epoch: logs.epoch, loss: logs.loss, losses: pending });
            pending = [];
            lastPost = now;
          }
          if (logs.iteration % evaluateEvery === 0 && logs.iteration !== totalIterations) evaluate(logs.iteration);
          if (stopRequested) context.stop('callback', 'stopped from the page');
        },
      },
    ],
  });
  const seconds = (performance.now() - start) / 1000;
  const { loss, accuracy } = m.evaluate(d.xTest, d.yTest, { batchSize: 500 });
  const iterations = history.iterationLoss.length;
  const n = d.xTrain.shape[0]!;
  // Every epoch but a stopped last one saw all n samples; a partial epoch saw full batches.
  const samples = Math.floor(iterations / iterationsPerEpoch) * n + (iterations % iterationsPerEpoch) * config.batchSize;
  post({ type: 'evaluated', iteration: iterations, testLoss: loss!, testAccuracy: accuracy! });
  post({ type: 'done', testLoss: loss!, testAccuracy: accuracy!, seconds, samplesPerSecond: samples / seconds, stopped: history.stopped !== null });
  training = false;
}

let sampleIndex = 0;

/** The next test digit (a stride through the test set, so repeated presses show different ones). */
async function sample(): Promise<void> {
  if (data === null) await load();
  const d = data!;
  const n = d.xTest.shape[0]!;
  const i = (sampleIndex = (sampleIndex + 137) % n);
  const pixels = Float32Array.from(d.xTest.data.subarray(i * 784, (i + 1) * 784));
  let label = 0;
  for (let k = 1; k < 10; k++) if (d.yTest.data[i * 10 + k]! > d.yTest.data[i * 10 + label]!) label = k;
  post({ type: 'sample', pixels, label });
}

function predict(pixels: Float32Array): void {
  const m = model ?? makeModel(128);
  const probabilities = noGrad(() => m.predict(tensor(pixels, [1, 784])));
  post({ type: 'prediction', probabilities: Array.from(probabilities.data) });
}

/**
 * Samples per second of training (forward, loss, backward, update) for each batch size, on
 * the same network: small batches pay the per-iteration overhead for few samples; large ones
 * keep the arithmetic units busy. The first iteration of each size is a warm-up, not counted.
 */
async function throughput(batchSizes: number[], secondsEach: number): Promise<void> {
  if (data === null) await load();
  const d = data!;
  for (const batchSize of batchSizes) {
    const net = makeModel(128, 3);
    const optimizer = createOptimizer({ type: 'sgd', learningRate: 0.01 }, net.parameters());
    const loader = new DataLoader(d.xTrain, d.yTrain, { batchSize, shuffle: true, seed: 4 });
    let batches = loader[Symbol.iterator]();
    const next = (): { x: Tensor; y: Tensor } => {
      let n = batches.next();
      if (n.done) {
        batches = loader[Symbol.iterator]();
        n = batches.next();
      }
      return n.value as { x: Tensor; y: Tensor };
    };
    const iterate = (): void => {
      const { x, y } = next();
      const loss = categoricalCrossentropy(y, net.forward(x));
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    };
    iterate();
    let iterations = 0;
    const start = performance.now();
    while (performance.now() - start < secondsEach * 1000 || iterations < 2) {
      iterate();
      iterations++;
    }
    const seconds = (performance.now() - start) / 1000;
    post({ type: 'throughput', batchSize, samplesPerSecond: (iterations * batchSize) / seconds, iterations });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  post({ type: 'throughputDone' });
}

scope.onmessage = (event) => {
  const message = event.data;
  const run = async (): Promise<void> => {
    switch (message.type) {
      case 'load': return load();
      case 'train':
        if (!training) await train(message.config);
        return;
      case 'stop':
        stopRequested = true;
        return;
      case 'predict': return predict(message.pixels);
      case 'sample': return sample();
      case 'throughput': return throughput(message.batchSizes, message.secondsEach);
    }
  };
  run().catch((error: unknown) => {
    training = false;
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
};
