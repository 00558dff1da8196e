/**
 * Callbacks: everything fit() does besides the four steps of training hooks in here
 * (progress bars, charts, early stopping, checkpoints), so the loop itself stays short.
 */
import { ValueError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import type { Module, StateDict } from '../nn/module.js';
import type { History, StopInfo } from './history.js';

/** What every hook receives. Per-batch logs carry the batch's loss and metrics. */
export interface Logs {
  epoch: number;
  /** Iterations (weight updates) done since training began, counting this one. */
  iteration: number;
  /** 0-based batch index within the epoch. */
  batch: number;
  loss: number;
  metrics: Record<string, number>;
  learningRate: number;
  /** Validation loss and metrics (epoch end only, when validation data is given). */
  val?: Record<string, number>;
}

export interface TrainingContext {
  model: Module;
  history: History;
  epochs: number;
  iterationsPerEpoch: number;
  /** Stop training after the current batch; the first call's reason and message go to history.stopped. */
  stop(reason: StopInfo['reason'], message: string): void;
}

export interface Callback {
  onTrainBegin?(context: TrainingContext): void | Promise<void>;
  onTrainEnd?(context: TrainingContext, logs: Logs | null): void | Promise<void>;
  onEpochBegin?(epoch: number, context: TrainingContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs, context: TrainingContext): void | Promise<void>;
  onBatchBegin?(batch: number, context: TrainingContext): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs, context: TrainingContext): void | Promise<void>;
}

export interface EarlyStoppingOptions {
  /** 'val_loss' (default), 'loss', or 'val_<metric>' / '<metric>'. */
  monitor?: string;
  /**
   * Epochs without improvement after which training stops (default 0), as Keras counts them:
   * training stops at the end of the epoch that makes `max(patience, 1)` epochs in a row
   * without improvement.
   */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** 'min' for losses, 'max' for accuracies; 'auto' decides from the name. */
  mode?: 'min' | 'max' | 'auto';
  /** When training ends (stopped early or not), put back the weights of the best epoch (default false), as Keras 3. */
  restoreBestWeights?: boolean;
}

/** Stop when the monitored value stops improving (Keras's rules); optionally restore the best weights. */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: 'min' | 'max';
  readonly restoreBestWeights: boolean;
  best = Number.NaN;
  bestEpoch = -1;
  /** Epoch training was stopped at (-1: it was not). */
  stoppedEpoch = -1;
  /** Epoch whose weights were put back at the end of training (-1: none). */
  restoredEpoch = -1;
  private wait = 0;
  private bestWeights: StateDict | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    checkOptionKeys('EarlyStopping', options, ['monitor', 'patience', 'minDelta', 'mode', 'restoreBestWeights']);
    this.monitor = options.monitor ?? 'val_loss';
    this.patience = options.patience ?? 0;
    this.minDelta = Math.abs(options.minDelta ?? 0);
    if (!(Number.isInteger(this.patience) && this.patience >= 0)) throw new ValueError(`EarlyStopping: patience must be a non-negative integer, got ${this.patience}`);
    const mode = options.mode ?? 'auto';
    this.mode = mode === 'auto' ? (/acc/.test(this.monitor) ? 'max' : 'min') : mode;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
  }

  onTrainBegin(): void {
    this.best = Number.NaN;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.restoredEpoch = -1;
    this.wait = 0;
    this.bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs, context: TrainingContext): void {
    const value = monitoredValue(this.monitor, logs);
    // As Keras: count the epoch first, reset the count on an improvement.
    this.wait++;
    const improved =
      Number.isNaN(this.best) || (this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta);
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      // A replayed epoch (a resumed run catching up) has no weights to keep: the model of that time is gone.
      if (this.restoreBestWeights) this.bestWeights = (context.model as Module | undefined)?.stateDict() ?? null;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      let message = `early stopping: ${this.monitor} has not improved for ${this.wait} epoch${this.wait === 1 ? '' : 's'} (best ${this.best.toPrecision(5)} at epoch ${this.bestEpoch + 1})`;
      if (this.restoreBestWeights && this.bestWeights !== null) message += '; weights restored to that epoch';
      context.stop('earlyStopping', message);
    }
  }

  onTrainEnd(context: TrainingContext): void {
    if (!this.restoreBestWeights || this.bestWeights === null) return;
    context.model.loadStateDict(this.bestWeights);
    this.restoredEpoch = this.bestEpoch;
  }
}

export function monitoredValue(monitor: string, logs: Logs): number {
  let value: number | undefined;
  if (monitor === 'loss') value = logs.loss;
  else if (monitor.startsWith('val_')) value = logs.val?.[monitor.slice(4)];
  else value = logs.metrics[monitor];
  if (value === undefined) {
    const available = ['loss', ...Object.keys(logs.metrics), ...Object.keys(logs.val ?? {}).map((k) => `val_${k}`)];
    throw new ValueError(
      `EarlyStopping: '${monitor}' is not measured; available: ${available.join(', ')}` +
        (monitor.startsWith('val_') && logs.val === undefined ? ' (pass validationSplit or validationData to fit to get val_ values)' : ''),
    );
  }
  return value;
}

/** Lambda-style callback from plain functions: new LambdaCallback({ onEpochEnd: ... }). */
export class LambdaCallback implements Callback {
  constructor(hooks: Callback) {
    Object.assign(this, hooks);
  }
}
