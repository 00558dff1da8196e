/**
 * Derivatives: how much the output moves when an input moves a little. Backpropagation
 * computes them exactly (autograd); finite differences estimate them by nudging the input
 * — which is how gradcheck verifies that the exact ones are right.
 *
 *   npm run build && node dist/examples/derivatives.js
 */
import { pathToFileURL } from 'node:url';
import { activationValues, getActivation, gradcheck, linear, manualSeed, meanSquaredError, randn, sum, tanh, tensor, type Tensor } from '../src/index.js';

export interface DerivativesResult {
  points: number[];
  /** Per activation: f'(z) from backpropagation and from finite differences. */
  derivatives: Record<string, { autograd: number[]; finiteDifference: number[] }>;
  gradcheck: { ok: boolean; maxRelError: number };
}

export function derivatives(log: (line: string) => void = () => {}): DerivativesResult {
  const points = [-4, -2, -0.5, 0.5, 2, 4];
  const h = 1e-3;
  const derivativesByName: DerivativesResult['derivatives'] = {};
  log(`f'(z) at z = ${points.join(', ')}: backpropagation | finite difference (f(z+h) − f(z−h)) / 2h, h = ${h}`);
  for (const name of ['sigmoid', 'tanh', 'relu'] as const) {
    // Autograd: f applied to every z, summed, then backward(): each z gets its own f'(z).
    const z = tensor(points, [points.length], { requiresGrad: true, dtype: 'float64' });
    sum(getActivation(name)(z)).backward();
    const autograd = Array.from(z.grad!.data);
    const plus = activationValues(name, points.map((p) => p + h));
    const minus = activationValues(name, points.map((p) => p - h));
    const finiteDifference = points.map((_, i) => (plus[i]! - minus[i]!) / (2 * h));
    derivativesByName[name] = { autograd, finiteDifference };
    log(`  ${name.padEnd(8)} ${autograd.map((d, i) => `${d.toFixed(4)}|${finiteDifference[i]!.toFixed(4)}`).join('  ')}`);
  }
  log('  sigmoid and tanh flatten out: far from 0 their derivative is nearly 0 (learning slows);');
  log('  relu\'s derivative is a step: 0 for z < 0, 1 for z > 0.');

  // The same check on a whole network: every weight's dLoss/dW, exact against nudged.
  manualSeed(1);
  const x = randn([6, 3]);
  const y = randn([6, 2]);
  const loss = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor => meanSquaredError(y, linear(tanh(linear(x, w1, b1)), w2, b2));
  const report = gradcheck(loss, [randn([3, 4]), randn([4]), randn([4, 2]), randn([2])]);
  log(`\ngradcheck of a 3 → 4 (tanh) → 2 network's loss with respect to all 26 weights and biases:`);
  log(`  largest relative difference between backpropagation and finite differences: ${report.maxRelError.toExponential(2)} → ${report.ok ? 'the gradients are right' : 'MISMATCH'}`);
  return { points, derivatives: derivativesByName, gradcheck: { ok: report.ok, maxRelError: report.maxRelError } };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  derivatives((line) => console.log(line));
}
