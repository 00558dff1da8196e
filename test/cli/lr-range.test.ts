/** The learning-rate range test's analysis, on loss curves whose answer is known. */
import { describe, expect, it } from 'vitest';
import { analyseRangeTest, centredAverage, divergence, runningAverage } from '../../src/cli/lr-range.js';

/** 100 rates from 1e-6 to 10, and a loss that is flat, falls fastest near 1e-2, bottoms at 1e-1, then explodes. */
function sweep(): { rates: number[]; losses: number[] } {
  const rates = Array.from({ length: 100 }, (_, i) => 1e-6 * (1e7) ** (i / 99));
  const losses = rates.map((lr) => {
    const t = Math.log10(lr);
    const fall = 1 / (1 + Math.exp(4 * (t + 2))); // logistic drop centred on 1e-2
    return t < -1 ? 0.2 + 2 * fall : 0.2 + 0.5 * (10 ** (2 * (t + 1)) - 1);
  });
  return { rates, losses };
}

describe('learning-rate range test', () => {
  it('suggests the rate where the loss falls fastest, below the lowest point', () => {
    const { rates, losses } = sweep();
    const r = analyseRangeTest(rates, losses);
    expect(r.suggested).not.toBeNull();
    expect(Math.log10(r.suggested!)).toBeCloseTo(-2, 0);
    expect(r.lowest!).toBeGreaterThan(r.suggested!);
    expect(Math.log10(r.lowest!)).toBeGreaterThan(-1.6);
    expect(Math.log10(r.lowest!)).toBeLessThan(-0.6);
  });

  it('finds where the loss blew up, and does not suggest past it', () => {
    const { rates, losses } = sweep();
    const r = analyseRangeTest(rates, losses);
    expect(r.divergedAt).not.toBeNull();
    expect(rates[r.divergedAt!]!).toBeGreaterThan(0.1);
    expect(divergence([1, 0.9, 0.8, Number.NaN])).toBe(3);
    expect(divergence([1, 0.5, 0.4, 0.45])).toBeNull();
  });

  it('a loss that never falls gets no suggestion', () => {
    const rates = Array.from({ length: 50 }, (_, i) => 10 ** (-6 + i / 10));
    expect(analyseRangeTest(rates, rates.map(() => 1)).suggested).toBeNull();
  });

  it('the centred average does not shift the curve; the running average lags', () => {
    const step = Array.from({ length: 41 }, (_, i) => (i < 20 ? 1 : 0));
    const centred = centredAverage(step, 3);
    expect(centred[19]! + centred[20]!).toBeCloseTo(1, 10); // symmetric around the step
    expect(runningAverage(step)[25]!).toBeGreaterThan(0.3); // still remembers the ones
  });
});
