/**
 * The data of a run: a synthetic set (or a CSV the reader loaded), split into train and test,
 * with targets shaped for the chosen loss. Shape letters: N samples, D features, C classes.
 */
import {
  circles,
  gaussians,
  line,
  oneHot,
  plane,
  spiral,
  standardize,
  tensor,
  trainTestSplit,
  xor,
  type SyntheticDataset,
  type TableDataset,
  type Tensor,
} from '../../../src/index.js';
import type { LossId, PlaygroundState } from './state.js';

export type Task = 'classification' | 'regression';

export interface PreparedData {
  task: Task;
  /** Number of classes (0 for regression). */
  numClasses: number;
  featureNames: string[];
  classNames: string[];
  xTrain: Tensor;
  xTest: Tensor;
  /** Targets as the loss wants them: [N, 1] (one output) or one-hot [N, C]. */
  yTrain: Tensor;
  yTest: Tensor;
  /** Integer labels (classification) or the targets (regression), for plotting. */
  labelsTrain: Float32Array;
  labelsTest: Float32Array;
  /** Units and activation of the output layer. */
  outputUnits: number;
  outputActivation: 'sigmoid' | 'softmax' | 'linear';
  /** How CSV features (and regression targets) were standardized, for the exported model. */
  scaling: { mean: number[]; std: number[]; targetMean?: number; targetStd?: number } | null;
}

/** Why a loss cannot be used with this data, as a message key plus values, or null. */
export type Mismatch = { key: 'pg.error.bceClasses'; classes: number } | { key: 'pg.error.regressionLoss'; loss: LossId } | null;

export function lossMismatch(task: Task, numClasses: number, loss: LossId): Mismatch {
  if (task === 'regression' && (loss === 'bce' || loss === 'cce')) return { key: 'pg.error.regressionLoss', loss };
  if (task === 'classification' && loss === 'bce' && numClasses !== 2) return { key: 'pg.error.bceClasses', classes: numClasses };
  return null;
}

function synthetic(state: PlaygroundState): SyntheticDataset {
  const options = { n: state.samples, noise: state.noise, seed: state.seed };
  switch (state.data) {
    case 'xor': return xor(options);
    case 'circles': return circles(options);
    case 'spiral': return spiral({ ...options, classes: state.classes });
    case 'gaussians': return gaussians({ ...options, classes: state.classes });
    case 'line': return line(options);
    case 'plane': return plane(options);
    case 'csv': throw new Error('synthetic(): csv is not a synthetic set');
  }
}

/** The raw table of a run (x [N, D], y labels [N] or targets [N, 1]) before splitting. */
export interface RawData {
  x: Tensor;
  y: Tensor;
  task: Task;
  numClasses: number;
  featureNames: string[];
  classNames: string[];
  fromCsv: boolean;
}

export function rawData(state: PlaygroundState, csv: Pick<TableDataset, 'x' | 'y' | 'task' | 'numClasses' | 'featureNames' | 'classNames'> | null): RawData {
  if (state.data === 'csv' && csv !== null) {
    return {
      x: csv.x,
      y: csv.y,
      task: csv.task,
      numClasses: csv.numClasses,
      featureNames: csv.featureNames,
      classNames: csv.classNames ?? [],
      fromCsv: true,
    };
  }
  const set = synthetic(state);
  const d = set.x.shape[1]!;
  return {
    x: set.x,
    y: set.y,
    task: set.task,
    numClasses: set.numClasses,
    featureNames: d === 1 ? ['x'] : ['x₁', 'x₂'],
    classNames: Array.from({ length: set.numClasses }, (_, k) => String(k)),
    fromCsv: false,
  };
}

export function prepare(state: PlaygroundState, raw: RawData): PreparedData {
  const classification = raw.task === 'classification';
  const split = trainTestSplit(raw.x, raw.y, { testSize: state.testFraction, seed: state.seed + 1, stratify: classification });
  let { xTrain, xTest, yTrain, yTest } = split;
  let scaling: PreparedData['scaling'] = null;
  if (raw.fromCsv) {
    // Columns of a real table come in any units: scale them with the training set's statistics.
    const s = standardize(xTrain);
    xTrain = s.x;
    xTest = standardize(xTest, s).x;
    scaling = { mean: Array.from(s.mean), std: Array.from(s.std) };
    if (!classification) {
      const t = standardize(yTrain);
      yTrain = t.x;
      yTest = standardize(yTest, t).x;
      scaling.targetMean = t.mean[0]!;
      scaling.targetStd = t.std[0]!;
    }
  }
  const labelsTrain = Float32Array.from(yTrain.data);
  const labelsTest = Float32Array.from(yTest.data);
  const c = raw.numClasses;
  // One output for regression and for two classes (a probability); C softmax outputs otherwise,
  // and also when the loss is categorical cross-entropy (it compares distributions over classes).
  const oneOutput = !classification || (c === 2 && state.loss !== 'cce');
  const targets = (y: Tensor): Tensor => (oneOutput ? tensor(Float32Array.from(y.data), [y.shape[0]!, 1]) : oneHot(y, c));
  return {
    task: raw.task,
    numClasses: c,
    featureNames: raw.featureNames,
    classNames: raw.classNames,
    xTrain,
    xTest,
    yTrain: targets(yTrain),
    yTest: targets(yTest),
    labelsTrain,
    labelsTest,
    outputUnits: oneOutput ? 1 : c,
    outputActivation: !classification ? 'linear' : oneOutput ? 'sigmoid' : 'softmax',
    scaling,
  };
}
