/**
 * Everything that defines a playground run, as plain data that round-trips through the URL's
 * query string (a link reproduces the run's setup). Unknown or out-of-range values fall back
 * to the defaults, so any hand-edited link still opens.
 */
import type { OptimizerName } from '../../../src/index.js';
import { choiceParam, numberParam } from '../common/url-state.js';

export const dataSets = ['xor', 'circles', 'spiral', 'gaussians', 'line', 'plane', 'csv'] as const;
export type DataSetId = (typeof dataSets)[number];
export const hiddenActivations = ['relu', 'tanh', 'sigmoid', 'leakyRelu', 'elu', 'gelu', 'swish', 'linear'] as const;
export type HiddenActivation = (typeof hiddenActivations)[number];
export const lossIds = ['bce', 'cce', 'mse', 'mae'] as const;
export type LossId = (typeof lossIds)[number];
export const optimizerIds = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'adamw'] as const satisfies readonly OptimizerName[];
export type OptimizerId = (typeof optimizerIds)[number];
export const scheduleIds = ['constant', 'step', 'exponential', 'cosine', 'warmup'] as const;
export type ScheduleId = (typeof scheduleIds)[number];

export interface HiddenLayer {
  units: number;
  activation: HiddenActivation;
}

export const MAX_UNITS = 512;
export const MAX_LAYERS = 12;

export interface PlaygroundState {
  data: DataSetId;
  samples: number;
  noise: number;
  /** Classes for spiral and gaussians. */
  classes: number;
  /** Share of the samples held out as the test set. */
  testFraction: number;
  seed: number;
  layers: HiddenLayer[];
  loss: LossId;
  optimizer: OptimizerId;
  learningRate: number;
  schedule: ScheduleId;
  /** Samples per iteration; 0 means all of the training set (batch gradient descent). */
  batchSize: number;
  l2: number;
  dropout: number;
  earlyStopping: boolean;
  patience: number;
}

/** Noise that suits each synthetic set (each generator gives noise its own meaning). */
export const defaultNoise: Record<Exclude<DataSetId, 'csv'>, number> = { xor: 0, circles: 0.05, spiral: 0.15, gaussians: 0.5, line: 0.1, plane: 0.1 };

export const defaultState: PlaygroundState = {
  data: 'xor',
  samples: 400,
  noise: defaultNoise.xor,
  classes: 3,
  testFraction: 0.3,
  seed: 1,
  layers: [
    { units: 8, activation: 'tanh' },
    { units: 8, activation: 'tanh' },
  ],
  loss: 'bce',
  optimizer: 'adam',
  learningRate: 0.03,
  schedule: 'constant',
  batchSize: 16,
  l2: 0,
  dropout: 0,
  earlyStopping: false,
  patience: 10,
};

/** "8.tanh_4.relu" ↔ layers; '.' and '_' need no escaping in a URL. */
export function encodeLayers(layers: readonly HiddenLayer[]): string {
  return layers.map((l) => `${l.units}.${l.activation}`).join('_');
}

export function decodeLayers(text: string | null): HiddenLayer[] | null {
  if (text === null) return null;
  if (text === '') return [];
  const layers: HiddenLayer[] = [];
  for (const part of text.split('_').slice(0, MAX_LAYERS)) {
    const [units, activation] = part.split('.');
    const n = Number(units);
    if (!Number.isInteger(n) || n < 1 || n > MAX_UNITS) return null;
    if (!(hiddenActivations as readonly string[]).includes(activation ?? '')) return null;
    layers.push({ units: n, activation: activation as HiddenActivation });
  }
  return layers;
}

export function stateToParams(state: PlaygroundState): Record<string, string> {
  return {
    data: state.data,
    n: String(state.samples),
    noise: String(state.noise),
    classes: String(state.classes),
    test: String(state.testFraction),
    seed: String(state.seed),
    layers: encodeLayers(state.layers),
    loss: state.loss,
    opt: state.optimizer,
    lr: String(state.learningRate),
    schedule: state.schedule,
    batch: state.batchSize === 0 ? 'full' : String(state.batchSize),
    l2: String(state.l2),
    dropout: String(state.dropout),
    stop: state.earlyStopping ? String(state.patience) : 'off',
  };
}

export function stateFromParams(params: URLSearchParams): PlaygroundState {
  const d = defaultState;
  const data = choiceParam(params, 'data', dataSets, d.data);
  const stop = params.get('stop');
  const patience = stop !== null && stop !== 'off' ? numberParam(params, 'stop', d.patience, 1, 1000) : d.patience;
  const batch = params.get('batch');
  return {
    data,
    samples: Math.round(numberParam(params, 'n', d.samples, 20, 5000)),
    noise: numberParam(params, 'noise', data === 'csv' ? 0 : defaultNoise[data], 0, 2),
    classes: Math.round(numberParam(params, 'classes', d.classes, 2, 6)),
    testFraction: numberParam(params, 'test', d.testFraction, 0.1, 0.9),
    seed: Math.round(numberParam(params, 'seed', d.seed, 0, 2 ** 31)),
    layers: decodeLayers(params.get('layers')) ?? d.layers.map((l) => ({ ...l })),
    loss: choiceParam(params, 'loss', lossIds, d.loss),
    optimizer: choiceParam(params, 'opt', optimizerIds, d.optimizer),
    learningRate: numberParam(params, 'lr', d.learningRate, 1e-5, 10),
    schedule: choiceParam(params, 'schedule', scheduleIds, d.schedule),
    batchSize: batch === 'full' ? 0 : Math.round(numberParam(params, 'batch', d.batchSize, 1, 5000)),
    l2: numberParam(params, 'l2', d.l2, 0, 1),
    dropout: numberParam(params, 'dropout', d.dropout, 0, 0.9),
    earlyStopping: stop !== null && stop !== 'off' && Number.isFinite(Number(stop)),
    patience: Math.round(patience),
  };
}
