/**
 * The training loop written by hand, step by step, without fit(): predict with the current
 * weights, compare with the truth through a loss, compute the gradients (backpropagation),
 * adjust the weights. fit() does exactly this for every batch.
 */
import { pathToFileURL } from 'node:url';
import { DataLoader, Dense, SGD, Sequential, binaryAccuracy, binaryCrossentropy, circles, manualSeed, noGrad } from '../src/index.js';

export function trainingLoop(log: (line: string) => void = () => {}): { accuracy: number; losses: number[] } {
  manualSeed(3);
  // Two concentric rings of points: class 1 inside, class 0 outside. No straight line separates them.
  const data = circles({ n: 400, noise: 0.05, seed: 1 });
  const y = data.y.reshape([-1, 1]);
  const model = new Sequential([new Dense(16, { activation: 'tanh', inputDim: 2 }), new Dense(1, { activation: 'sigmoid' })]);
  const optimizer = new SGD(model.parameters(), { learningRate: 0.5, momentum: 0.9 });
  const loader = new DataLoader(data.x, y, { batchSize: 32, seed: 2 });
  const losses: number[] = [];
  log(`${data.x.shape[0]} points, batch size 32 → ${loader.iterationsPerEpoch} iterations (weight updates) per epoch`);

  for (let epoch = 0; epoch < 60; epoch++) {
    for (const batch of loader) {
      const yPred = model.forward(batch.x); // 1. predict with the current weights
      const loss = binaryCrossentropy(batch.y!, yPred); // 2-3. compare with the truth: the loss
      const w = model.parameters()[0]!;
      const before = w.data[0]!;
      optimizer.zeroGrad(); // gradients accumulate, so clear last iteration's
      loss.backward(); // backpropagation: dLoss/dW for every weight
      optimizer.step(); // 4. adjust: w ← w − learningRate · dLoss/dW (plus momentum)
      losses.push(loss.item());
      if (epoch === 0 && batch.iteration === 0) {
        log('\nthe first iteration, step by step:');
        log(`  1. predict:  ŷ = ${fmt(yPred.data.slice(0, 4))} ... (probability of "inside", random weights)`);
        log(`  2. compare:  y = ${fmt(batch.y!.data.slice(0, 4))} ... (the truth)`);
        log(`  3. loss:     binary cross-entropy = ${loss.item().toFixed(4)} (mean over the ${batch.x.shape[0]} points of the batch)`);
        log(`  4. adjust:   dLoss/dW[0][0] = ${w.grad!.data[0]!.toFixed(5)}, so W[0][0] moves ${before.toFixed(5)} → ${w.data[0]!.toFixed(5)}\n`);
      }
    }
    if ((epoch + 1) % 10 === 0) {
      const accuracy = noGrad(() => binaryAccuracy(y, model.eval().forward(data.x)));
      model.train();
      log(`epoch ${epoch + 1}: last batch loss ${losses[losses.length - 1]!.toFixed(4)}, accuracy on all points ${(100 * accuracy).toFixed(1)}%`);
    }
  }
  const accuracy = noGrad(() => binaryAccuracy(y, model.eval().forward(data.x)));
  return { accuracy, losses };
}

function fmt(values: ArrayLike<number>): string {
  return `[${Array.from(values, (v) => v.toFixed(3)).join(', ')}]`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { accuracy } = trainingLoop((line) => console.log(line));
  console.log(`final accuracy: ${(100 * accuracy).toFixed(1)}%`);
}
