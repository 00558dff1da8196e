/**
 * fit: the training loop. Read `trainOneEpoch` to see the four steps of training:
 * predict, compare with the truth (the loss), and adjust the weights (gradient + update).
 * Everything else (progress, early stopping, history) hooks in through callbacks.
 */
import { noGrad } from '../autograd/graph.js';
import { kernels } from '../backends/registry.js';
import { DataLoader } from '../data/dataloader.js';
import { viewRows } from '../data/rows.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import type { LossFunction } from '../losses/index.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { generatorFor, type Random } from '../tensor/random.js';
import { Tensor, allocate } from '../tensor/tensor.js';
import type { Callback, Logs, TrainingContext } from './callbacks.js';
import { History } from './history.js';
import type { MetricFunction } from './metrics.js';
import { yieldToEventLoop } from './yield.js';

export interface FitOptions {
  epochs?: number;
  /** Samples per iteration: 'full' = batch gradient descent, 1 = stochastic, else mini-batch (default 32). */
  batchSize?: number | 'full';
  /** Hold out this fraction of the samples (the last ones, as Keras) to validate on. */
  validationSplit?: number;
  validationData?: [Tensor, Tensor];
  shuffle?: boolean;
  /** Seed for the order of samples (default: the global generator). */
  seed?: number;
  /**
   * Generator that shuffles the samples (instead of seed): the caller owns it, so it can save
   * its state with a checkpoint and resume with the very same order of samples.
   */
  random?: Random;
  callbacks?: Callback[];
  /** Stop with a clear message when the loss becomes NaN or infinite (default true). */
  stopOnNonFinite?: boolean;
  /** First epoch to run (to continue a run that stopped: epochs counts up to this total). */
  initialEpoch?: number;
}

export interface TrainingSetup {
  model: Module;
  optimizer: Optimizer;
  loss: LossFunction;
  metrics: Record<string, MetricFunction>;
}

const FIT_KEYS: readonly (keyof FitOptions)[] = ['epochs', 'batchSize', 'validationSplit', 'validationData', 'shuffle', 'seed', 'random', 'callbacks', 'stopOnNonFinite', 'initialEpoch'];

export async function fit(setup: TrainingSetup, x: Tensor, y: Tensor, options: FitOptions = {}): Promise<History> {
  checkOptionKeys('fit', options, FIT_KEYS, { verbose: 'gradiente prints nothing itself: pass a callback (e.g. a ProgressPrinter) in callbacks' });
  const { epochs = 1, batchSize = 32, shuffle = true, callbacks = [], initialEpoch = 0 } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ValueError(`fit: epochs must be a positive integer, got ${epochs}`);
  // Before any step: a NaN or Infinity in the data would only show up later as a NaN loss.
  checkFinite('x', x);
  checkFinite('y', y);
  if (options.validationData !== undefined) {
    checkFinite('validationData x', options.validationData[0]);
    checkFinite('validationData y', options.validationData[1]);
  }
  const [xTrain, yTrain, validation] = splitValidation(x, y, options);
  const { model, optimizer } = setup;
  model.build(xTrain.shape);
  if (optimizer.params.length === 0) optimizer.attach(model.parameters());
  if (options.seed !== undefined && options.random !== undefined) throw new ValueError('fit: pass either seed or random, not both');
  // views: a step only reads its batch, so unshuffled batches need not be copied (PyTorch's x[a:b] is a view too).
  const loader = new DataLoader(xTrain, yTrain, { batchSize, shuffle, random: generatorFor(options.seed, options.random), views: true });
  const history = new History(loader.iterationsPerEpoch, loader.batchSize, loader.numSamples);

  const context: TrainingContext = {
    model,
    history,
    epochs,
    iterationsPerEpoch: loader.iterationsPerEpoch,
    stop(reason, message) {
      history.stopped ??= { reason, epoch: currentEpoch, iteration: optimizer.iterations, message };
    },
  };
  let currentEpoch = initialEpoch;
  let lastLogs: Logs | null = null;

  for (const cb of callbacks) await cb.onTrainBegin?.(context);
  for (let epoch = initialEpoch; epoch < epochs && history.stopped === null; epoch++) {
    currentEpoch = epoch;
    for (const cb of callbacks) await cb.onEpochBegin?.(epoch, context);
    const logs = await trainOneEpoch(setup, loader, epoch, context, callbacks, options.stopOnNonFinite ?? true);
    if (logs === null) break;
    if (validation !== null) logs.val = evaluateBatches(setup, validation[0], validation[1], inferenceBatchSize);
    history.recordEpoch(epoch, flattenLogs(logs));
    lastLogs = logs;
    for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs, context);
  }
  model.eval();
  for (const cb of callbacks) await cb.onTrainEnd?.(context, lastLogs);
  return history;
}

/** One pass over the training data. Returns the epoch's mean loss and metrics, or null if stopped. */
async function trainOneEpoch(
  { model, optimizer, loss: lossFn, metrics }: TrainingSetup,
  loader: DataLoader,
  epoch: number,
  context: TrainingContext,
  hooks: Callback[],
  stopOnNonFinite: boolean,
): Promise<Logs | null> {
  model.train();
  const running = new RunningMeans();
  let logs: Logs | null = null;
  for (const batch of loader) {
    for (const cb of hooks) await cb.onBatchBegin?.(batch.iteration, context);
    const learningRate = optimizer.currentLearningRate;

    // 1. Predict: run the batch forward through the network with the current weights.
    const yPred = model.forward(batch.x);
    // 2-3. Compare with the truth: the loss says how wrong the predictions are.
    const loss = lossFn(batch.y!, yPred);
    // 4. Adjust: backpropagation gives dLoss/dWeight; the optimizer steps against it.
    optimizer.zeroGrad();
    loss.backward();
    const lossValue = loss.item();
    const diverged = stopOnNonFinite ? divergence(lossValue, optimizer, epoch, learningRate) : null;
    if (diverged !== null) {
      context.stop('nonFinite', diverged);
      return null;
    }
    optimizer.step();

    context.history.recordIteration(lossValue, learningRate);
    const batchMetrics = noGrad(() => measure(metrics, batch.y!, yPred));
    running.add(lossValue, batchMetrics, batch.x.shape[0]!);
    logs = { epoch, iteration: optimizer.iterations, batch: batch.iteration, loss: lossValue, metrics: batchMetrics, learningRate };
    for (const cb of hooks) await cb.onBatchEnd?.(batch.iteration, logs, context);
    if (context.history.stopped !== null) break;
    await yieldToEventLoop();
  }
  if (logs === null) return null;
  return { ...logs, loss: running.mean('loss'), metrics: running.means() };
}

/**
 * Why training must stop before this update, or null: a NaN/Inf loss, or a NaN/Inf gradient
 * (which would poison every weight it touches). Weights are left as they were.
 */
function divergence(lossValue: number, optimizer: Optimizer, epoch: number, learningRate: number): string | null {
  const bad = Number.isFinite(lossValue) ? nonFiniteGradient(optimizer.params) : `the loss became ${lossValue}`;
  if (bad === null) return null;
  return `training stopped: ${bad} at epoch ${epoch + 1}, iteration ${optimizer.iterations + 1} (learning rate ${learningRate}); the weights diverged — try a smaller learning rate`;
}

/** What is wrong with the first parameter gradient holding a NaN or ±Inf, or null. */
function nonFiniteGradient(params: readonly Tensor[]): string | null {
  for (const p of params) {
    // _peekGrad: checking hands the gradient to no one, so it stays reusable (autograd/gradient-pool.ts).
    const g = Tensor._peekGrad(p)?.data;
    if (g === undefined) continue;
    // One NaN or ±Inf makes the sum non-finite; the backend's reduction is a SIMD pass where
    // the plain loop would cost a fifth of a step at batch size 1. (A sum that overflows
    // without any non-finite entry means gradients near 1e38: diverged just the same.)
    const total = allocate(p.dtype, 1);
    kernels(g).reduce('sum', g, [g.length], [0], total);
    if (Number.isFinite(total[0]!)) continue;
    const culprit = g.find((v) => !Number.isFinite(v));
    return culprit === undefined ? 'the gradients overflowed' : `a gradient became ${culprit}`;
  }
  return null;
}

/** Samples per forward pass when no gradient is needed (validation, evaluate, predict): memory, not learning, sets it. */
export const inferenceBatchSize = 1024;

/** Loss and metrics over a whole data set, batch by batch, without recording a graph. */
export function evaluateBatches({ model, loss: lossFn, metrics }: TrainingSetup, x: Tensor, y: Tensor, batchSize: number): Record<string, number> {
  const wasTraining = model.training;
  model.eval();
  const running = new RunningMeans();
  const n = x.shape[0]!;
  noGrad(() => {
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      // Views, not copies: evaluation only reads its batches.
      const xb = viewRows(x, start, end);
      const yb = viewRows(y, start, end);
      const yPred = model.forward(xb);
      running.add(lossFn(yb, yPred).item(), measure(metrics, yb, yPred), end - start);
    }
  });
  model.train(wasTraining);
  return { loss: running.mean('loss'), ...running.means() };
}

function measure(metrics: Record<string, MetricFunction>, yTrue: Tensor, yPred: Tensor): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, fn] of Object.entries(metrics)) out[name] = fn(yTrue, yPred);
  return out;
}

/** Sample-weighted means, so a short last batch counts for what it is. */
class RunningMeans {
  private readonly sums = new Map<string, number>();
  private count = 0;

  add(loss: number, metrics: Record<string, number>, samples: number): void {
    this.count += samples;
    this.sums.set('loss', (this.sums.get('loss') ?? 0) + loss * samples);
    for (const [k, v] of Object.entries(metrics)) this.sums.set(k, (this.sums.get(k) ?? 0) + v * samples);
  }

  mean(key: string): number {
    return (this.sums.get(key) ?? Number.NaN) / this.count;
  }

  means(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of this.sums.keys()) if (k !== 'loss') out[k] = this.mean(k);
    return out;
  }
}

function flattenLogs(logs: Logs): Record<string, number> {
  const out: Record<string, number> = { loss: logs.loss, ...logs.metrics, learningRate: logs.learningRate };
  for (const [k, v] of Object.entries(logs.val ?? {})) out[`val_${k}`] = v;
  return out;
}

/** The first NaN or infinite value of the data, by sample (row) and column, as an error before training. */
function checkFinite(name: string, t: Tensor): void {
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isFinite(v)) continue;
    const width = t.shape.length > 1 ? data.length / t.shape[0]! : 1;
    const where = t.shape.length > 1 ? `sample ${Math.floor(i / width)}, column ${i % width}` : `sample ${i}`;
    throw new ValueError(
      `fit: ${name} holds ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'} at ${where} (shape ${formatShape(t.shape)}); training needs finite numbers: fill in or drop missing values and rescale values beyond float32's range (±3.4e38) before fit`,
    );
  }
}

function splitValidation(x: Tensor, y: Tensor, options: FitOptions): [Tensor, Tensor, [Tensor, Tensor] | null] {
  const n = x.shape[0];
  if (n === undefined || y.shape[0] !== n) {
    throw new ShapeError(`fit: x ${formatShape(x.shape)} and y ${formatShape(y.shape)} must have the same number of samples (first axis)`);
  }
  if (options.validationData !== undefined) {
    const [xv, yv] = options.validationData;
    if (xv.shape[0] !== yv.shape[0]) throw new ShapeError(`fit: validationData x ${formatShape(xv.shape)} and y ${formatShape(yv.shape)} differ in samples`);
    return [x, y, [xv, yv]];
  }
  const split = options.validationSplit ?? 0;
  if (!(split >= 0 && split < 1)) throw new ValueError(`fit: validationSplit must be in [0, 1), got ${split}`);
  if (split === 0) return [x, y, null];
  // As Keras: the last fraction of the samples, taken before any shuffling.
  const nTrain = Math.floor(n * (1 - split));
  if (nTrain < 1 || nTrain === n) throw new ValueError(`fit: validationSplit ${split} leaves ${nTrain} of ${n} samples for training; choose a split that leaves both parts non-empty`);
  // Views, not copies: the parts are only read, and a copy of a large training matrix doubles its memory.
  return [viewRows(x, 0, nTrain), viewRows(y, 0, nTrain), [viewRows(x, nTrain, n), viewRows(y, nTrain, n)]];
}

