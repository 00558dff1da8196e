/**
 * `--data`: where the samples come from, read into train and test tensors. Every source
 * ends the same way: x [N, D] float features, y labels [N] (classification) or targets
 * [N, K] (regression), a test part the model never trains on, and what is needed to
 * read new inputs the same way later (feature names, scaling, class names).
 */
import {
  DEFAULT_FASHION_MNIST_DIR,
  loadCsv,
  loadFashionMnist,
  loadIdxDataset,
  loadJsonRecords,
  loadMnist,
  Random,
  slice,
  standardize,
  syntheticDatasets,
  Tensor,
  trainTestSplit,
  type SyntheticDatasetName,
  type TableDataset,
  type TableTask,
} from '../node.js';
import { CliError } from './errors.js';
import { didYouMean } from './suggest.js';
import type { Source } from './values.js';

export type DataSpec =
  | { kind: 'mnist' }
  | { kind: 'fashion-mnist'; dir: string }
  | { kind: 'idx'; images: string; labels: string }
  | { kind: 'csv'; path: string }
  | { kind: 'json'; path: string }
  | { kind: 'synthetic'; name: SyntheticDatasetName };

const SYNTHETIC_ALIASES: Record<string, SyntheticDatasetName> = {
  xor: 'xor',
  circles: 'circles',
  spiral: 'spiral',
  gauss: 'gaussians',
  gaussians: 'gaussians',
  line: 'line',
  plane: 'plane',
};

export const DATA_SOURCE_NAMES = ['mnist', 'fashion-mnist[:DIR]', 'idx:IMAGES,LABELS', 'csv:FILE', 'json:FILE', ...Object.keys(SYNTHETIC_ALIASES)];

/** Read a --data value: 'mnist', 'fashion-mnist:DIR', 'idx:IMAGES,LABELS', 'csv:FILE', 'spiral', ... */
export function parseDataSpec(value: string, source: Source): DataSpec {
  const colon = value.indexOf(':');
  const kind = colon < 0 ? value : value.slice(0, colon);
  const rest = colon < 0 ? '' : value.slice(colon + 1);
  const needsPath = (what: string): string => {
    if (rest.trim() === '') throw new CliError(`${source.label}: '${kind}' needs ${what} after the colon, e.g. ${kind}:${what === 'a file' ? `data.${kind}` : what}`);
    return rest;
  };
  switch (kind) {
    case 'mnist':
      if (rest !== '') throw new CliError(`${source.label}: the built-in MNIST digits take no path; for MNIST files on disk use idx:IMAGES,LABELS`);
      return { kind: 'mnist' };
    case 'fashion-mnist':
      return { kind: 'fashion-mnist', dir: rest === '' ? DEFAULT_FASHION_MNIST_DIR : rest };
    case 'idx': {
      const parts = needsPath('IMAGES,LABELS').split(',');
      if (parts.length !== 2 || parts.some((p) => p.trim() === '')) {
        throw new CliError(`${source.label}: idx needs two files, images then labels: idx:IMAGES,LABELS`);
      }
      return { kind: 'idx', images: parts[0]!.trim(), labels: parts[1]!.trim() };
    }
    case 'csv':
    case 'json':
      return { kind, path: needsPath('a file') };
    default: {
      const synthetic = SYNTHETIC_ALIASES[value];
      if (synthetic !== undefined) return { kind: 'synthetic', name: synthetic };
      // A bare file name is accepted when its extension says what it is.
      if (/\.csv$/i.test(value)) return { kind: 'csv', path: value };
      if (/\.json$/i.test(value)) return { kind: 'json', path: value };
      const known = ['mnist', 'fashion-mnist', 'idx', 'csv', 'json', ...Object.keys(SYNTHETIC_ALIASES)];
      throw new CliError(`${source.label}: unknown data source '${value}'${didYouMean(kind, known)}; use one of: ${DATA_SOURCE_NAMES.join(', ')}`);
    }
  }
}

export function describeDataSpec(spec: DataSpec): string {
  switch (spec.kind) {
    case 'mnist': return 'mnist';
    case 'fashion-mnist': return `fashion-mnist:${spec.dir}`;
    case 'idx': return `idx:${spec.images},${spec.labels}`;
    case 'csv':
    case 'json': return `${spec.kind}:${spec.path}`;
    case 'synthetic': return spec.name;
  }
}

export interface DataOptions {
  /** Column (CSV) or key (JSON) to predict. */
  target?: string;
  /** How to read a table's target: 'auto' (numbers are regression, names are classes). */
  task: TableTask;
  /** Use at most this many training samples (a synthetic set is generated with this many). */
  samples?: number;
  /** Share of the samples kept apart as the test set, for sources without one. */
  testSplit: number;
  /** Seed of generated data and of the train/test split. */
  seed: number;
  /** Scale table features to mean 0, std 1 (measured on the training part). */
  standardize: boolean;
}

/** How raw inputs are turned into what the model sees; saved with the model for evaluate/predict. */
export interface Preprocessing {
  /** Number of features D the model takes. */
  inputDim: number;
  task: 'classification' | 'regression';
  /** Classes (classification): label k is classNames[k]. */
  numClasses: number;
  classNames: string[] | null;
  /** Table columns of x, in order (null for images). */
  featureNames: string[] | null;
  targetName: string | null;
  /** Per-feature mean and std subtracted and divided (null: features used as they are). */
  scaling: { mean: number[]; std: number[] } | null;
}

export interface LoadedData {
  /** A line for people: "MNIST digits: 8000 train, 2000 test, 784 features, 10 classes". */
  description: string;
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
  /** Outputs of a regression target (1 for one column); 0 for classification. */
  targetDim: number;
  preprocessing: Preprocessing;
}

const SYNTHETIC_DEFAULT_SAMPLES = 1000;

export async function loadData(spec: DataSpec, options: DataOptions): Promise<LoadedData> {
  switch (spec.kind) {
    case 'mnist': {
      // The package holds 10,000 digits; the library's default split is 8000 / 2000.
      const trainSize = options.samples ?? 8000;
      if (trainSize >= 10_000) throw new CliError(`--samples ${trainSize}: the built-in MNIST set has 10,000 digits; use at most 9999 for training so some are left to test on`);
      const testSize = Math.min(options.samples === undefined ? 2000 : Math.max(1, Math.ceil((trainSize * options.testSplit) / (1 - options.testSplit))), 10_000 - trainSize);
      const split = await loadMnist({ trainSize, testSize, seed: 0 });
      return images(`MNIST digits (built in)`, split.xTrain, split.yTrain, split.xTest, split.yTest, 10, numberedClasses(10));
    }
    case 'fashion-mnist': {
      const set = loadFashionMnist(spec.dir);
      const [xTrain, yTrain] = limit(set.xTrain, set.yTrain, options.samples);
      // Keep the test set in proportion when training on a subset, so quick runs stay quick.
      const testCount = options.samples === undefined ? set.xTest.shape[0]! : Math.min(set.xTest.shape[0]!, Math.max(1, Math.ceil(options.samples / 4)));
      const [xTest, yTest] = limit(set.xTest, set.yTest, testCount);
      return images(`Fashion-MNIST (${spec.dir})`, xTrain, yTrain, xTest, yTest, 10, set.classNames);
    }
    case 'idx': {
      const set = loadIdxDataset(spec.images, spec.labels);
      const numClasses = maxLabel(set.labels) + 1;
      const [x, y] = limit(set.x, set.labels, options.samples === undefined ? undefined : Math.ceil(options.samples / (1 - options.testSplit)));
      const split = trainTestSplit(x, y, { testSize: options.testSplit, seed: options.seed, stratify: true });
      return images(`IDX files ${spec.images}, ${spec.labels}`, split.xTrain, split.yTrain, split.xTest, split.yTest, numClasses, null);
    }
    case 'csv':
    case 'json': {
      if (options.target === undefined) {
        throw new CliError(`--data ${spec.kind}:${spec.path} needs --target COLUMN: the ${spec.kind === 'csv' ? 'column' : 'key'} to predict`);
      }
      const table =
        spec.kind === 'csv'
          ? loadCsv(spec.path, { target: options.target, task: options.task })
          : loadJsonRecords(spec.path, { target: options.target, task: options.task });
      return fromTable(`${spec.path}`, table, options);
    }
    case 'synthetic': {
      const n = options.samples === undefined ? SYNTHETIC_DEFAULT_SAMPLES : Math.ceil(options.samples / (1 - options.testSplit));
      const set = syntheticDatasets[spec.name]({ n, seed: options.seed });
      const classification = set.task === 'classification';
      const split = trainTestSplit(set.x, set.y, { testSize: options.testSplit, seed: options.seed, stratify: classification });
      const classNames = classification ? numberedClasses(set.numClasses) : null;
      return finish(`${spec.name} (synthetic)`, split.xTrain, split.yTrain, split.xTest, split.yTest, {
        task: set.task,
        numClasses: set.numClasses,
        classNames,
        featureNames: set.x.shape[1] === 1 ? ['x'] : ['x1', 'x2'],
        targetName: 'y',
        scaling: null,
      });
    }
  }
}

/** Class names of a set whose classes have none but their labels: "0", "1", ... */
export function numberedClasses(count: number): string[] {
  return Array.from({ length: count }, (_, k) => String(k));
}

function images(name: string, xTrain: Tensor, yTrain: Tensor, xTest: Tensor, yTest: Tensor, numClasses: number, classNames: string[] | null): LoadedData {
  return finish(name, xTrain, yTrain, xTest, yTest, {
    task: 'classification',
    numClasses,
    classNames: classNames ?? numberedClasses(numClasses),
    featureNames: null,
    targetName: null,
    scaling: null,
  });
}

function fromTable(name: string, table: TableDataset, options: DataOptions): LoadedData {
  const classification = table.task === 'classification';
  const [x, y] = limit(table.x, table.y, options.samples === undefined ? undefined : Math.ceil(options.samples / (1 - options.testSplit)));
  if (x.shape[0]! < 2) throw new CliError(`${name}: has ${x.shape[0]} row; training needs at least 2 (one to train on, one to test)`);
  const split = trainTestSplit(x, y, { testSize: options.testSplit, seed: options.seed, stratify: classification && canStratify(y) });
  let { xTrain, xTest } = split;
  let scaling: Preprocessing['scaling'] = null;
  if (options.standardize) {
    // Measured on the training part only: the test set must not leak into training.
    const scaled = standardize(xTrain);
    xTrain = scaled.x;
    xTest = standardize(xTest, scaled).x;
    scaling = { mean: Array.from(scaled.mean), std: Array.from(scaled.std) };
  }
  return finish(name, xTrain, split.yTrain, xTest, split.yTest, {
    task: table.task,
    numClasses: table.numClasses,
    classNames: table.classNames ?? null,
    featureNames: table.featureNames,
    targetName: table.targetName,
    scaling,
  });
}

/** Stratifying needs at least two samples of every class; tiny tables split plainly. */
function canStratify(labels: Tensor): boolean {
  const counts = new Map<number, number>();
  for (const v of labels.data) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].every((c) => c >= 2);
}

function finish(name: string, xTrain: Tensor, yTrain: Tensor, xTest: Tensor, yTest: Tensor, rest: Omit<Preprocessing, 'inputDim'>): LoadedData {
  const inputDim = xTrain.shape[1]!;
  const targetDim = rest.task === 'regression' ? (yTrain.shape[1] ?? 1) : 0;
  const what = rest.task === 'classification' ? `${rest.numClasses} classes` : `regression on ${targetDim === 1 ? `'${rest.targetName ?? 'y'}'` : `${targetDim} targets`}`;
  return {
    description: `${name}: ${xTrain.shape[0]} train, ${xTest.shape[0]} test samples, ${inputDim} features, ${what}`,
    xTrain,
    yTrain,
    xTest,
    yTest,
    targetDim,
    preprocessing: { inputDim, ...rest },
  };
}

/** The first `count` rows (all of them when count is undefined or larger). */
function limit(x: Tensor, y: Tensor, count: number | undefined): [Tensor, Tensor] {
  const n = x.shape[0]!;
  if (count === undefined || count >= n) return [x, y];
  return [slice(x, 0, count), slice(y, 0, count)];
}

function maxLabel(labels: Tensor): number {
  let max = 0;
  for (const v of labels.data) if (v > max) max = v;
  return max;
}

/** True when every regression target is a whole number >= 0: they can be read as class labels. */
export function targetsLookLikeLabels(data: LoadedData): boolean {
  if (data.targetDim !== 1) return false;
  for (const y of [data.yTrain, data.yTest]) for (const v of y.data) if (!(Number.isInteger(v) && v >= 0)) return false;
  return true;
}

/**
 * Outliers for the MSE-vs-MAE experiment: shift the targets of a seeded `fraction` of the
 * training samples far up (10 standard deviations of the targets), as a broken sensor
 * would. The test set stays clean, so test errors show which loss ignored them.
 */
export function withOutliers(data: LoadedData, fraction: number, seed: number): { data: LoadedData; count: number } {
  if (data.preprocessing.task !== 'regression') throw new CliError('--outliers only applies to regression data (a numeric target), e.g. --data line');
  const y = data.yTrain;
  const values = Float32Array.from(y.data);
  let mean = 0;
  for (const v of values) mean += v / values.length;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2 / values.length;
  const shift = 10 * Math.sqrt(variance || 1);
  const rows = y.shape[0]!;
  const width = values.length / rows;
  const count = Math.round(fraction * rows);
  const chosen = new Random(seed).permutation(rows).slice(0, count);
  for (const row of chosen) for (let j = 0; j < width; j++) values[row * width + j]! += shift;
  const yTrain = new Tensor(values, y.shape);
  return { data: { ...data, yTrain, description: `${data.description}, ${count} training targets made outliers (+${shift.toPrecision(3)})` }, count };
}
