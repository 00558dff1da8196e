/**
 * Why BCE "learns faster": one sigmoid neuron ŷ = σ(w·x + b) that starts confidently wrong
 * (ŷ ≈ 0 for a sample of class y = 1), trained twice from the same start with the same η, once
 * with MSE and once with BCE. With MSE the gradient carries the factor σ′(z) = ŷ(1 − ŷ), which is
 * almost zero exactly when the neuron is sure and wrong; with BCE that factor cancels and
 * ∂L/∂z = ŷ − y. Engine only (ops, the library's losses, backward(), SGD): a test runs it too.
 */
import { add, binaryCrossentropy, getActivation, meanSquaredError, mul, SGD, tensor } from '../../../src/index.js';

export interface RaceRun {
  /** ŷ at the start and after every iteration. */
  predictions: number[];
  losses: number[];
  /** ∂L/∂z at the start (from backward(): the bias gradient, since ∂z/∂b = 1). */
  firstGradient: number;
  /** First iteration after which ŷ ≥ the goal, or null if it never got there. */
  reachedAt: number | null;
}

export interface RaceOptions {
  /** z = w·x + b at the start (negative: sure of the wrong class). */
  startZ: number;
  learningRate: number;
  iterations: number;
  /** The prediction that counts as "learned". */
  goal: number;
}

export const defaultRace: RaceOptions = { startZ: -5, learningRate: 0.5, iterations: 150, goal: 0.9 };

const sigmoid = getActivation('sigmoid');

export function race(loss: 'mse' | 'bce', options: RaceOptions = defaultRace): RaceRun {
  // x = 1 and y = 1; w and b share the start so that z = w + b = startZ.
  const w = tensor([options.startZ / 2], [1, 1], { requiresGrad: true });
  const b = tensor([options.startZ / 2], [1], { requiresGrad: true });
  const x = tensor([1], [1, 1]);
  const y = tensor([1], [1, 1]);
  const optimizer = new SGD([w, b], { learningRate: options.learningRate });
  const predictions: number[] = [];
  const losses: number[] = [];
  let firstGradient = Number.NaN;
  let reachedAt: number | null = null;
  for (let k = 0; k <= options.iterations; k++) {
    const yHat = sigmoid(add(mul(x, w), b));
    const value = loss === 'mse' ? meanSquaredError(y, yHat) : binaryCrossentropy(y, yHat);
    predictions.push(yHat.item());
    losses.push(value.item());
    if (reachedAt === null && yHat.item() >= options.goal) reachedAt = k;
    if (k === options.iterations) break;
    optimizer.zeroGrad();
    value.backward();
    if (k === 0) firstGradient = b.grad!.item();
    optimizer.step();
  }
  return { predictions, losses, firstGradient, reachedAt };
}
