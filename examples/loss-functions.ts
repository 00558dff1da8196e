/**
 * Loss functions: one number that says how wrong the predictions are. Mean squared error
 * and mean absolute error for numbers (and what one outlier does to each), binary
 * cross-entropy for yes/no, categorical cross-entropy for one class out of several.
 *
 *   npm run build && node dist/examples/loss-functions.js
 */
import { pathToFileURL } from 'node:url';
import { binaryCrossentropy, categoricalCrossentropy, meanAbsoluteError, meanSquaredError, tensor } from '../src/index.js';

export interface LossFunctionsResult {
  mse: { clean: number; outlier: number };
  mae: { clean: number; outlier: number };
  /** −log(ŷ) for y = 1 at the probabilities in `probabilities`. */
  bce: number[];
  probabilities: number[];
  cce: { confidentRight: number; unsure: number; confidentWrong: number };
}

export function lossFunctions(log: (line: string) => void = () => {}): LossFunctionsResult {
  // Regression: five true values and two sets of predictions; the second misses one by 10.
  const yTrue = tensor([[3], [5], [2.5], [7], [4]]);
  const close = tensor([[2.8], [5.3], [2.4], [6.6], [4.1]]);
  const oneOutlier = tensor([[2.8], [5.3], [2.4], [6.6], [14.1]]);
  const mse = { clean: meanSquaredError(yTrue, close).item(), outlier: meanSquaredError(yTrue, oneOutlier).item() };
  const mae = { clean: meanAbsoluteError(yTrue, close).item(), outlier: meanAbsoluteError(yTrue, oneOutlier).item() };
  log('Regression: 5 predictions, then the same with one of them off by 10');
  log(`  MSE = mean (y − ŷ)²:  ${mse.clean.toFixed(3)} → ${mse.outlier.toFixed(3)}  (×${(mse.outlier / mse.clean).toFixed(0)}: the squared miss dominates)`);
  log(`  MAE = mean |y − ŷ|:   ${mae.clean.toFixed(3)} → ${mae.outlier.toFixed(3)}  (×${(mae.outlier / mae.clean).toFixed(0)}: it grows only in proportion)`);

  // Binary cross-entropy for a true label y = 1: −log(ŷ), small when right, huge when confidently wrong.
  const probabilities = [0.99, 0.9, 0.6, 0.1, 0.01];
  const bce = probabilities.map((p) => binaryCrossentropy(tensor([[1]]), tensor([[p]])).item());
  log('\nBinary cross-entropy for y = 1 (a sigmoid output ŷ is the probability of class 1)');
  probabilities.forEach((p, i) => log(`  ŷ = ${p.toFixed(2)}  →  −log ŷ = ${bce[i]!.toFixed(3)}`));

  // Categorical cross-entropy: the true class is the second of three (one-hot [0, 1, 0]).
  const truth = tensor([[0, 1, 0]]);
  const cce = {
    confidentRight: categoricalCrossentropy(truth, tensor([[0.05, 0.9, 0.05]])).item(),
    unsure: categoricalCrossentropy(truth, tensor([[0.33, 0.34, 0.33]])).item(),
    confidentWrong: categoricalCrossentropy(truth, tensor([[0.9, 0.05, 0.05]])).item(),
  };
  log('\nCategorical cross-entropy, true class 2 of 3 (one-hot [0, 1, 0]): −log of its softmax probability');
  log(`  confident and right [0.05, 0.90, 0.05]: ${cce.confidentRight.toFixed(3)}`);
  log(`  unsure              [0.33, 0.34, 0.33]: ${cce.unsure.toFixed(3)}`);
  log(`  confident and wrong [0.90, 0.05, 0.05]: ${cce.confidentWrong.toFixed(3)}`);
  return { mse, mae, bce, probabilities, cce };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  lossFunctions((line) => console.log(line));
}
