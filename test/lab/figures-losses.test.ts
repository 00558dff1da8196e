/** The loss page's claims, checked with the engine: MAE's slope at 0, and BCE learning faster than MSE. */
import { describe, expect, test } from 'vitest';
import { meanAbsoluteError, tensor } from '../../src/index.js';
import { defaultRace, race } from '../../lab/src/loss-functions/race.js';

test('MAE at ŷ = y: the derivative does not exist, and the engine uses 0 there (as frameworks do)', () => {
  const yHat = tensor([0.5], [1, 1], { requiresGrad: true });
  meanAbsoluteError(tensor([0.5], [1, 1]), yHat).backward();
  expect(yHat.grad!.item()).toBe(0);
  // Either side of the corner the slope is ±1: no single derivative at the corner.
  const left = tensor([0.49], [1, 1], { requiresGrad: true });
  meanAbsoluteError(tensor([0.5], [1, 1]), left).backward();
  expect(left.grad!.item()).toBe(-1);
});

describe('from a confidently wrong start, BCE learns faster than MSE', () => {
  const mse = race('mse');
  const bce = race('bce');
  test('same start, same η: both begin sure of the wrong class', () => {
    expect(mse.predictions[0]).toBeCloseTo(bce.predictions[0]!, 7);
    expect(mse.predictions[0]).toBeLessThan(0.01);
  });
  test('BCE’s first gradient is ŷ − y; MSE’s carries σ′(z) ≈ 0 and is dozens of times smaller', () => {
    const p = bce.predictions[0]!;
    expect(bce.firstGradient).toBeCloseTo(p - 1, 6);
    expect(mse.firstGradient).toBeCloseTo(2 * (p - 1) * p * (1 - p), 6);
    expect(Math.abs(bce.firstGradient) / Math.abs(mse.firstGradient)).toBeGreaterThan(20);
  });
  test(`BCE reaches ŷ ≥ ${defaultRace.goal} in a few iterations; MSE takes several times as many`, () => {
    expect(bce.reachedAt).not.toBeNull();
    expect(mse.reachedAt === null || mse.reachedAt > 4 * bce.reachedAt!).toBe(true);
    expect(bce.reachedAt!).toBeLessThan(20);
  });
});
