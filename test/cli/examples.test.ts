/**
 * The course in code: every example in examples/ runs, prints what it is about, and shows
 * what it claims (the numbers are checked, not only the exit status).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchThroughput } from '../../examples/batch-throughput.js';
import { derivatives } from '../../examples/derivatives.js';
import { epochsIterationsBatches } from '../../examples/epochs-iterations-batches.js';
import { gradientDescentVariants } from '../../examples/gradient-descent-variants.js';
import { gradientDescent } from '../../examples/gradient-descent.js';
import { learningRates } from '../../examples/learning-rate.js';
import { lossFunctions } from '../../examples/loss-functions.js';
import { vanishingGradients } from '../../examples/vanishing-gradients.js';
import { buildOnce } from './cli-harness.js';

describe('examples: what each one shows', () => {
  it('loss-functions: one outlier multiplies MSE far more than MAE; cross-entropy punishes confident mistakes', () => {
    const r = lossFunctions();
    expect(r.mse.outlier / r.mse.clean).toBeGreaterThan(100);
    expect(r.mae.outlier / r.mae.clean).toBeLessThan(20);
    r.probabilities.forEach((p, i) => expect(r.bce[i]).toBeCloseTo(-Math.log(p), 5));
    expect(r.cce.confidentRight).toBeLessThan(r.cce.unsure);
    expect(r.cce.unsure).toBeLessThan(r.cce.confidentWrong);
  });

  it('gradient-descent: two parameters walk downhill to the line the data came from', () => {
    const r = gradientDescent();
    expect(r.w).toBeCloseTo(2, 1);
    expect(r.b).toBeCloseTo(1, 1);
    for (let i = 1; i < r.losses.length; i++) expect(r.losses[i]).toBeLessThanOrEqual(r.losses[i - 1]!);
  });

  it('learning-rate: too small crawls, right converges, too large diverges', () => {
    const [small, right, large] = learningRates();
    expect(small!.losses.at(-1)).toBeGreaterThan(1);
    expect(right!.losses.at(-1)).toBeLessThan(0.01);
    expect(large!.losses.at(-1)).toBeGreaterThan(1e6);
  });

  it('derivatives: backpropagation agrees with finite differences, and gradcheck passes', () => {
    const r = derivatives();
    for (const { autograd, finiteDifference } of Object.values(r.derivatives)) {
      autograd.forEach((d, i) => expect(d).toBeCloseTo(finiteDifference[i]!, 5));
    }
    expect(r.derivatives.relu!.autograd).toEqual([0, 0, 0, 1, 1, 1]);
    expect(r.derivatives.sigmoid!.autograd[0]).toBeLessThan(0.02); // flat far from 0
    expect(r.gradcheck.ok).toBe(true);
  });

  it('vanishing-gradients: with sigmoid the first layer gets orders of magnitude less gradient than with relu', () => {
    const { norms, depth } = vanishingGradients();
    expect(norms.sigmoid[depth]! / norms.sigmoid[0]!).toBeGreaterThan(1e3);
    expect(norms.relu[depth]! / norms.relu[0]!).toBeLessThan(10);
    expect(norms.relu[0]! / norms.sigmoid[0]!).toBeGreaterThan(100);
  });

  it('gradient-descent-variants: the batch size sets the updates per epoch; stochastic makes the most', async () => {
    const [batch, stochastic, mini] = await gradientDescentVariants(() => {}, 10);
    expect([batch!.iterationsPerEpoch, stochastic!.iterationsPerEpoch, mini!.iterationsPerEpoch]).toEqual([1, 512, 16]);
    expect([batch!.updates, stochastic!.updates, mini!.updates]).toEqual([10, 5120, 160]);
    expect(stochastic!.finalLoss).toBeLessThan(batch!.finalLoss);
  }, 30_000);

  it('epochs-iterations-batches: iterations per epoch = ceil(N / batch size), and fit updates once per batch', async () => {
    const r = await epochsIterationsBatches();
    expect(r.iterationsPerEpoch).toEqual({ 1: 300, 32: 10, 64: 5, 100: 3, full: 1 });
    expect(r.updates.map((u) => u[1])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.updates.map((u) => u[3])).toEqual([128, 128, 44, 128, 128, 44, 128, 128, 44]);
  });

  it('batch-throughput: batches process many more samples per second than single samples', async () => {
    const rows = await batchThroughput(() => {}, 512, [1, 128]);
    expect(rows[1]!.samplesPerSecond / rows[0]!.samplesPerSecond).toBeGreaterThan(3);
  }, 30_000);
});

describe('examples: each runs as a script and prints', () => {
  const scripts: [string, RegExp][] = [
    ['loss-functions', /^  MSE = mean \(y − ŷ\)²/m],
    ['gradient-descent', /^found w = 1\.9\d\d, b = 1\.00\d/m],
    ['learning-rate', /← diverges: every step overshoots further$/m],
    ['derivatives', /the gradients are right$/m],
    ['vanishing-gradients', /^1 \(input side\)/m],
    ['gradient-descent-variants', /^stochastic gradient descent +1 +512/m],
    ['epochs-iterations-batches', /^9 iterations in all = 3 epochs × 3 iterations per epoch$/m],
    ['batch-throughput', /^batches of \d+ process \d+× more samples per second/m],
  ];
  it.each(scripts)('node examples/%s.js', (name, expected) => {
    const result = spawnSync(process.execPath, [path.join(buildOnce(), 'examples', `${name}.js`)], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(expected);
  }, 60_000);
});
