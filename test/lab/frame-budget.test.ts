/**
 * The playground's frame budget (lab/src/playground/frame-budget.ts), in Node with a fake
 * clock: a training slice never starts a piece of work that its measured cost says would end
 * past the frame's training time, an epoch's end that does not fit is deferred to the next
 * frame on its own, drawing takes its cost out of the training time, and the playground's
 * Trainer, driven piece by piece, trains exactly as it does step by step. No time is measured
 * here: every cost is the fake clock's.
 */
import { describe, expect, test } from 'vitest';
import { FrameBudget, MIN_TRAINING_MS, trainSlice, type SliceWork } from '../../lab/src/playground/frame-budget.js';
import { prepare, rawData } from '../../lab/src/playground/data.js';
import { buildModel, buildOptimizer, lossFunctions } from '../../lab/src/playground/model.js';
import { RunningSmoother, smoothed } from '../../lab/src/playground/smoothing.js';
import { thinnedIndices } from '../../lab/src/playground/thinning.js';
import { defaultState, type PlaygroundState } from '../../lab/src/playground/state.js';
import { Trainer } from '../../lab/src/playground/trainer.js';

/** A run whose iterations and epoch ends advance a fake clock by fixed costs. */
class FakeRun implements SliceWork {
  time = 0;
  epoch = 0;
  batch = 0;
  epochEndDue = false;
  stopped: string | null = null;
  readonly log: { kind: 'iteration' | 'epochEnd'; start: number; end: number }[] = [];

  constructor(
    readonly iterationsPerEpoch: number,
    readonly iterationMs: (k: number) => number,
    readonly epochEndMs: number,
  ) {}

  now = (): number => this.time;

  iterate(): boolean {
    const start = this.time;
    this.time += this.iterationMs(this.log.length);
    this.log.push({ kind: 'iteration', start, end: this.time });
    if (++this.batch === this.iterationsPerEpoch) this.epochEndDue = true;
    return true;
  }

  finishEpoch(): void {
    const start = this.time;
    this.time += this.epochEndMs;
    this.log.push({ kind: 'epochEnd', start, end: this.time });
    this.epochEndDue = false;
    this.batch = 0;
    this.epoch++;
  }
}

describe('a training slice', () => {
  test('once costs are known, a slice never runs more iterations than its training time allows, and never ends past it', () => {
    const budget = new FrameBudget(12);
    const run = new FakeRun(1_000_000, () => 0.7, 4);
    const slices = Array.from({ length: 50 }, () => trainSlice(run, budget, run.now, 'budget'));
    // The first slice learns the cost from its first iteration; from then on the count is fixed.
    for (const s of slices.slice(1)) {
      expect(s.iterations).toBe(Math.floor(12 / 0.7));
      expect(s.ms).toBeLessThanOrEqual(12);
    }
  });

  test('an epoch’s end that would not fit after the iterations waits for the next frame', () => {
    const budget = new FrameBudget(12);
    // 5 iterations of 2 ms per epoch, then an end of 6 ms: 10 ms of iterations leave no room for it.
    const run = new FakeRun(5, () => 2, 6);
    for (let k = 0; k < 40; k++) {
      const before = run.log.length;
      const s = trainSlice(run, budget, run.now, 'budget');
      const pieces = run.log.slice(before);
      if (k < 3) continue; // Costs are being learned.
      expect(s.ms, `slice ${k}`).toBeLessThanOrEqual(12);
      // An epoch's end starts only where its 6 ms still fit: never later than 12 − 6 ms into the slice.
      pieces.forEach((p, i) => {
        if (p.kind === 'epochEnd') expect(p.start - pieces[0]!.start, `slice ${k}, piece ${i}`).toBeLessThanOrEqual(12 - 6);
      });
    }
    // All epochs still end, in order: iterations of epoch n + 1 never come before epoch n's end.
    let batch = 0;
    for (const p of run.log) {
      if (p.kind === 'iteration') expect(++batch).toBeLessThanOrEqual(5);
      else {
        expect(batch).toBe(5);
        batch = 0;
      }
    }
  });

  test('the first piece of a slice always runs: a network slower than a frame still trains, one piece a frame', () => {
    const budget = new FrameBudget(12);
    const run = new FakeRun(3, () => 40, 30);
    for (let k = 0; k < 9; k++) {
      const s = trainSlice(run, budget, run.now, 'budget');
      expect(s.iterations + s.epochEnds).toBe(1);
    }
    expect(run.log.every((p, i) => i === 0 || p.start === run.log[i - 1]!.end)).toBe(true);
    expect(run.log).toHaveLength(9);
  });

  test('drawing takes its measured cost out of the training time, down to a floor', () => {
    const budget = new FrameBudget(12);
    expect(budget.trainingMs()).toBe(12);
    budget.record('drawing', 5);
    expect(budget.trainingMs()).toBe(7);
    const run = new FakeRun(1_000_000, () => 1, 1);
    trainSlice(run, budget, run.now, 'budget');
    expect(trainSlice(run, budget, run.now, 'budget').iterations).toBe(7);
    for (let k = 0; k < 30; k++) budget.record('drawing', 50);
    expect(budget.trainingMs()).toBe(MIN_TRAINING_MS);
  });

  test('speeds: one iteration a frame (with the end of the epoch it completed), or at most one epoch a frame', () => {
    const budget = new FrameBudget(12);
    const run = new FakeRun(2, () => 0.1, 0.1);
    expect(trainSlice(run, budget, run.now, 'iteration')).toMatchObject({ iterations: 1, epochEnds: 0 });
    expect(trainSlice(run, budget, run.now, 'iteration')).toMatchObject({ iterations: 1, epochEnds: 1 });
    expect(trainSlice(run, budget, run.now, 'epoch')).toMatchObject({ iterations: 2, epochEnds: 1 });
    expect(run.epoch).toBe(2);
  });
});

describe('the Trainer piece by piece', () => {
  const setup = (state: PlaygroundState): Trainer => {
    const data = prepare(state, rawData(state, null));
    const model = buildModel(state, data);
    const perEpoch = Math.ceil(data.xTrain.shape[0]! / state.batchSize);
    return new Trainer(model, buildOptimizer(state, model, perEpoch), lossFunctions[state.loss], data, state.batchSize, state.seed + 2, state.earlyStopping ? state.patience : null);
  };

  test('iterate() and finishEpoch() train exactly as step(): the same losses, epochs and weights', () => {
    const state: PlaygroundState = { ...defaultState, samples: 100, batchSize: 16 };
    const a = setup(state);
    const b = setup(state);
    for (let k = 0; k < 25; k++) a.step();
    for (let k = 0; k < 25; k++) {
      b.iterate();
      if (b.epochEndDue) {
        // An iteration never starts while an epoch's end is pending: the counters wait for it.
        expect(b.batchInEpoch).toBe(b.iterationsPerEpoch);
        b.finishEpoch();
      }
    }
    expect(b.batchLosses).toEqual(a.batchLosses);
    expect(b.epochs).toEqual(a.epochs);
    expect(b.epoch).toBe(a.epoch);
    expect(Array.from(b.model.parameters()[0]!.data)).toEqual(Array.from(a.model.parameters()[0]!.data));
  });

  test('an epoch whose iterations are done ends before the next iteration, whoever calls', () => {
    const state: PlaygroundState = { ...defaultState, samples: 40, batchSize: 40, testFraction: 0.5 };
    const t = setup(state);
    expect(t.iterationsPerEpoch).toBe(1);
    t.iterate();
    expect(t.epochEndDue).toBe(true);
    expect(t.epoch).toBe(0);
    t.iterate();
    expect(t.epoch).toBe(1);
    expect(t.epochs).toHaveLength(2);
    // «One epoch» on a pending end finishes that epoch, and only that.
    t.runEpoch();
    expect(t.epoch).toBe(2);
    expect(t.epochEndDue).toBe(false);
  });
});

test('the running smoother gives smoothed() to the bit, one batch of values at a time', () => {
  const values = Array.from({ length: 1000 }, (_, k) => Math.sin(k / 7) + (k % 13) / 10);
  const running = new RunningSmoother();
  for (let end = 0; end <= values.length; end += 37) running.extend(values.slice(0, end));
  running.extend(values);
  expect(running.values).toEqual(smoothed(values));
  // A new run (fewer values than seen) starts over.
  expect(running.extend(values.slice(0, 5))).toEqual(smoothed(values.slice(0, 5)));
});

test('long curves are thinned to at most about max points, first and last always drawn, in order', () => {
  expect(thinnedIndices(0, 10)).toEqual([]);
  expect(thinnedIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
  for (const n of [11, 1500, 1501, 20_000, 123_457]) {
    const idx = thinnedIndices(n, 1500);
    expect(idx[0]).toBe(0);
    expect(idx.at(-1)).toBe(n - 1);
    expect(idx.length).toBeLessThanOrEqual(1501);
    // Evenly spaced but for the last: a long run's redraw costs the same whatever its length.
    const steps = new Set(idx.slice(1, -1).map((v, k) => v - idx[k]!));
    expect(steps.size).toBeLessThanOrEqual(1);
    expect(idx.every((v, k) => k === 0 || v > idx[k - 1]!)).toBe(true);
  }
});
