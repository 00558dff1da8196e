/**
 * Small synthetic data sets for the lab and the CLI: 2-D classification problems you can
 * plot (xor, circles, spiral, gaussians) and regression lines and planes with a known answer.
 *
 * Every generator is deterministic given `seed` (or the `random` generator passed in; by
 * default the global one, see manualSeed). Classification sets return integer labels [N]
 * stored as floats; regression sets return targets [N, 1], the shape of a one-output model.
 * Samples come out in shuffled order, so splitting without shuffling still mixes classes.
 */
import { ValueError } from '../errors.js';
import { generatorFor, type Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';

export interface SyntheticOptions {
  /** Number of samples. Default 200. */
  n?: number;
  /** How much the points scatter (meaning given per set). */
  noise?: number;
  seed?: number;
  random?: Random;
}

export interface SyntheticDataset {
  /** Inputs [N, 2] ([N, 1] for `line`). */
  x: Tensor;
  /** Integer labels [N] for classification, targets [N, 1] for regression. */
  y: Tensor;
  /** Number of classes; 0 for regression. */
  numClasses: number;
  task: 'classification' | 'regression';
}

interface Resolved {
  n: number;
  noise: number;
  random: Random;
}

function resolve(name: string, options: SyntheticOptions, defaultNoise: number): Resolved {
  const { n = 200, noise = defaultNoise, seed } = options;
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`${name}: n must be a positive integer, got ${n}`);
  if (!Number.isFinite(noise) || noise < 0) throw new ValueError(`${name}: noise must be a number >= 0, got ${noise}`);
  if (seed !== undefined && options.random !== undefined) throw new ValueError(`${name}: pass either seed or random, not both`);
  const random = generatorFor(seed, options.random);
  return { n, noise, random };
}

function checkClasses(name: string, classes: number): void {
  if (!Number.isInteger(classes) || classes < 2) throw new ValueError(`${name}: classes must be an integer >= 2, got ${classes}`);
}

/** Points and labels built in class order, returned in one shuffled order. */
function classification(points: Float32Array, labels: Float32Array, numClasses: number, random: Random): SyntheticDataset {
  const n = labels.length;
  const order = random.permutation(n);
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = order[i]!;
    x[2 * i] = points[2 * k]!;
    x[2 * i + 1] = points[2 * k + 1]!;
    y[i] = labels[k]!;
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n]), numClasses, task: 'classification' };
}

/** How many of n samples class k gets when n is shared by `classes` classes as evenly as possible. */
function classCount(n: number, classes: number, k: number): number {
  return Math.floor(n / classes) + (k < n % classes ? 1 : 0);
}

/**
 * XOR: points uniform in [-1, 1]², label 1 where x₁·x₂ < 0 (2nd and 4th quadrants), else 0.
 * Not linearly separable: a model needs a hidden layer. `noise` (default 0.1) is the std
 * of Gaussian jitter added after labelling, so points near the axes cross over.
 */
export function xor(options: SyntheticOptions = {}): SyntheticDataset {
  const { n, noise, random } = resolve('xor', options, 0.1);
  const points = new Float32Array(n * 2);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = 2 * random.uniform() - 1;
    const b = 2 * random.uniform() - 1;
    labels[i] = a * b < 0 ? 1 : 0;
    points[2 * i] = a + noise * random.normal();
    points[2 * i + 1] = b + noise * random.normal();
  }
  return classification(points, labels, 2, random);
}

/**
 * Two concentric circles: class 0 on the outer one (radius 1), class 1 on the inner one
 * (radius `factor`, default 0.5). `noise` (default 0.05) is the std of Gaussian jitter.
 */
export function circles(options: SyntheticOptions & { factor?: number } = {}): SyntheticDataset {
  const { n, noise, random } = resolve('circles', options, 0.05);
  const { factor = 0.5 } = options;
  if (!(factor > 0 && factor < 1)) throw new ValueError(`circles: factor (inner radius / outer radius) must be in (0, 1), got ${factor}`);
  const points = new Float32Array(n * 2);
  const labels = new Float32Array(n);
  let i = 0;
  for (let k = 0; k < 2; k++) {
    const radius = k === 0 ? 1 : factor;
    for (let j = 0; j < classCount(n, 2, k); j++, i++) {
      const angle = 2 * Math.PI * random.uniform();
      points[2 * i] = radius * Math.cos(angle) + noise * random.normal();
      points[2 * i + 1] = radius * Math.sin(angle) + noise * random.normal();
      labels[i] = k;
    }
  }
  return classification(points, labels, 2, random);
}

/**
 * Interleaved spiral arms, one per class (default 3), as in Stanford's CS231n notes: arm k
 * runs from the centre outwards over angles [4k, 4k + 4] radians. `noise` (default 0.2) is
 * the std of Gaussian jitter on the angle, in radians.
 */
export function spiral(options: SyntheticOptions & { classes?: number } = {}): SyntheticDataset {
  const { n, noise, random } = resolve('spiral', options, 0.2);
  const { classes = 3 } = options;
  checkClasses('spiral', classes);
  const points = new Float32Array(n * 2);
  const labels = new Float32Array(n);
  let i = 0;
  for (let k = 0; k < classes; k++) {
    const count = classCount(n, classes, k);
    for (let j = 0; j < count; j++, i++) {
      const t = count > 1 ? j / (count - 1) : 0;
      const radius = t;
      const angle = 4 * (k + t) + noise * random.normal();
      points[2 * i] = radius * Math.sin(angle);
      points[2 * i + 1] = radius * Math.cos(angle);
      labels[i] = k;
    }
  }
  return classification(points, labels, classes, random);
}

/**
 * Gaussian blobs, one per class (default 2), with centres evenly spaced on a circle of
 * radius `radius` (default 2). `noise` (default 0.5) is each blob's std: raise it and the
 * classes overlap.
 */
export function gaussians(options: SyntheticOptions & { classes?: number; radius?: number } = {}): SyntheticDataset {
  const { n, noise, random } = resolve('gaussians', options, 0.5);
  const { classes = 2, radius = 2 } = options;
  checkClasses('gaussians', classes);
  if (!Number.isFinite(radius) || radius < 0) throw new ValueError(`gaussians: radius must be a number >= 0, got ${radius}`);
  const points = new Float32Array(n * 2);
  const labels = new Float32Array(n);
  let i = 0;
  for (let k = 0; k < classes; k++) {
    const angle = (2 * Math.PI * k) / classes;
    const cx = radius * Math.cos(angle);
    const cy = radius * Math.sin(angle);
    for (let j = 0; j < classCount(n, classes, k); j++, i++) {
      points[2 * i] = cx + noise * random.normal();
      points[2 * i + 1] = cy + noise * random.normal();
      labels[i] = k;
    }
  }
  return classification(points, labels, classes, random);
}

/**
 * A line to fit: x uniform in [-1, 1] ([N, 1]), y = slope·x + intercept + noise·ε ([N, 1])
 * with ε standard normal. Defaults: slope 2, intercept 1, noise 0.1.
 */
export function line(options: SyntheticOptions & { slope?: number; intercept?: number } = {}): SyntheticDataset {
  const { n, noise, random } = resolve('line', options, 0.1);
  const { slope = 2, intercept = 1 } = options;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = 2 * random.uniform() - 1;
    y[i] = slope * x[i]! + intercept + noise * random.normal();
  }
  return { x: new Tensor(x, [n, 1]), y: new Tensor(y, [n, 1]), numClasses: 0, task: 'regression' };
}

/**
 * A plane to fit: x uniform in [-1, 1]² ([N, 2]), y = w₁·x₁ + w₂·x₂ + bias + noise·ε ([N, 1]).
 * Defaults: weights [1, -2], bias 0.5, noise 0.1.
 */
export function plane(options: SyntheticOptions & { weights?: readonly [number, number]; bias?: number } = {}): SyntheticDataset {
  const { n, noise, random } = resolve('plane', options, 0.1);
  const { weights = [1, -2], bias = 0.5 } = options;
  if (weights.length !== 2) throw new ValueError(`plane: weights must be two numbers [w1, w2], got ${weights.length}`);
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = 2 * random.uniform() - 1;
    const b = 2 * random.uniform() - 1;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = weights[0] * a + weights[1] * b + bias + noise * random.normal();
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n, 1]), numClasses: 0, task: 'regression' };
}

/** The generators by name, for the CLI (`--data spiral`) and the lab's data picker. */
export const syntheticDatasets = { xor, circles, spiral, gaussians, line, plane } as const;
export type SyntheticDatasetName = keyof typeof syntheticDatasets;
