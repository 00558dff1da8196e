/**
 * Metrics: numbers that describe predictions for people (accuracy, mse, mae), computed without
 * recording a graph. `accuracy` picks categorical, sparse or binary from the shapes, as Keras.
 */
import { ShapeError, ValueError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';

export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => number;

function rowArgmax(data: ArrayLike<number>, row: number, cols: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let j = 0; j < cols; j++) {
    const v = data[row * cols + j]!;
    if (v > bestValue) {
      bestValue = v;
      best = j;
    }
  }
  return best;
}

/**
 * The threshold a single output is compared with to call it class 1: 0.5 for a probability
 * (sigmoid output), 0 for a logit (linear output trained with fromLogits), where σ(0) = 0.5.
 */
export const thresholdFor = (fromLogits: boolean | undefined): number => (fromLogits ? 0 : 0.5);

/** Class index per row of yPred [N, C]; one column is class 1 above `threshold` (see thresholdFor). */
export function predictedClasses(yPred: Tensor, threshold = 0.5): Int32Array {
  if (yPred.rank !== 2) throw new ShapeError(`predictedClasses: expects [N, C] scores, got ${formatShape(yPred.shape)}`);
  const [n, c] = [yPred.shape[0]!, yPred.shape[1]!];
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = c === 1 ? (yPred.data[i]! > threshold ? 1 : 0) : rowArgmax(yPred.data, i, c);
  return out;
}

/** True class per sample from one-hot rows [N, C], integer labels [N] or [N, 1]. */
export function trueClasses(yTrue: Tensor): Int32Array {
  if (yTrue.rank === 2 && yTrue.shape[1]! > 1) {
    const n = yTrue.shape[0]!;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = rowArgmax(yTrue.data, i, yTrue.shape[1]!);
    return out;
  }
  return Int32Array.from(yTrue.data, (v) => Math.round(v));
}

export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): number {
  const t = trueClasses(yTrue);
  const p = predictedClasses(yPred);
  if (t.length !== p.length) throw new ShapeError(`accuracy: ${t.length} labels for ${p.length} predictions`);
  let hits = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hits++;
  return t.length === 0 ? 0 : hits / t.length;
}

export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): number {
  if (yTrue.size !== yPred.size) throw new ShapeError(`binaryAccuracy: yTrue ${formatShape(yTrue.shape)} vs yPred ${formatShape(yPred.shape)}`);
  let hits = 0;
  for (let i = 0; i < yTrue.size; i++) if ((yPred.data[i]! > threshold ? 1 : 0) === (yTrue.data[i]! > 0.5 ? 1 : 0)) hits++;
  return yTrue.size === 0 ? 0 : hits / yTrue.size;
}

/**
 * Accuracy for any classification output: one output unit → binary (above `threshold`, 0.5
 * for probabilities, 0 for logits), several → categorical.
 */
export function accuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): number {
  const outputs = yPred.rank === 2 ? yPred.shape[1]! : 1;
  return outputs === 1 ? binaryAccuracy(yTrue, yPred, threshold) : categoricalAccuracy(yTrue, yPred);
}

function meanOf(yTrue: Tensor, yPred: Tensor, name: string, f: (e: number) => number): number {
  if (yTrue.size !== yPred.size) throw new ShapeError(`${name}: yTrue ${formatShape(yTrue.shape)} vs yPred ${formatShape(yPred.shape)}`);
  let s = 0;
  for (let i = 0; i < yTrue.size; i++) s += f(yPred.data[i]! - yTrue.data[i]!);
  return yTrue.size === 0 ? 0 : s / yTrue.size;
}

export const mse: MetricFunction = (t, p) => meanOf(t, p, 'mse', (e) => e * e);
export const mae: MetricFunction = (t, p) => meanOf(t, p, 'mae', Math.abs);

export const metricNames = ['accuracy', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'binaryAccuracy', 'mse', 'mae'] as const;
export type MetricName = (typeof metricNames)[number];

/**
 * A metric by name. `fromLogits`: the model's single output is a logit (the loss was compiled
 * with fromLogits), so binary accuracy counts a score above 0, not above 0.5, as class 1.
 */
export function getMetric(name: string, options: { fromLogits?: boolean } = {}): MetricFunction {
  const threshold = thresholdFor(options.fromLogits);
  switch (name) {
    case 'accuracy':
    case 'acc': return (t, p) => accuracy(t, p, threshold);
    case 'categoricalAccuracy':
    case 'sparseCategoricalAccuracy': return categoricalAccuracy;
    case 'binaryAccuracy': return (t, p) => binaryAccuracy(t, p, threshold);
    case 'mse': return mse;
    case 'mae': return mae;
    default: throw new ValueError(`unknown metric '${name}'; choose from: ${metricNames.join(', ')}`);
  }
}

/** counts[true][predicted]: rows are the true class, columns the predicted one. */
export function confusionMatrix(
  yTrue: Tensor | ArrayLike<number>,
  yPred: Tensor | ArrayLike<number>,
  numClasses?: number,
  threshold = 0.5,
): number[][] {
  const t = 'shape' in yTrue ? trueClasses(yTrue) : Int32Array.from(yTrue);
  const p = 'shape' in yPred ? (yPred.rank === 2 ? predictedClasses(yPred, threshold) : trueClasses(yPred)) : Int32Array.from(yPred);
  if (t.length !== p.length) throw new ShapeError(`confusionMatrix: ${t.length} true labels for ${p.length} predictions`);
  const k = numClasses ?? Math.max(0, ...t, ...p) + 1;
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) {
    const a = t[i]!, b = p[i]!;
    if (a < 0 || a >= k || b < 0 || b >= k) throw new ValueError(`confusionMatrix: class ${a < 0 || a >= k ? a : b} at position ${i} is outside 0..${k - 1}`);
    m[a]![b]!++;
  }
  return m;
}
