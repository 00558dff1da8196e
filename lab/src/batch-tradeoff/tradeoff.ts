/**
 * The batch-size trade-off, measured: the same network trained with batches of 1, 32 and 512
 * for the same wall-clock budget, several times each, recording test accuracy against training
 * time and against epochs. Engine only (no DOM, no worker): the worker runs it on MNIST, a test
 * runs it with a fake clock.
 */
import { categoricalCrossentropy, createOptimizer, DataLoader, Dense, manualSeed, noGrad, Sequential, type Tensor } from '../../../src/index.js';

export const TRADEOFF_BATCHES = [1, 32, 512] as const;

export interface Checkpoint {
  /** Training time so far (evaluations excluded), seconds. */
  seconds: number;
  epochs: number;
  accuracy: number;
}

export interface TradeoffRun {
  batchSize: number;
  repeat: number;
  checkpoints: Checkpoint[];
  samplesPerSecond: number;
}

export interface TradeoffData {
  xTrain: Tensor;
  /** One-hot targets. */
  yTrain: Tensor;
  xTest: Tensor;
  /** Class labels (integers). */
  labelsTest: Int32Array | Float32Array;
}

export interface RunOptions {
  batchSize: number;
  repeat: number;
  seconds: number;
  /** Checkpoints per run (evenly spaced in training time). */
  checkpoints: number;
  /**
   * Extra checkpoints at these epoch counts (ascending), so "accuracy after the same number of
   * epochs" can be read for a big batch too, whose time marks fall epochs apart.
   */
  epochMarks?: readonly number[];
  hidden: number;
  learningRate: number;
  /** Milliseconds, monotonic (performance.now in the browser; a fake clock in tests). */
  clock: () => number;
}

function accuracyOf(model: Sequential, data: TradeoffData): number {
  const probabilities = noGrad(() => model.forward(data.xTest));
  const classes = probabilities.shape[1]!;
  const p = probabilities.data;
  let right = 0;
  for (let i = 0; i < data.labelsTest.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (p[i * classes + c]! > p[i * classes + best]!) best = c;
    if (best === data.labelsTest[i]) right++;
  }
  return right / data.labelsTest.length;
}

/** One run: train for `seconds` of training time with one batch size; accuracy at evenly spaced marks. */
export function runOnce(data: TradeoffData, options: RunOptions): TradeoffRun {
  const { batchSize, repeat, seconds, clock } = options;
  // The repeat number seeds both the initial weights and the sample order.
  manualSeed(100 + repeat);
  const inputs = data.xTrain.shape[1]!;
  const classes = data.yTrain.shape[1]!;
  const model = new Sequential([new Dense(options.hidden, { activation: 'relu', inputDim: inputs }), new Dense(classes, { activation: 'softmax' })]);
  const optimizer = createOptimizer({ type: 'adam', learningRate: options.learningRate }, model.parameters());
  const loader = new DataLoader(data.xTrain, data.yTrain, { batchSize, shuffle: true, seed: 100 + repeat });
  const samplesPerEpoch = data.xTrain.shape[0]!;
  const budget = seconds * 1000;
  const marks = Array.from({ length: options.checkpoints }, (_, k) => ((k + 1) * budget) / options.checkpoints);
  const checkpoints: Checkpoint[] = [{ seconds: 0, epochs: 0, accuracy: accuracyOf(model, data) }];
  let trained = 0; // milliseconds spent training
  let samples = 0;
  let next = 0;
  const epochMarks = options.epochMarks ?? [];
  let nextEpoch = 0;
  while (next < marks.length) {
    for (const batch of loader) {
      const start = clock();
      const loss = categoricalCrossentropy(batch.y!, model.forward(batch.x));
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      trained += clock() - start;
      samples += batch.x.shape[0]!;
      // Evaluations happen between iterations and are not counted as training time.
      const epochs = samples / samplesPerEpoch;
      let due = false;
      while (next < marks.length && trained >= marks[next]!) {
        due = true;
        next++;
      }
      while (nextEpoch < epochMarks.length && epochs >= epochMarks[nextEpoch]! - 1e-9) {
        due = true;
        nextEpoch++;
      }
      if (due) checkpoints.push({ seconds: trained / 1000, epochs, accuracy: accuracyOf(model, data) });
      if (next >= marks.length) break;
    }
  }
  return { batchSize, repeat, checkpoints, samplesPerSecond: samples / (trained / 1000) };
}

/** The run order: every repeat goes through every batch size, so a slow moment of a shared machine falls on all of them alike. */
export function runOrder(repeats: number, batches: readonly number[] = TRADEOFF_BATCHES): { batchSize: number; repeat: number }[] {
  const order: { batchSize: number; repeat: number }[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) for (const batchSize of batches) order.push({ batchSize, repeat });
  return order;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Accuracy of a run at a number of epochs (the checkpoint at or just before it), or null if the run never got there. */
export function accuracyAtEpochs(run: TradeoffRun, epochs: number): number | null {
  let found: number | null = null;
  for (const c of run.checkpoints) if (c.epochs <= epochs + 1e-9) found = c.accuracy;
  const last = run.checkpoints[run.checkpoints.length - 1]!;
  return last.epochs + 1e-9 < epochs ? null : found;
}

export interface BatchSummary {
  batchSize: number;
  samplesPerSecond: Spread;
  /** Accuracy at the end of the time budget. */
  finalAccuracy: Spread;
  epochs: Spread;
  /** Accuracy after as many epochs as the slowest batch size managed in the budget (like for like per epoch). */
  accuracyAtCommonEpochs: Spread | null;
}

export function summarize(runs: readonly TradeoffRun[]): { commonEpochs: number; batches: BatchSummary[] } {
  const sizes = [...new Set(runs.map((r) => r.batchSize))].sort((a, b) => a - b);
  const lastEpochs = (r: TradeoffRun): number => r.checkpoints[r.checkpoints.length - 1]!.epochs;
  const commonEpochs = Math.min(...runs.map(lastEpochs));
  const batches = sizes.map((batchSize) => {
    const mine = runs.filter((r) => r.batchSize === batchSize);
    const atCommon = mine.map((r) => accuracyAtEpochs(r, commonEpochs)).filter((v): v is number => v !== null);
    return {
      batchSize,
      samplesPerSecond: spread(mine.map((r) => r.samplesPerSecond)),
      finalAccuracy: spread(mine.map((r) => r.checkpoints[r.checkpoints.length - 1]!.accuracy)),
      epochs: spread(mine.map(lastEpochs)),
      accuracyAtCommonEpochs: atCommon.length > 0 ? spread(atCommon) : null,
    };
  });
  return { commonEpochs, batches };
}
