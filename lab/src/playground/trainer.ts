/**
 * Training one iteration at a time, so the page can play, pause, take one step or run one
 * epoch. Each iteration is the course's four steps with the library's pieces:
 * predict (model.forward), compare (the loss), adjust (loss.backward(); optimizer.step()).
 * At the end of each epoch both sets are evaluated and early stopping (the library's
 * EarlyStopping callback) may end the run.
 */
import {
  accuracy,
  confusionMatrix,
  DataLoader,
  EarlyStopping,
  History,
  noGrad,
  type Logs,
  type Optimizer,
  type Sequential,
  type Tensor,
  type TrainingContext,
} from '../../../src/index.js';
import type { PreparedData } from './data.js';
import type { LossFunction } from './model.js';

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  trainAccuracy: number | null;
  testAccuracy: number | null;
}

export type StopReason = { kind: 'earlyStopping'; bestEpoch: number; best: number } | { kind: 'diverged'; iteration: number };

/** Iterations averaged to judge whether the loss is growing (one noisy batch is not enough). */
export const GROWTH_WINDOW = 10;
/** The loss counts as growing once its recent average is this many times the starting loss. */
export const GROWTH_FACTOR = 3;

export class Trainer {
  readonly loader: DataLoader;
  readonly epochs: EpochRecord[] = [];
  /** Loss of every iteration's batch. */
  readonly batchLosses: number[] = [];
  /** Epochs completed. */
  epoch = 0;
  /** Position within the current epoch (batches done). */
  batchInEpoch = 0;
  stopped: StopReason | null = null;
  confusion: number[][] | null = null;
  /** Loss and accuracy of the weights as they are now: at each epoch's end, and after a single step. */
  current!: EpochRecord;
  private batches: Iterator<{ x: Tensor; y: Tensor | null }>;
  /** The last batch's loss and η of an epoch whose end is due (see epochEndDue). */
  private pendingEnd: { lastLoss: number; learningRate: number } | null = null;
  private readonly earlyStopping: EarlyStopping | null;
  private readonly context: TrainingContext;

  constructor(
    readonly model: Sequential,
    readonly optimizer: Optimizer,
    readonly loss: LossFunction,
    readonly data: PreparedData,
    batchSize: number,
    seed: number,
    patience: number | null,
  ) {
    this.loader = new DataLoader(data.xTrain, data.yTrain, { batchSize: batchSize === 0 ? 'full' : Math.min(batchSize, data.xTrain.shape[0]!), shuffle: true, seed });
    this.batches = this.loader[Symbol.iterator]();
    this.earlyStopping = patience === null ? null : new EarlyStopping({ monitor: 'val_loss', patience, restoreBestWeights: true });
    const history = new History(this.loader.iterationsPerEpoch, this.loader.batchSize, this.loader.numSamples);
    this.context = {
      model,
      history,
      epochs: Number.POSITIVE_INFINITY,
      iterationsPerEpoch: this.loader.iterationsPerEpoch,
      stop: () => {
        const es = this.earlyStopping!;
        this.stopped = { kind: 'earlyStopping', bestEpoch: es.bestEpoch + 1, best: es.best };
      },
    };
    this.earlyStopping?.onTrainBegin();
    this.evaluate();
  }

  get iteration(): number {
    return this.optimizer.iterations;
  }

  get iterationsPerEpoch(): number {
    return this.loader.iterationsPerEpoch;
  }

  /** One iteration: one batch, one weight update, and the epoch's end if it completed the epoch. Returns false when training has stopped. */
  step(): boolean {
    if (!this.iterate()) return false;
    this.finishEpoch();
    return this.stopped === null;
  }

  /**
   * The iterations of an epoch are done and its end (evaluating both sets, early stopping) is
   * not yet: the playing page runs it as a piece of work of its own (frame-budget.ts), so an
   * epoch's end never shares a frame it does not fit in.
   */
  get epochEndDue(): boolean {
    return this.pendingEnd !== null;
  }

  /**
   * One iteration without the epoch's end: after the last batch of an epoch, epochEndDue is set
   * and finishEpoch() must run before the next iteration (an iteration never starts on an epoch
   * whose end is pending; this one runs it first). Returns false when training has stopped.
   */
  iterate(): boolean {
    if (this.stopped !== null) return false;
    this.finishEpoch();
    if (this.stopped !== null) return false;
    const next = this.batches.next();
    const { x, y } = next.value as { x: Tensor; y: Tensor };
    const learningRate = this.optimizer.currentLearningRate;
    this.model.train();
    const yPred = this.model.forward(x); // 1. predict
    const loss = this.loss(y, yPred); // 2-3. compare: the loss
    const value = loss.item();
    if (!Number.isFinite(value)) {
      this.stopped = { kind: 'diverged', iteration: this.iteration + 1 };
      return false;
    }
    this.optimizer.zeroGrad();
    loss.backward(); // 4. adjust: gradients by backpropagation...
    this.optimizer.step(); // ...and the update
    this.batchLosses.push(value);
    this.batchInEpoch++;
    if (this.batchInEpoch === this.loader.iterationsPerEpoch) this.pendingEnd = { lastLoss: value, learningRate };
    return this.stopped === null;
  }

  /** The end of the epoch whose iterations are done (nothing when none is due). */
  finishEpoch(): void {
    const end = this.pendingEnd;
    if (end === null) return;
    this.pendingEnd = null;
    this.endEpoch(end.lastLoss, end.learningRate);
  }

  /**
   * Set when the recent batch losses average GROWTH_FACTOR times the loss before training:
   * the steps are too large (η), even before the loss stops being a number.
   */
  get growing(): { from: number; to: number } | null {
    const n = this.batchLosses.length;
    if (n < GROWTH_WINDOW) return null;
    let sum = 0;
    for (let i = n - GROWTH_WINDOW; i < n; i++) sum += this.batchLosses[i]!;
    const from = this.epochs[0]!.trainLoss;
    const to = sum / GROWTH_WINDOW;
    return to > GROWTH_FACTOR * from ? { from, to } : null;
  }

  /** Measure both sets with the weights as they are now (after «one step», mid-epoch). */
  measureNow(): EpochRecord {
    this.current = this.measure();
    return this.current;
  }

  /** Iterations until the current epoch ends. */
  runEpoch(): void {
    if (this.epochEndDue) {
      // The epoch's iterations were done while playing: its end is what was left of it.
      this.finishEpoch();
      return;
    }
    const epoch = this.epoch;
    while (this.epoch === epoch && this.step()) {
      // step() ends the epoch itself.
    }
  }

  private endEpoch(lastLoss: number, learningRate: number): void {
    this.epoch++;
    this.batchInEpoch = 0;
    this.batches = this.loader[Symbol.iterator]();
    const record = this.evaluate();
    if (this.earlyStopping !== null) {
      const logs: Logs = {
        epoch: this.epoch - 1,
        iteration: this.iteration,
        batch: this.loader.iterationsPerEpoch - 1,
        loss: lastLoss,
        metrics: {},
        learningRate,
        val: { loss: record.testLoss },
      };
      this.earlyStopping.onEpochEnd(this.epoch - 1, logs, this.context);
      // With restoreBestWeights the model may now hold an earlier epoch's weights.
      if (this.stopped !== null) this.confusion = this.measureConfusion();
    }
  }

  /** Loss and accuracy on both sets, recorded as the epoch's point on the curves. */
  private evaluate(): EpochRecord {
    const record = this.measure((testPred) => (this.confusion = this.measureConfusion(testPred)));
    this.epochs.push(record);
    this.current = record;
    return record;
  }

  /** Loss and accuracy on both sets, without dropout and without recording a graph. */
  private measure(withTestPrediction?: (testPred: Tensor) => void): EpochRecord {
    const { data } = this;
    const classification = data.task === 'classification';
    const measure = (x: Tensor, y: Tensor): [number, number | null, Tensor] => {
      const yPred = this.model.predict(x);
      return noGrad(() => [this.loss(y, yPred).item(), classification ? accuracy(y, yPred) : null, yPred]);
    };
    const [trainLoss, trainAccuracy] = measure(data.xTrain, data.yTrain);
    const [testLoss, testAccuracy, testPred] = measure(data.xTest, data.yTest);
    withTestPrediction?.(testPred);
    return { epoch: this.epoch, trainLoss, testLoss, trainAccuracy, testAccuracy };
  }

  /** The test set's confusion matrix, from `testPred` when the caller already predicted it. */
  private measureConfusion(testPred?: Tensor): number[][] | null {
    if (this.data.task !== 'classification') return null;
    return confusionMatrix(this.data.labelsTest, testPred ?? this.model.predict(this.data.xTest), this.data.numClasses);
  }
}
