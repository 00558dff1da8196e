/**
 * Training progress in the terminal, Keras style: "Epoch 3/10", a live bar of the epoch's
 * iterations (ETA, ms per step, running loss and metrics), then one summary line per epoch
 * with the validation figures. Without a terminal (a pipe, a CI log) one plain line per
 * epoch; with --json one JSON object per line for scripts; with --quiet nothing.
 */
import { SingleBar } from 'cli-progress';
import type { Callback, Logs, TrainingContext } from '../node.js';

export type ProgressMode = 'bar' | 'lines' | 'json' | 'quiet';

export interface ProgressOptions {
  mode: ProgressMode;
  /** With mode 'json': also one object per iteration. */
  jsonIterations?: boolean;
  stream: NodeJS.WritableStream;
  /** A label printed before "Epoch" lines (compare names its runs this way). */
  prefix?: string;
  /** Fields added to every JSON object (compare adds the run's name). */
  jsonFields?: Record<string, unknown>;
}

/** A number as a person reads it in a log: 4 decimals, or 3 significant digits in e-notation when tiny or huge. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) return value.toExponential(3);
  return value.toFixed(4);
}

/** "loss: 0.3012 - accuracy: 0.9123" from named values, in the order given. */
export function formatValues(values: Record<string, number>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}: ${formatNumber(value)}`)
    .join(' - ');
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.round(seconds - m * 60)).padStart(2, '0')}s`;
}

/** Epoch values for a summary: loss and metrics, then val_loss and val_metrics. */
export function epochValues(logs: Logs): Record<string, number> {
  const out: Record<string, number> = { loss: logs.loss, ...logs.metrics };
  for (const [k, v] of Object.entries(logs.val ?? {})) out[`val_${k}`] = v;
  return out;
}

export class ProgressPrinter implements Callback {
  private bar: SingleBar | null = null;
  private epochStart = 0;
  private steps = 0;
  /** Bar mode: sample-weighted sums of this epoch's batch values, for the running means. */
  private sums: Record<string, number> = {};
  private samples = 0;
  private lastBatch = -1;

  constructor(private readonly options: ProgressOptions) {}

  private write(line: string): void {
    this.options.stream.write(`${line}\n`);
  }

  private json(event: { event: string } & Record<string, unknown>): void {
    const { event: name, ...rest } = event;
    this.write(JSON.stringify({ event: name, ...this.options.jsonFields, ...rest }));
  }

  onTrainBegin(context: TrainingContext): void {
    if (this.options.mode === 'json') {
      const h = context.history;
      this.json({ event: 'start', epochs: context.epochs, iterationsPerEpoch: context.iterationsPerEpoch, batchSize: h.batchSize, samples: h.numSamples });
    }
  }

  onEpochBegin(epoch: number, context: TrainingContext): void {
    this.epochStart = performance.now();
    this.steps = 0;
    this.sums = {};
    this.samples = 0;
    this.lastBatch = -1;
    if (this.options.mode === 'bar') {
      this.write(`${this.options.prefix ?? ''}Epoch ${epoch + 1}/${context.epochs}`);
      this.bar = new SingleBar({
        stream: this.options.stream,
        format: ' {value}/{total} [{bar}] ETA: {eta_formatted} - {msPerStep} ms/step - {values}',
        barsize: 24,
        barCompleteChar: '=',
        barIncompleteChar: '.',
        // The summary line replaces the finished bar, as in Keras.
        clearOnComplete: true,
        hideCursor: null,
        fps: 10,
        etaBuffer: 50,
      });
      this.bar.start(context.iterationsPerEpoch, 0, { msPerStep: '-', values: '' });
    }
  }

  onBatchEnd(batch: number, logs: Logs, context: TrainingContext): void {
    this.steps++;
    this.lastBatch = batch;
    if (this.options.mode === 'bar' && this.bar !== null) {
      const batchValues: Record<string, number> = { loss: logs.loss, ...logs.metrics };
      // The running means weigh each batch by its samples, as the epoch's figure does (the last batch may be short).
      const { batchSize, numSamples } = context.history;
      const size = Math.min(batchSize, numSamples - batch * batchSize);
      this.samples += size;
      for (const [k, v] of Object.entries(batchValues)) this.sums[k] = (this.sums[k] ?? 0) + v * size;
      const running: Record<string, number> = {};
      for (const [k, s] of Object.entries(this.sums)) running[k] = s / this.samples;
      const ms = (performance.now() - this.epochStart) / this.steps;
      this.bar.update(batch + 1, { msPerStep: ms < 10 ? ms.toFixed(1) : Math.round(ms), values: formatValues(running) });
    } else if (this.options.mode === 'json' && this.options.jsonIterations) {
      this.json({ event: 'iteration', epoch: logs.epoch + 1, iteration: logs.iteration, batch: batch + 1, loss: logs.loss, ...logs.metrics, learningRate: logs.learningRate });
    }
  }

  onEpochEnd(epoch: number, logs: Logs, context: TrainingContext): void {
    const seconds = (performance.now() - this.epochStart) / 1000;
    const complete = this.lastBatch + 1 === context.iterationsPerEpoch;
    const msPerStep = (seconds * 1000) / Math.max(this.steps, 1);
    const values = epochValues(logs);
    const timing = `${formatDuration(seconds)} ${msPerStep < 10 ? msPerStep.toFixed(1) : Math.round(msPerStep)}ms/step`;
    const steps = `${this.steps}/${context.iterationsPerEpoch}`;
    switch (this.options.mode) {
      case 'bar':
        this.bar?.stop();
        this.bar = null;
        if (complete) this.write(` ${steps} - ${timing} - ${formatValues(values)}`);
        else this.write(` ${steps} - stopped after iteration ${this.lastBatch + 1} of this epoch`);
        break;
      case 'lines':
        if (complete) this.write(`${this.options.prefix ?? ''}Epoch ${epoch + 1}/${context.epochs} - ${steps} iterations - ${timing} - ${formatValues(values)}`);
        else this.write(`${this.options.prefix ?? ''}Epoch ${epoch + 1}/${context.epochs} - stopped after iteration ${this.lastBatch + 1} of ${context.iterationsPerEpoch}`);
        break;
      case 'json':
        if (complete) {
          this.json({ event: 'epoch', epoch: epoch + 1, epochs: context.epochs, iteration: logs.iteration, seconds: Number(seconds.toFixed(4)), ...values, learningRate: logs.learningRate });
        }
        break;
      case 'quiet':
        break;
    }
  }

  /** Put the terminal back in order if training ends without an epoch end (an error). */
  onTrainEnd(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
