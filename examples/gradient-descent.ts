/**
 * Gradient descent on a model with two parameters, y = w·x + b, written out by hand: the
 * loss is a landscape over (w, b); the gradient points uphill, so each step goes the
 * other way, by learningRate times the slope. The data lie on y = 2x + 1 plus noise.
 *
 *   npm run build && node dist/examples/gradient-descent.js
 */
import { pathToFileURL } from 'node:url';
import { add, line, meanSquaredError, mul, noGrad, tensor } from '../src/index.js';

export interface GradientDescentResult {
  w: number;
  b: number;
  losses: number[];
}

export function gradientDescent(log: (line: string) => void = () => {}, learningRate = 0.1, steps = 60): GradientDescentResult {
  const data = line({ n: 200, slope: 2, intercept: 1, noise: 0.1, seed: 1 });
  // The two parameters, starting far from the answer.
  const w = tensor([-1], [1], { requiresGrad: true });
  const b = tensor([3], [1], { requiresGrad: true });
  const losses: number[] = [];
  log(`fitting y = w·x + b to ${data.x.shape[0]} points of y = 2x + 1 + noise, learning rate ${learningRate}`);
  log(' step        w        b      loss    dL/dw    dL/db');
  for (let step = 0; step <= steps; step++) {
    const prediction = add(mul(data.x, w), b); // ŷ = w·x + b for every point
    const loss = meanSquaredError(data.y, prediction);
    w.grad = null;
    b.grad = null;
    loss.backward(); // dL/dw and dL/db: the slope of the landscape where we stand
    losses.push(loss.item());
    if (step % 10 === 0 || step < 3) {
      log(`${String(step).padStart(5)} ${w.data[0]!.toFixed(4).padStart(8)} ${b.data[0]!.toFixed(4).padStart(8)} ${loss.item().toFixed(5).padStart(9)} ${w.grad!.data[0]!.toFixed(4).padStart(8)} ${b.grad!.data[0]!.toFixed(4).padStart(8)}`);
    }
    if (step === steps) break;
    noGrad(() => {
      // One step downhill: w ← w − learningRate · dL/dw (and the same for b).
      w.data[0] = w.data[0]! - learningRate * w.grad!.data[0]!;
      b.data[0] = b.data[0]! - learningRate * b.grad!.data[0]!;
    });
  }
  log(`found w = ${w.data[0]!.toFixed(3)}, b = ${b.data[0]!.toFixed(3)} (the data were made with w = 2, b = 1)`);
  return { w: w.data[0]!, b: b.data[0]!, losses };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  gradientDescent((line) => console.log(line));
}
