/**
 * `--data`: where the samples come from, read into train and test tensors. Every source
 * ends the same way: x [N, D] float features, y labels [N] (classification) or targets
 * [N, K] (regression), a test part the model never trains on, and what is needed to
 * read new inputs the same way later (feature names, scaling, class names).
 */
import {
  DEFAULT_FASHION_MNIST_DIR,
  DEFAULT_MAX_CLASSES,
  encodedFeatureNames,
  encodeParts,
  fitFills,
  inspectTable,
  quantileName,
  tableTargetStrata,
  loadFashionMnist,
  loadIdxDataset,
  loadMnist,
  Random,
  splitIndices,
  takeRows,
  standardize,
  syntheticDatasets,
  Tensor,
  trainTestSplit,
  type EncodedRows,
  type MissingPolicy,
  type QuantileStrata,
  type SyntheticDatasetName,
  type TablePlan,
  type TableTask,
} from '../node.js';
import { CliError } from './errors.js';
import { didYouMean } from './suggest.js';
import { spellFlag, streamJsonFile, streamTableFile } from './table-source.js';
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
  /** Regression: train on the target scaled to mean 0, std 1 (figures and predictions stay in its units). */
  standardizeTarget?: boolean;
  /** Regression tables: stratify the test split by quintiles of the target (default false). */
  stratifyTarget?: boolean;
  /** Table columns: features by name, columns to leave out, columns to one-hot encode. */
  features?: string[];
  drop?: string[];
  categorical?: string[];
  /** Missing cells: error (default), drop, mean, median. */
  missing?: MissingPolicy;
  /** CSV field separator (default: detected) and decimal mark (default: detected). */
  delimiter?: string;
  decimal?: '.' | ',';
  /** Most classes a target (or IDX labels) may have. */
  maxClasses?: number;
}

/** Where a table's rows came from and which of them trained: evaluate checks the file and uses the test rows. */
export interface TableSplitRecord {
  /** The file, resolved (so a run is evaluated from any directory). */
  file: string;
  sha256: string;
  /** CSV field separator used (null for JSON). */
  delimiter: string | null;
  /** Rows of the file (data rows, header excluded; row 0 is the first). */
  rows: number;
  trainCount: number;
  testCount: number;
  /**
   * The role of every row, 2 bits each, base64: 0 not used (missing values, --samples),
   * 1 training, 2 test. A 2-million-row file takes 650 kB here instead of 30 MB of indices.
   */
  roles: string;
}

/** Pack the training and test rows of an n-row file (see TableSplitRecord.roles). */
export function packRoles(n: number, train: ArrayLike<number>, test: ArrayLike<number>): string {
  const bytes = new Uint8Array(Math.ceil(n / 4));
  const mark = (rows: ArrayLike<number>, role: number): void => {
    for (let k = 0; k < rows.length; k++) bytes[rows[k]! >> 2]! |= role << ((rows[k]! & 3) * 2);
  };
  mark(train, 1);
  mark(test, 2);
  return Buffer.from(bytes).toString('base64');
}

/** The training and test rows of a split record, in file order. */
export function unpackRoles(record: Pick<TableSplitRecord, 'rows' | 'roles'>): { train: number[]; test: number[] } {
  if (typeof record.roles !== 'string' || !Number.isInteger(record.rows) || record.roles.length < Math.ceil(record.rows / 4) * (4 / 3)) {
    throw new CliError("the model's record of which rows trained and tested (trainingConfig.preprocessing.split) is missing or damaged; evaluate it on another file with --data, or train again");
  }
  const bytes = Buffer.from(record.roles, 'base64');
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < record.rows; i++) {
    const role = (bytes[i >> 2]! >> ((i & 3) * 2)) & 3;
    if (role === 1) train.push(i);
    else if (role === 2) test.push(i);
  }
  return { train, test };
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
  /** Tables: how cells become features (columns, categories, fills, class names); absent for images and synthetic sets. */
  table?: TablePlan | null;
  /** Regression trained on (y - mean) / std; the saved model's output layer undoes it, so it predicts in the target's units. */
  targetScaling?: { mean: number; std: number } | null;
  /** Tables: the file and the rows that trained and tested. */
  split?: TableSplitRecord | null;
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
  /** Decisions taken on the data without being asked (task, columns, missing rows), one sentence each, for the header. */
  notes: string[];
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
      const [xTrain, yTrain] = draw(set.xTrain, set.yTrain, options.samples, options.seed);
      // Keep the test set in proportion when training on a subset, so quick runs stay quick.
      const testCount = options.samples === undefined ? set.xTest.shape[0]! : Math.min(set.xTest.shape[0]!, Math.max(1, Math.ceil(options.samples / 4)));
      const [xTest, yTest] = draw(set.xTest, set.yTest, testCount, options.seed);
      return images(`Fashion-MNIST (${spec.dir})`, xTrain, yTrain, xTest, yTest, 10, set.classNames);
    }
    case 'idx': {
      const set = loadIdxDataset(spec.images, spec.labels, { maxClasses: options.maxClasses ?? DEFAULT_MAX_CLASSES });
      const numClasses = maxLabel(set.labels) + 1;
      const [x, y] = draw(set.x, set.labels, options.samples === undefined ? undefined : Math.ceil(options.samples / (1 - options.testSplit)), options.seed);
      const split = trainTestSplit(x, y, { testSize: options.testSplit, seed: options.seed, stratify: true });
      return images(`IDX files ${spec.images}, ${spec.labels}`, split.xTrain, split.yTrain, split.xTest, split.yTest, numClasses, null);
    }
    case 'csv':
    case 'json': {
      if (options.target === undefined) {
        throw new CliError(`--data ${spec.kind}:${spec.path} needs --target COLUMN: the ${spec.kind === 'csv' ? 'column' : 'key'} to predict`);
      }
      return await fromTable(spec.path, spec.kind, { ...options, target: options.target });
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

/**
 * A table file: column roles and the task decided on all rows (each decision said), a random
 * split (stratified for classes) recorded by row index, missing-value fills and scaling
 * measured on the training rows only.
 */
async function fromTable(file: string, kind: 'csv' | 'json', options: DataOptions & { target: string }): Promise<LoadedData> {
  // CSV and JSON stream into a column store (memory in proportion to the cells, not the
  // text); a CSV file's delimiter and decimal mark are decided on its first lines.
  const source =
    kind === 'csv'
      ? await streamTableFile(file, {
          ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
          ...(options.decimal !== undefined ? { decimal: options.decimal } : {}),
          ...(options.categorical !== undefined ? { textColumns: options.categorical } : {}),
          progress: (line) => process.stderr.write(`${line}\n`),
        })
      : {
          ...(await streamJsonFile(file, {
            ...(options.categorical !== undefined ? { textColumns: options.categorical } : {}),
            progress: (line) => process.stderr.write(`${line}\n`),
          })),
          decimal: options.decimal ?? ('auto' as const),
        };
  const { table } = source;
  const inspection = inspectTable(table, {
    target: options.target,
    task: options.task,
    missing: options.missing ?? 'error',
    decimal: source.decimal,
    spell: spellFlag,
    ...(options.features ? { features: options.features } : {}),
    ...(options.drop ? { drop: options.drop } : {}),
    ...(options.categorical ? { categorical: options.categorical } : {}),
    ...(options.maxClasses !== undefined ? { maxClasses: options.maxClasses } : {}),
  });
  const notes = [`Task:     ${inspection.taskLine}`, ...source.notes.map((n) => `Columns:  ${n}`), ...inspection.decisions.map((d) => `Columns:  ${d}`)];
  const candidates = inspection.rows;
  if (candidates.length < 2) throw new CliError(`${file}: has ${candidates.length} usable row; training needs at least 2 (one to train on, one to test)`);
  const random = new Random(options.seed);
  // Asked for (--stratify-target), a regression target is stratified by its quintiles, as
  // classes are, so the test rows span its values as the training rows do. Not the default:
  // on Auto MPG over 21 seeds it left the mean test MAE and its spread between seeds no
  // better than a plain draw (docs/CLI.md, bench/auto-mpg-seeds.mjs).
  const stratifyTarget = inspection.plan.task === 'regression' && options.stratifyTarget === true;
  const targetStrata = (rows: ArrayLike<number>): QuantileStrata | null => (stratifyTarget ? tableTargetStrata(table, inspection.plan, rows) : null);
  const candidateStrata = targetStrata(candidates);
  const labels = inspection.labels ?? candidateStrata?.labels ?? null;
  const stratified = labels !== null && canStratifyLabels(labels);

  // --samples: a random (stratified) draw of the rows, not the first ones of the file.
  let pool: Int32Array = positions(candidates.length);
  if (options.samples !== undefined) {
    const wanted = Math.ceil(options.samples / (1 - options.testSplit));
    if (wanted < candidates.length) {
      const draw = splitIndices(candidates.length, { testSize: wanted, random, ...(stratified ? { labels } : {}) });
      pool = draw.test.sort();
      notes.push(`Rows:     --samples ${options.samples}: a random${stratified ? ', stratified' : ''} draw of ${wanted} of the ${candidates.length} rows (train and test)`);
    }
  }
  // Classes keep their labels in the pool; quantile bins are formed again on the pool's values.
  const poolStrata = pool.length === candidates.length ? candidateStrata : targetStrata(Array.from(pool, (k) => candidates[k]!));
  const poolLabels = inspection.labels !== null ? Int32Array.from(pool, (k) => inspection.labels![k]!) : (poolStrata?.labels ?? null);
  const split = splitIndices(pool.length, { testSize: options.testSplit, random, ...(poolLabels !== null && canStratifyLabels(poolLabels) ? { labels: poolLabels } : {}) });
  // Positions in the pool to rows of the file; none to map when every row is a candidate and the pool is all of them.
  const identity = pool.length === candidates.length && candidates.length === (table.rowCount ?? table.rows.length);
  const trainRows = identity ? split.train : split.train.map((k) => candidates[pool[k]!]!);
  const testRows = identity ? split.test : split.test.map((k) => candidates[pool[k]!]!);

  const filled = fitFills(inspection.plan, table, trainRows);
  notes.push(...filled.decisions.map((d) => `Columns:  ${d}`));
  const plan = filled.plan;
  // Both parts in one pass through the file, the cells freed behind it: the features are not
  // held twice (as cells and as matrices) at the peak. The table is not read after this.
  const tableRows = table.rowCount ?? table.rows.length;
  const [train, test] = encodeParts(plan, table, [trainRows, testRows], { target: true, extraColumns: 'ignore', spell: spellFlag, release: true }) as [EncodedRows, EncodedRows];
  let xTrain = train.x;
  let xTest = test.x;
  let scaling: Preprocessing['scaling'] = null;
  if (options.standardize) {
    // Measured on the training part only: the test set must not leak into training. In
    // place: the encoded matrices are this function's own, and a scaled copy of each would
    // double the memory of a large table.
    const scaled = standardize(xTrain, undefined, { inPlace: true });
    xTrain = scaled.x;
    xTest = standardize(xTest, scaled, { inPlace: true }).x;
    scaling = { mean: Array.from(scaled.mean), std: Array.from(scaled.std) };
  }
  const yTrain = train.y!;
  let targetScaling: Preprocessing['targetScaling'] = null;
  if (plan.task === 'regression' && options.standardizeTarget !== false) {
    const { mean, std } = meanAndStd(yTrain.data);
    targetScaling = { mean, std };
    // In place, as the features: train.y is not read again.
    const values = yTrain.data;
    for (let i = 0; i < values.length; i++) values[i] = (values[i]! - mean) / std;
    notes.push(
      `Target:   '${plan.target}' trained as (y - ${formatFigure(mean)}) / ${formatFigure(std)} (training rows); the saved model undoes it: ` +
        `test figures and predictions are in the target's units, epoch losses in standard deviations (--no-standardize-target: raw values)`,
    );
  }
  if (plan.task === 'regression') notes.push(`Rows:     ${regressionSplitLine(plan.target, testRows.length, pool.length, options, poolStrata !== null && poolStrata.bins > 1 ? poolStrata.bins : null)}`);
  return {
    ...finish(file, xTrain, yTrain, xTest, test.y!, {
      task: plan.task,
      numClasses: plan.classNames?.length ?? 0,
      classNames: plan.classNames,
      featureNames: encodedFeatureNames(plan),
      targetName: plan.target,
      scaling,
      table: plan,
      targetScaling,
      split: {
        file: source.absolutePath,
        sha256: source.sha256,
        delimiter: source.delimiter,
        rows: tableRows,
        trainCount: trainRows.length,
        testCount: testRows.length,
        roles: packRoles(tableRows, trainRows, testRows),
      },
    }),
    notes,
  };
}

/** How the test rows of a regression table were drawn, said in the header. */
function regressionSplitLine(target: string, testCount: number, rows: number, options: DataOptions, bins: number | null): string {
  const part = `test split: ${testCount} of ${rows} rows (${formatFigure(options.testSplit * 100)}%)`;
  if (options.stratifyTarget !== true) return `${part}, a plain random draw; --stratify-target stratifies it by quintiles of '${target}'`;
  if (bins === null) return `${part}, a plain random draw: too few rows or different values of '${target}' for the quantile bins --stratify-target asks for`;
  return `${part}, stratified by ${quantileName(bins)} of '${target}' (as --stratify-target asks), so the test rows span its values as the training rows do`;
}

/** 0, 1, ..., n-1 in an Int32Array, written in place (Int32Array.from over an iterator gathers a JS array first). */
function positions(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = k;
  return out;
}

function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i]! / values.length;
  let variance = 0;
  for (let i = 0; i < values.length; i++) variance += (values[i]! - mean) ** 2 / values.length;
  const std = Math.sqrt(variance);
  return { mean, std: std > 0 ? std : 1 };
}

function formatFigure(v: number): string {
  return String(Number(v.toPrecision(4)));
}

function canStratifyLabels(labels: Int32Array): boolean {
  const counts = new Map<number, number>();
  for (const v of labels) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].every((c) => c >= 2);
}

function finish(name: string, xTrain: Tensor, yTrain: Tensor, xTest: Tensor, yTest: Tensor, rest: Omit<Preprocessing, 'inputDim'>): Omit<LoadedData, 'notes'> & { notes: string[] } {
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
    notes: [],
  };
}

/**
 * `count` rows drawn at random, stratified by class (all of them when count is undefined or
 * larger): a file sorted by class must not give a subset of one class. Kept in file order.
 */
function draw(x: Tensor, y: Tensor, count: number | undefined, seed: number): [Tensor, Tensor] {
  const n = x.shape[0]!;
  if (count === undefined || count >= n) return [x, y];
  const labels = Int32Array.from(y.data);
  const chosen = splitIndices(n, { testSize: count, seed, ...(canStratifyLabels(labels) ? { labels } : {}) }).test.sort();
  return [takeRows(x, chosen), takeRows(y, chosen)];
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
