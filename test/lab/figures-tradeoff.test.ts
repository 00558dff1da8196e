/**
 * The batch-size trade-off's measuring and summarizing logic, with a fake clock (no timing in
 * tests): per iteration, a fixed overhead plus a cost per sample, as on real hardware.
 */
import { describe, expect, test } from 'vitest';
import { oneHot, spiral } from '../../src/index.js';
import { accuracyAtEpochs, runOnce, runOrder, spread, summarize, type TradeoffRun } from '../../lab/src/batch-tradeoff/tradeoff.js';

/** 1 ms of overhead per iteration and 2 µs per sample: big batches process far more samples per second. */
function fakeClock(): { clock: () => number; batch: (size: number) => void } {
  let now = 0;
  let size = 1;
  let calls = 0;
  return {
    batch: (s) => void (size = s),
    // Called twice per iteration (start, end): the end call advances by the iteration's cost.
    clock: () => {
      calls++;
      if (calls % 2 === 0) now += 1 + 0.002 * size;
      return now;
    },
  };
}

describe('batch-size trade-off', () => {
  const set = spiral({ n: 600, noise: 0.1, classes: 3, seed: 2 });
  const data = { xTrain: set.x, yTrain: oneHot(set.y, 3), xTest: set.x, labelsTest: set.y.data as Float32Array };

  function run(batchSize: number, repeat: number): TradeoffRun {
    const c = fakeClock();
    c.batch(batchSize);
    return runOnce(data, { batchSize, repeat, seconds: 0.4, checkpoints: 4, hidden: 16, learningRate: 0.01, clock: c.clock });
  }

  test('a run stops at its time budget, with checkpoints evenly spaced in training time', () => {
    const r = run(32, 0);
    expect(r.checkpoints.map((c) => c.seconds)[0]).toBe(0);
    expect(r.checkpoints).toHaveLength(5);
    r.checkpoints.slice(1).forEach((c, k) => expect(c.seconds).toBeGreaterThanOrEqual((k + 1) * 0.1 - 1e-9));
    expect(r.checkpoints.at(-1)!.seconds).toBeLessThan(0.4 + 0.002);
    // About 1.064 ms per batch of 32 (the epoch's last batch is smaller: 600 = 18·32 + 24).
    expect(Math.abs(r.samplesPerSecond / (32 / 0.001064) - 1)).toBeLessThan(0.02);
  });

  test('per second, big batches see many more samples; per epoch, small batches take many more steps', () => {
    const runs = [1, 32, 512].flatMap((b) => [0, 1, 2].map((k) => run(b, k)));
    const { commonEpochs, batches } = summarize(runs);
    const [b1, b32, b512] = batches;
    expect(b512!.samplesPerSecond.median).toBeGreaterThan(b32!.samplesPerSecond.median);
    expect(b32!.samplesPerSecond.median).toBeGreaterThan(10 * b1!.samplesPerSecond.median);
    expect(b512!.epochs.median).toBeGreaterThan(b1!.epochs.median);
    // Batch 1 went through the fewest epochs: that is the common epoch count for "per epoch".
    expect(commonEpochs).toBeCloseTo(b1!.epochs.min, 9);
    // After the same number of epochs, batch 1 (hundreds of updates) beats batch 512 (one or two).
    expect(b1!.accuracyAtCommonEpochs!.median).toBeGreaterThan(b512!.accuracyAtCommonEpochs!.median);
    // Repeats differ (seeded weights and order): the spread is real, not a copy.
    expect(new Set(runs.filter((r) => r.batchSize === 32).map((r) => r.checkpoints[1]!.accuracy)).size).toBeGreaterThan(1);
  });

  test('run order interleaves batch sizes within each repeat; spread and accuracy at epochs', () => {
    expect(runOrder(2, [1, 32])).toEqual([{ batchSize: 1, repeat: 0 }, { batchSize: 32, repeat: 0 }, { batchSize: 1, repeat: 1 }, { batchSize: 32, repeat: 1 }]);
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(spread([4, 1, 2, 3]).median).toBe(2.5);
    const r: TradeoffRun = { batchSize: 1, repeat: 0, samplesPerSecond: 1, checkpoints: [{ seconds: 0, epochs: 0, accuracy: 0.1 }, { seconds: 1, epochs: 0.5, accuracy: 0.6 }, { seconds: 2, epochs: 1, accuracy: 0.8 }] };
    expect(accuracyAtEpochs(r, 0.7)).toBe(0.6);
    expect(accuracyAtEpochs(r, 1)).toBe(0.8);
    expect(accuracyAtEpochs(r, 1.5)).toBeNull();
  });
});

test('epoch marks add checkpoints at those epoch counts, once each', () => {
  const set = spiral({ n: 300, noise: 0.1, classes: 3, seed: 2 });
  const data = { xTrain: set.x, yTrain: oneHot(set.y, 3), xTest: set.x, labelsTest: set.y.data as Float32Array };
  let now = 0;
  const r = runOnce(data, { batchSize: 100, repeat: 0, seconds: 1, checkpoints: 1, hidden: 8, learningRate: 0.01, epochMarks: [1 / 3, 2 / 3, 1], clock: () => (now += 0.5) });
  const epochs = r.checkpoints.map((c) => Number(c.epochs.toFixed(6)));
  expect(epochs.slice(0, 4)).toEqual([0, Number((1 / 3).toFixed(6)), Number((2 / 3).toFixed(6)), 1]);
  expect(new Set(epochs).size).toBe(epochs.length);
});
