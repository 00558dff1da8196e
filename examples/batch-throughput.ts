/**
 * Batch processing: the same work — forward pass, backpropagation and update on every
 * sample once — done in batches of different sizes. Bigger batches turn many small
 * vector products into a few large matrix products, which the hardware (SIMD lanes,
 * caches, threads) does far faster per sample.
 *
 *   npm run build && node dist/examples/batch-throughput.js
 */
import { pathToFileURL } from 'node:url';
import { categoricalCrossentropy, Dense, getBackend, manualSeed, oneHot, randn, ready, Sequential, SGD, slice, Tensor } from '../src/index.js';

export interface ThroughputRow {
  batchSize: number;
  samplesPerSecond: number;
}

export async function batchThroughput(log: (line: string) => void = () => {}, samples = 2048, batchSizes = [1, 8, 32, 128, 512]): Promise<ThroughputRow[]> {
  await ready(); // the fastest backend this machine has
  manualSeed(1);
  // An MNIST-sized network on random inputs: only the arithmetic matters here.
  const model = new Sequential([new Dense(128, { activation: 'relu', inputDim: 784 }), new Dense(64, { activation: 'relu' }), new Dense(10, { activation: 'softmax' })]);
  const optimizer = new SGD(model.parameters(), { learningRate: 0.01 });
  const x = randn([samples, 784]);
  const y = oneHot(new Tensor(Float32Array.from({ length: samples }, (_, i) => i % 10), [samples]), 10);
  const pass = (batchSize: number): void => {
    for (let start = 0; start < samples; start += batchSize) {
      const end = Math.min(samples, start + batchSize);
      const loss = categoricalCrossentropy(slice(y, start, end), model.forward(slice(x, start, end)));
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    }
  };
  pass(64); // warm up (JIT, memory)
  log(`one pass of forward + backward + update over ${samples} samples, 784 → 128 → 64 → 10, backend '${getBackend()}'`);
  log('batch size   samples/second   time per pass');
  const rows = batchSizes.map((batchSize) => {
    const start = performance.now();
    pass(batchSize);
    const seconds = (performance.now() - start) / 1000;
    const row = { batchSize, samplesPerSecond: samples / seconds };
    log(`${String(batchSize).padStart(10)}   ${Math.round(row.samplesPerSecond).toLocaleString('en').padStart(14)}   ${(seconds * 1000).toFixed(0).padStart(10)} ms`);
    return row;
  });
  const first = rows[0]!;
  const best = rows.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
  log(`batches of ${best.batchSize} process ${(best.samplesPerSecond / first.samplesPerSecond).toFixed(0)}× more samples per second than one sample at a time`);
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await batchThroughput((line) => console.log(line));
}
