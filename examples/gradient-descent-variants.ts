/**
 * Batch, stochastic and mini-batch gradient descent: the same data, model and learning rate,
 * trained for the same number of epochs with three batch sizes. The batch size decides how
 * many weight updates an epoch makes (iterationsPerEpoch = ceil(N / batchSize)), how noisy
 * each one is, and how long an epoch takes.
 *
 *   npm run build && node dist/examples/gradient-descent-variants.js
 */
import { pathToFileURL } from 'node:url';
import { circles, Dense, manualSeed, Sequential } from '../src/index.js';

export interface VariantRun {
  name: string;
  batchSize: number | 'full';
  iterationsPerEpoch: number;
  updates: number;
  finalLoss: number;
  accuracy: number;
  seconds: number;
}

export async function gradientDescentVariants(log: (line: string) => void = () => {}, epochs = 20): Promise<VariantRun[]> {
  const data = circles({ n: 512, noise: 0.05, seed: 1 });
  const y = data.y.reshape([-1, 1]);
  const runs: VariantRun[] = [];
  log(`${data.x.shape[0]} samples, ${epochs} epochs, plain SGD with learning rate 0.1 for all three`);
  log('variant                     batch   iterations/epoch   updates   final loss   accuracy   time');
  for (const [name, batchSize] of [
    ['batch gradient descent', 'full'],
    ['stochastic gradient descent', 1],
    ['mini-batch gradient descent', 32],
  ] as const) {
    manualSeed(3); // the same initial weights every time
    const model = new Sequential([new Dense(16, { activation: 'tanh', inputDim: 2 }), new Dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: { type: 'sgd', learningRate: 0.1 }, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const start = performance.now();
    const history = await model.fit(data.x, y, { epochs, batchSize, seed: 5 });
    const seconds = (performance.now() - start) / 1000;
    const { loss, accuracy } = model.evaluate(data.x, y) as { loss: number; accuracy: number };
    const run = { name, batchSize, iterationsPerEpoch: history.iterationsPerEpoch, updates: history.iterationLoss.length, finalLoss: loss, accuracy, seconds };
    runs.push(run);
    log(`${name.padEnd(27)} ${String(batchSize).padStart(5)}   ${String(run.iterationsPerEpoch).padStart(16)}   ${String(run.updates).padStart(7)}   ${loss.toFixed(4).padStart(10)}   ${(100 * accuracy).toFixed(1).padStart(7)}%   ${seconds.toFixed(2)}s`);
  }
  log('batch: one exact but costly step per epoch, so few steps; stochastic: many cheap, noisy steps;');
  log('mini-batch: enough steps, each averaged over 32 samples — the usual choice.');
  return runs;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await gradientDescentVariants((line) => console.log(line));
}
