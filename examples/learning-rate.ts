/**
 * The learning rate is the size of each gradient-descent step. Too small and training
 * crawls; too large and each step jumps over the minimum, further every time, until the
 * loss explodes. Same two-parameter problem as gradient-descent.ts, three step sizes.
 *
 *   npm run build && node dist/examples/learning-rate.js
 */
import { pathToFileURL } from 'node:url';
import { gradientDescent } from './gradient-descent.js';

export interface LearningRateRun {
  learningRate: number;
  losses: number[];
  w: number;
  b: number;
}

export function learningRates(log: (line: string) => void = () => {}, rates = [0.01, 0.5, 1.2], steps = 40): LearningRateRun[] {
  log(`fitting y = w·x + b (the data: w = 2, b = 1) with ${steps} gradient-descent steps`);
  log('learning rate   loss at step 0        5       10       20       40   found w, b');
  return rates.map((learningRate) => {
    const { losses, w, b } = gradientDescent(() => {}, learningRate, steps);
    const at = (i: number): string => (losses[i]! < 1e5 ? losses[i]!.toFixed(4) : losses[i]!.toExponential(1)).padStart(8);
    const verdict = losses[steps]! > losses[0]! ? 'diverges: every step overshoots further' : losses[steps]! > 0.05 ? 'crawls: still far after all those steps' : 'converges';
    log(`${String(learningRate).padStart(13)}   ${at(0)} ${at(5)} ${at(10)} ${at(20)} ${at(40)}   ${w.toPrecision(3)}, ${b.toPrecision(3)}  ← ${verdict}`);
    return { learningRate, losses, w, b };
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  learningRates((line) => console.log(line));
}
