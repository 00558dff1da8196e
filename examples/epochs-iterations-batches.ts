/**
 * Epochs, iterations and batches. A batch is a slice of the data; one iteration is one
 * weight update computed on one batch; one epoch is one pass over all N samples, so an
 * epoch has ceil(N / batchSize) iterations.
 *
 *   npm run build && node dist/examples/epochs-iterations-batches.js
 */
import { pathToFileURL } from 'node:url';
import { DataLoader, Dense, LambdaCallback, manualSeed, Sequential, spiral } from '../src/index.js';

export interface EpochsResult {
  samples: number;
  iterationsPerEpoch: Record<string, number>;
  /** [epoch, iteration of the run, batch within the epoch, samples in the batch] for each weight update of the fit. */
  updates: [number, number, number, number][];
}

export async function epochsIterationsBatches(log: (line: string) => void = () => {}): Promise<EpochsResult> {
  const data = spiral({ n: 300, seed: 1 });
  const n = data.x.shape[0]!;
  const iterationsPerEpoch: Record<string, number> = {};
  log(`N = ${n} samples`);
  for (const batchSize of [1, 32, 64, 100, 'full'] as const) {
    const loader = new DataLoader(data.x, data.y, { batchSize });
    iterationsPerEpoch[String(batchSize)] = loader.iterationsPerEpoch;
    log(`  batch size ${String(batchSize).padEnd(4)} → ${String(loader.iterationsPerEpoch).padStart(3)} iteration${loader.iterationsPerEpoch === 1 ? ' ' : 's'} per epoch (ceil(${n} / ${loader.batchSize}))`);
  }

  // Watch a real fit: 3 epochs with batches of 128 → 3 iterations each (128 + 128 + 44 samples).
  manualSeed(1);
  const model = new Sequential([new Dense(8, { activation: 'relu', inputDim: 2 }), new Dense(3, { activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const updates: EpochsResult['updates'] = [];
  let samplesInBatch = 0;
  const watch = new LambdaCallback({
    onBatchEnd: (batch, logs) => {
      samplesInBatch = Math.min(128, n - batch * 128);
      updates.push([logs.epoch + 1, logs.iteration, batch + 1, samplesInBatch]);
      log(`  epoch ${logs.epoch + 1}, batch ${batch + 1}: iteration ${logs.iteration} updated the weights using ${samplesInBatch} samples (loss ${logs.loss.toFixed(3)})`);
    },
    onEpochEnd: (epoch) => log(`  — end of epoch ${epoch + 1}: every sample was used once`),
  });
  log('\nfit(x, y, { epochs: 3, batchSize: 128 }):');
  const history = await model.fit(data.x, data.y, { epochs: 3, batchSize: 128, seed: 2, callbacks: [watch] });
  log(`${history.iterationLoss.length} iterations in all = 3 epochs × ${history.iterationsPerEpoch} iterations per epoch`);
  return { samples: n, iterationsPerEpoch, updates };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await epochsIterationsBatches((line) => console.log(line));
}
