/**
 * Loss functions, all (yTrue, yPred) as in Keras. Each computes a per-sample loss (averaged
 * over a sample's outputs, or summed over classes for cross-entropy) and then reduces:
 * 'mean' (default) over samples, 'sum' over samples, or 'none' (one value per sample).
 */
import { logSoftmax, softplus } from '../activations/index.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import { abs, clip, log, minimum, mul, neg, square, sub } from '../ops/elementwise.js';
import { mean, sum } from '../ops/reduce.js';
import { Tensor, allocate, type DType } from '../tensor/tensor.js';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  reduction?: Reduction;
}

export interface CrossentropyOptions extends LossOptions {
  /** yPred holds raw scores (logits), not probabilities: the stable formula is used. */
  fromLogits?: boolean;
}

/** Probabilities are clipped to [EPSILON, 1 − EPSILON] before log(), as Keras does. */
export const EPSILON = 1e-7;

function sameShape(loss: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(`${loss}: yTrue ${formatShape(yTrue.shape)} and yPred ${formatShape(yPred.shape)} must have the same shape`);
  }
}

/** Per-sample values: reduce every axis after the first (the batch axis). */
function perSample(t: Tensor, how: 'mean' | 'sum'): Tensor {
  if (t.rank <= 1) return t;
  const axes = Array.from({ length: t.rank - 1 }, (_, i) => i + 1);
  return how === 'mean' ? mean(t, axes) : sum(t, axes);
}

function reduce(perSampleLoss: Tensor, reduction: Reduction = 'mean'): Tensor {
  switch (reduction) {
    case 'mean': return mean(perSampleLoss);
    case 'sum': return sum(perSampleLoss);
    case 'none': return perSampleLoss;
    default: throw new ValueError(`unknown reduction '${String(reduction)}'; use 'mean', 'sum' or 'none'`);
  }
}

/** MSE: mean of (ŷ − y)². Large errors weigh quadratically. */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  sameShape('meanSquaredError', yTrue, yPred);
  return reduce(perSample(square(sub(yPred, yTrue)), 'mean'), options.reduction);
}

/** MAE: mean of |ŷ − y|. Robust to outliers; its gradient is ±1 (and 0 at a perfect fit). */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor, options: LossOptions = {}): Tensor {
  sameShape('meanAbsoluteError', yTrue, yPred);
  return reduce(perSample(abs(sub(yPred, yTrue)), 'mean'), options.reduction);
}

/** Huber: quadratic for |error| ≤ delta, linear beyond (MSE near 0, MAE for outliers). */
export function huber(yTrue: Tensor, yPred: Tensor, options: LossOptions & { delta?: number } = {}): Tensor {
  sameShape('huber', yTrue, yPred);
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new ValueError(`huber: delta must be positive, got ${delta}`);
  const e = abs(sub(yPred, yTrue));
  // 0.5·min(|e|, δ)² + δ·(|e| − min(|e|, δ)) equals both branches without a select op.
  const q = minimum(e, delta);
  const value = mul(square(q), 0.5).add(mul(sub(e, q), delta));
  return reduce(perSample(value, 'mean'), options.reduction);
}

/** Binary cross-entropy for a sigmoid output (or logits with fromLogits). y in [0, 1]. */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  sameShape('binaryCrossentropy', yTrue, yPred);
  let value: Tensor;
  if (options.fromLogits) {
    // −[y log σ(z) + (1−y) log(1−σ(z))] = (1−y)·softplus(z) + y·softplus(−z): a sum of two
    // non-negative terms, finite for any z. NOTE: the shorter softplus(z) − y·z cancels when
    // the prediction is confidently right (y = 1, z = 20 gives 20.000000002 − 20 = 0 in
    // float32, where the loss is 2.1e−9), and so does its gradient σ(z) − y; here each
    // term, and each term's gradient (1−y)·σ(z) and −y·σ(−z), keeps its full precision.
    value = mul(sub(1, yTrue), softplus(yPred)).add(mul(yTrue, softplus(neg(yPred))));
  } else {
    const p = clip(yPred, EPSILON, 1 - EPSILON);
    const one = sub(1, yTrue);
    value = mul(yTrue, log(p)).add(mul(one, log(sub(1, p)))).neg();
  }
  return reduce(perSample(value, 'mean'), options.reduction);
}

/** Categorical cross-entropy for a softmax output (or logits) and one-hot yTrue: −Σ y log ŷ. */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  sameShape('categoricalCrossentropy', yTrue, yPred);
  if (yPred.rank < 1) throw new ShapeError('categoricalCrossentropy: yPred needs a class axis, got a scalar');
  let logP: Tensor;
  if (options.fromLogits) {
    logP = logSoftmax(yPred);
  } else {
    // Keras renormalizes so each row sums to 1, then clips away log(0).
    const p = yPred.div(sum(yPred, -1, true));
    logP = log(clip(p, EPSILON, 1 - EPSILON));
  }
  const perClass = mul(yTrue, logP).neg();
  const lastAxisSum = sum(perClass, -1);
  return reduce(perSample(lastAxisSum, 'mean'), options.reduction);
}

/** Categorical cross-entropy with integer class labels (shape [N]) instead of one-hot rows. */
export function sparseCategoricalCrossentropy(labels: Tensor, yPred: Tensor, options: CrossentropyOptions = {}): Tensor {
  if (yPred.rank !== 2) {
    throw new ShapeError(`sparseCategoricalCrossentropy: yPred must be [N, C], got ${formatShape(yPred.shape)}`);
  }
  const [n, c] = [yPred.shape[0]!, yPred.shape[1]!];
  const flat = labels.rank === 1 || (labels.rank === 2 && labels.shape[1] === 1);
  if (!flat || labels.size !== n) {
    throw new ShapeError(
      `sparseCategoricalCrossentropy: labels ${formatShape(labels.shape)} must be [${n}] (one class index per row of yPred ${formatShape(yPred.shape)})`,
    );
  }
  return categoricalCrossentropy(oneHotLabels(labels.data, c, yPred.dtype), yPred, options);
}

function oneHotLabels(labels: ArrayLike<number>, classes: number, dtype: DType): Tensor {
  const out = allocate(dtype, labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= classes) {
      throw new ValueError(`sparseCategoricalCrossentropy: label ${k} at row ${i} is not a class index in 0..${classes - 1}`);
    }
    out[i * classes + k] = 1;
  }
  return new Tensor(out, [labels.length, classes]);
}

export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

export const lossNames = [
  'meanSquaredError',
  'meanAbsoluteError',
  'huber',
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
] as const;
export type LossName = (typeof lossNames)[number];

const aliases: Record<string, LossName> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  bce: 'binaryCrossentropy',
  cce: 'categoricalCrossentropy',
  mean_squared_error: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
};

export function resolveLossName(name: string): LossName {
  if ((lossNames as readonly string[]).includes(name)) return name as LossName;
  const alias = aliases[name];
  if (alias === undefined) throw new ValueError(`unknown loss '${name}'; choose one of: ${lossNames.join(', ')} (or mse, mae, bce, cce)`);
  return alias;
}

/** A loss by name, e.g. getLoss('categoricalCrossentropy', { fromLogits: true }). */
export function getLoss(name: string, options: CrossentropyOptions & { delta?: number } = {}): LossFunction {
  const resolved = resolveLossName(name);
  const fns: Record<LossName, (t: Tensor, p: Tensor, o: typeof options) => Tensor> = {
    meanSquaredError,
    meanAbsoluteError,
    huber,
    binaryCrossentropy,
    categoricalCrossentropy,
    sparseCategoricalCrossentropy,
  };
  const fn = fns[resolved];
  return (yTrue, yPred) => fn(yTrue, yPred, options);
}
