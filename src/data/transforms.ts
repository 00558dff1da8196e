/**
 * Preparing data before training: splitting off a test set, one-hot labels, and per-column
 * scaling. Nothing here records autograd history; every result is a fresh tensor.
 *
 * Shape letters: N samples, D features (columns), C classes.
 */
import { ShapeError, ValueError, formatShape } from '../errors.js';
import { generatorFor, type Random } from '../tensor/random.js';
import { Tensor, allocate } from '../tensor/tensor.js';
import { checkOptionKeys } from '../options.js';
import { numRows, takeRows } from './rows.js';
import { quantileStrata } from './strata.js';

// ---------------------------------------------------------------- train / test split

export interface TrainTestSplitOptions {
  /** Share of samples for the test set: a fraction in (0, 1) or a count. Default 0.2. */
  testSize?: number;
  /** Shuffle before splitting. Without it the test set is the last rows. Default true. */
  shuffle?: boolean;
  /** Seed for the shuffle (default: `random`, else the global generator). */
  seed?: number;
  random?: Random;
  /**
   * true: keep each class's share the same in both parts (y holds class labels). `{ bins: 5 }`:
   * y is a numeric target, and each of its quantile bins (here quintiles) keeps its share, so
   * the test part spans the target's range as the training part does. Default false.
   */
  stratify?: boolean | { bins: number };
}

export interface TrainTestSplit {
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
}

export function trainTestSplit(x: Tensor, y: Tensor, options: TrainTestSplitOptions = {}): TrainTestSplit {
  // test_size or testSplit would otherwise split with the default 0.2, silently.
  checkOptionKeys('trainTestSplit', options, ['testSize', 'shuffle', 'seed', 'random', 'stratify']);
  const { testSize = 0.2, shuffle = true, seed, stratify = false } = options;
  const n = numRows(x, 'trainTestSplit', 'x');
  if (numRows(y, 'trainTestSplit', 'y') !== n) {
    throw new ShapeError(`trainTestSplit: x has ${n} samples (shape ${formatShape(x.shape)}) but y has ${y.shape[0]} (shape ${formatShape(y.shape)})`);
  }
  const { train, test } = splitIndices(n, {
    testSize,
    shuffle,
    ...(seed !== undefined ? { seed } : {}),
    ...(options.random !== undefined ? { random: options.random } : {}),
    ...(stratify === true ? { labels: classLabels(y, 'trainTestSplit (stratify)') } : {}),
    ...(typeof stratify !== 'boolean' ? { labels: targetStrata(y, stratify) } : {}),
  });
  return {
    xTrain: takeRows(x, train),
    yTrain: takeRows(y, train),
    xTest: takeRows(x, test),
    yTest: takeRows(y, test),
  };
}

export interface SplitIndicesOptions {
  /** Share of the n rows for the test part: a fraction in (0, 1) or a count. Default 0.2. */
  testSize?: number;
  shuffle?: boolean;
  seed?: number;
  random?: Random;
  /** Class label of every row: each class keeps its share in both parts (stratified). */
  labels?: Int32Array;
}

/**
 * Which of n rows go to training and which to test, as row indices: trainTestSplit's rule,
 * for callers that keep rows elsewhere (a table read once, split, and recorded by index).
 */
export function splitIndices(n: number, options: SplitIndicesOptions = {}): { train: Int32Array; test: Int32Array } {
  checkOptionKeys('splitIndices', options, ['testSize', 'shuffle', 'seed', 'random', 'labels']);
  const { testSize = 0.2, shuffle = true } = options;
  const nTest = resolveTestCount(testSize, n);
  const random = generatorFor(options.seed, options.random);
  if (options.labels !== undefined && options.labels.length !== n) throw new ShapeError(`splitIndices: ${options.labels.length} labels for ${n} rows`);
  return options.labels !== undefined ? stratifiedIndices(options.labels, nTest, shuffle ? random : null) : plainIndices(n, nTest, shuffle ? random : null);
}

function resolveTestCount(testSize: number, n: number): number {
  let count: number;
  if (testSize > 0 && testSize < 1) {
    // Round up like scikit-learn, so a small test fraction never yields an empty test set.
    count = Math.ceil(testSize * n);
  } else if (Number.isInteger(testSize) && testSize >= 1) {
    count = testSize;
  } else {
    throw new ValueError(`trainTestSplit: testSize must be a fraction in (0, 1) or a whole number of samples, got ${testSize}`);
  }
  if (count >= n) {
    throw new ValueError(`trainTestSplit: testSize ${testSize} leaves no training samples out of ${n}; use a smaller testSize`);
  }
  return count;
}

function plainIndices(n: number, nTest: number, random: Random | null): { train: Int32Array; test: Int32Array } {
  const order = random ? random.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  return { train: order.slice(0, n - nTest), test: order.slice(n - nTest) };
}

/**
 * Per class, the same share goes to the test set; rounding is settled by largest remainder.
 * Rows are grouped by class in typed arrays (a counting sort), not JS arrays spread into
 * push(): a stratum of a large table holds hundreds of thousands of rows, past the limit of a
 * call's arguments.
 */
function stratifiedIndices(labels: Int32Array, nTest: number, random: Random | null): { train: Int32Array; test: Int32Array } {
  const n = labels.length;
  const countOf = new Map<number, number>();
  for (let i = 0; i < n; i++) countOf.set(labels[i]!, (countOf.get(labels[i]!) ?? 0) + 1);
  const classes = [...countOf.keys()].sort((a, b) => a - b);
  const sizes = classes.map((c) => countOf.get(c)!);
  const exact = sizes.map((size) => (size * nTest) / n);
  const quota = exact.map(Math.floor);
  let missing = nTest - quota.reduce((s, q) => s + q, 0);
  const byRemainder = classes.map((_, k) => k).sort((a, b) => exact[b]! - quota[b]! - (exact[a]! - quota[a]!) || a - b);
  for (const k of byRemainder) {
    if (missing === 0) break;
    if (quota[k]! < sizes[k]!) {
      quota[k]!++;
      missing--;
    }
  }
  // Members of each class, in row order, one segment per class.
  const start = new Map<number, number>();
  let offset = 0;
  classes.forEach((c, k) => {
    start.set(c, offset);
    offset += sizes[k]!;
  });
  const grouped = new Int32Array(n);
  const fill = new Map(start);
  for (let i = 0; i < n; i++) {
    const at = fill.get(labels[i]!)!;
    grouped[at] = i;
    fill.set(labels[i]!, at + 1);
  }
  const trainIdx = new Int32Array(n - nTest);
  const testIdx = new Int32Array(nTest);
  let trainAt = 0;
  let testAt = 0;
  classes.forEach((c, k) => {
    const members = grouped.subarray(start.get(c)!, start.get(c)! + sizes[k]!);
    if (random) random.shuffle(members);
    const cut = members.length - quota[k]!;
    trainIdx.set(members.subarray(0, cut), trainAt);
    testIdx.set(members.subarray(cut), testAt);
    trainAt += cut;
    testAt += quota[k]!;
  });
  if (random) {
    // Mix the classes again; otherwise every batch of an unshuffled loader holds one class.
    random.shuffle(trainIdx);
    random.shuffle(testIdx);
  } else {
    trainIdx.sort();
    testIdx.sort();
  }
  return { train: trainIdx, test: testIdx };
}

/** Quantile bins of a numeric target [N] or [N, 1]: the strata of a regression split. */
function targetStrata(y: Tensor, stratify: { bins: number }): Int32Array {
  if (typeof stratify !== 'object' || stratify === null || !Number.isInteger(stratify.bins) || stratify.bins < 1) {
    throw new ValueError(`trainTestSplit: stratify must be true (class labels) or { bins: k } with a whole number k >= 1 (quantile bins of a numeric target), got ${JSON.stringify(stratify)}`);
  }
  if (!(y.rank === 1 || (y.rank === 2 && y.shape[1] === 1))) {
    throw new ShapeError(`trainTestSplit (stratify by bins): y must be one numeric target, [N] or [N, 1], got ${formatShape(y.shape)}`);
  }
  return quantileStrata(y.data, stratify.bins).labels;
}

/** Integer class labels from y: [N] or [N, 1] labels, or [N, C] one-hot rows (argmax). */
function classLabels(y: Tensor, where: string): Int32Array {
  if (y.rank === 2 && y.shape[1]! > 1) return argmax(y);
  if (y.rank === 1 || (y.rank === 2 && y.shape[1] === 1)) {
    const labels = new Int32Array(y.shape[0]!);
    for (let i = 0; i < labels.length; i++) {
      const v = y.data[i]!;
      if (!Number.isInteger(v)) throw new ValueError(`${where}: y at position ${i} is ${v}; stratifying needs integer class labels`);
      labels[i] = v;
    }
    return labels;
  }
  throw new ShapeError(`${where}: y must be labels [N], [N, 1] or one-hot [N, C], got ${formatShape(y.shape)}`);
}

// ---------------------------------------------------------------- labels

/** Integer labels [N] to one-hot rows [N, C]; C defaults to the largest label + 1. */
export function oneHot(labels: Tensor | ArrayLike<number>, numClasses?: number): Tensor {
  let values: ArrayLike<number>;
  if (labels instanceof Tensor) {
    if (!(labels.rank === 1 || (labels.rank === 2 && labels.shape[1] === 1))) {
      throw new ShapeError(`oneHot: labels must have shape [N] or [N, 1], got ${formatShape(labels.shape)}`);
    }
    values = labels.data;
  } else {
    values = labels;
  }
  const n = values.length;
  let largest = -1;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0) {
      throw new ValueError(`oneHot: label at position ${i} is ${v}; labels must be integers 0, 1, ..., numClasses - 1`);
    }
    if (numClasses !== undefined && v >= numClasses) {
      throw new ValueError(`oneHot: label at position ${i} is ${v}, outside 0..${numClasses - 1} for numClasses ${numClasses}`);
    }
    largest = Math.max(largest, v);
  }
  const c = numClasses ?? largest + 1;
  if (!Number.isInteger(c) || c < 1) throw new ValueError(`oneHot: numClasses must be a positive integer, got ${numClasses ?? c}`);
  const out = new Float32Array(n * c);
  for (let i = 0; i < n; i++) out[i * c + values[i]!] = 1;
  return new Tensor(out, [n, c]);
}

/** Index of the largest value in each row of [N, C] (a [C] tensor is one row); ties go to the first. */
export function argmax(t: Tensor): Int32Array {
  if (t.rank !== 1 && t.rank !== 2) throw new ShapeError(`argmax: expects [N, C] rows (or one [C] row), got ${formatShape(t.shape)}`);
  const c = t.shape[t.rank - 1]!;
  if (c === 0) throw new ShapeError(`argmax: rows have no values (shape ${formatShape(t.shape)})`);
  const n = t.rank === 1 ? 1 : t.shape[0]!;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = t.data[i * c]!;
    for (let j = 1; j < c; j++) {
      const v = t.data[i * c + j]!;
      // NOTE: a NaN never beats a number (v > NaN and NaN > v are both false, so check explicitly).
      if (v > bestValue || (Number.isNaN(bestValue) && !Number.isNaN(v))) {
        best = j;
        bestValue = v;
      }
    }
    out[i] = best;
  }
  return out;
}

// ---------------------------------------------------------------- scaling

export interface StandardizeStats {
  mean: ArrayLike<number>;
  std: ArrayLike<number>;
}

export interface StandardizeOptions {
  /**
   * Overwrite x's own values instead of allocating a scaled copy (default false). For a large
   * matrix that nothing else reads afterwards, e.g. features just encoded from a table: it
   * halves the peak memory of preparing them.
   */
  inPlace?: boolean;
}

/**
 * (x - mean) / std per column of [N, D]. Without `stats` they are measured on x (population
 * std); pass the training set's stats to scale test data the same way. A column with std 0
 * is divided by 1, so constant columns become 0 instead of NaN.
 */
export function standardize(x: Tensor, stats?: StandardizeStats, options: StandardizeOptions = {}): { x: Tensor; mean: Float32Array; std: Float32Array } {
  checkOptionKeys('standardize', options, ['inPlace']);
  const [n, d] = matrixShape(x, 'standardize');
  let mean: Float32Array;
  let std: Float32Array;
  if (stats) {
    mean = statVector(stats.mean, d, 'standardize', 'mean');
    std = statVector(stats.std, d, 'standardize', 'std');
  } else {
    if (n === 0) throw new ValueError('standardize: x has no rows to measure mean and std on');
    const sum = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sum[j] += x.data[i * d + j]!;
    mean = Float32Array.from(sum, (s) => s / n);
    const squares = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const diff = x.data[i * d + j]! - mean[j]!;
        squares[j] += diff * diff;
      }
    }
    std = Float32Array.from(squares, (s) => Math.sqrt(s / n));
  }
  const out = options.inPlace === true ? x.data : allocate(x.dtype, x.size);
  for (let j = 0; j < d; j++) {
    const m = mean[j]!;
    const s = std[j] === 0 ? 1 : std[j]!;
    for (let i = 0; i < n; i++) out[i * d + j] = (x.data[i * d + j]! - m) / s;
  }
  return { x: options.inPlace === true ? x : new Tensor(out, x.shape), mean, std };
}

export interface MinMaxStats {
  min: ArrayLike<number>;
  max: ArrayLike<number>;
}

/**
 * (x - min) / (max - min) per column of [N, D], into [0, 1] for the data measured on.
 * Pass the training set's stats to scale test data the same way (it may then leave [0, 1]).
 * A constant column (max = min) is divided by 1 and becomes 0.
 */
export function minMaxScale(x: Tensor, stats?: MinMaxStats): { x: Tensor; min: Float32Array; max: Float32Array } {
  const [n, d] = matrixShape(x, 'minMaxScale');
  let min: Float32Array;
  let max: Float32Array;
  if (stats) {
    min = statVector(stats.min, d, 'minMaxScale', 'min');
    max = statVector(stats.max, d, 'minMaxScale', 'max');
  } else {
    if (n === 0) throw new ValueError('minMaxScale: x has no rows to measure min and max on');
    min = new Float32Array(d).fill(Infinity);
    max = new Float32Array(d).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const v = x.data[i * d + j]!;
        if (v < min[j]!) min[j] = v;
        if (v > max[j]!) max[j] = v;
      }
    }
  }
  const out = allocate(x.dtype, x.size);
  for (let j = 0; j < d; j++) {
    const range = max[j]! - min[j]! || 1;
    for (let i = 0; i < n; i++) out[i * d + j] = (x.data[i * d + j]! - min[j]!) / range;
  }
  return { x: new Tensor(out, x.shape), min, max };
}

function matrixShape(x: Tensor, where: string): [number, number] {
  if (x.rank !== 2) throw new ShapeError(`${where}: x must be a table [N, D] (samples by columns), got ${formatShape(x.shape)}`);
  return [x.shape[0]!, x.shape[1]!];
}

function statVector(values: ArrayLike<number>, d: number, where: string, name: string): Float32Array {
  if (values.length !== d) {
    throw new ShapeError(`${where}: stats.${name} has ${values.length} values but x has ${d} columns; use the stats returned for data with the same columns`);
  }
  for (let j = 0; j < d; j++) {
    if (!Number.isFinite(values[j]!)) throw new ValueError(`${where}: stats.${name} at column ${j} is ${values[j]}, not a finite number`);
  }
  return Float32Array.from(values);
}
