/**
 * The settings of a training run, from three places: built-in defaults, a --config JSON
 * file, and flags — flags win over the file, the file over the defaults. Every value is
 * checked here, before anything is loaded or written, so a typo costs nothing.
 */
import { readDataFile } from '../node/files.js';
import { DataFormatError } from '../errors.js';
import { DEFAULT_MAX_CLASSES, MISSING_POLICIES, optimizerNames, type MissingPolicy, type OptimizerName } from '../node.js';
import { CliError } from './errors.js';
import { didYouMean } from './suggest.js';
import { checkActivationName, checkLossName } from './task.js';
import * as v from './values.js';

export type Task = 'auto' | 'classification' | 'regression';
export const SCHEDULE_NAMES = ['constant', 'step', 'exponential', 'cosine', 'warmup'] as const;

/** What decides the outcome of training: saved as config.json so a run can be repeated. */
export interface TrainSettings {
  data: string;
  target?: string;
  task: Task;
  samples?: number;
  testSplit: number;
  outliers?: number;
  layers: number[];
  /** One activation for every hidden layer, or one per hidden layer. */
  activation: string[];
  outputActivation?: string;
  loss?: string;
  optimizer: OptimizerName;
  lr: number;
  momentum?: number;
  lrSchedule: string;
  batchSize: number | 'full';
  epochs: number;
  validationSplit: number;
  earlyStopping?: number;
  seed: number;
  backend: string;
  standardize: boolean;
  /** Tables: feature columns by name, columns to leave out, columns to one-hot encode. */
  features?: string[];
  drop?: string[];
  categorical?: string[];
  /** Tables: what to do with missing cells. */
  missing: MissingPolicy;
  /** CSV field separator (default: detected from the first line). */
  delimiter?: string;
  /** Decimal mark of table numbers (default: detected). */
  decimal?: '.' | ',';
  /** Most classes a target may have. */
  maxClasses?: number;
  /** Regression: train on the standardized target (default true). */
  standardizeTarget: boolean;
  /** Regression tables: stratify the test split by quintiles of the target (default false: measured no better on Auto MPG over 21 seeds; see docs/CLI.md). */
  stratifyTarget: boolean;
  /** With early stopping: keep the best epoch's weights (default true). */
  restoreBest?: boolean;
}

/** How the run talks (not part of what it computes). */
export interface DisplaySettings {
  json: boolean;
  jsonIterations: boolean;
  quiet: boolean;
}

type Key = keyof TrainSettings;

interface OptionSpec {
  key: Key;
  flag: string;
  help: string;
  check(value: unknown, source: v.Source): unknown;
}

const opt = (key: Key, flag: string, help: string, check: OptionSpec['check']): OptionSpec => ({ key, flag, help, check });

/** Every training setting: its flag, its help line and its check. Order is the --help order. */
export const TRAIN_OPTIONS: readonly OptionSpec[] = [
  opt('data', '--data <source>', 'mnist (built in), fashion-mnist[:DIR], idx:IMAGES,LABELS, csv:FILE, json:FILE, or a synthetic set: xor, circles, spiral, gauss, line, plane (default: mnist)', v.text),
  opt('target', '--target <column>', 'column (CSV) or key (JSON) to predict', v.text),
  opt('task', '--task <task>', 'auto, classification or regression: how to read a table target (default: auto: text and whole numbers with at most 10 different values are classes, other numbers regression; the decision is printed)', (x, s) => v.choice(x, ['auto', 'classification', 'regression'], s)),
  opt('features', '--features <columns>', 'table columns to use as features, e.g. a,b,c (default: all but the target and --drop)', (x, s) => columnNames(x, s)),
  opt('drop', '--drop <columns>', 'table columns to leave out, e.g. id,name (IDs, names, free text)', (x, s) => columnNames(x, s)),
  opt('categorical', '--categorical <columns>', 'table columns to one-hot encode even if they hold numbers (text columns are detected and reported)', (x, s) => columnNames(x, s)),
  opt('missing', '--missing <policy>', 'missing cells (empty, NA, NaN, null, ?): error (default; names them), drop (leave those rows out), mean or median (fill features from the training rows)', (x, s) => v.choice(x, MISSING_POLICIES, s)),
  opt('delimiter', '--delimiter <char>', "CSV field separator, e.g. ';' or tab (default: detected from the first line, and reported)", delimiterValue),
  opt('decimal', '--decimal <mark>', "decimal mark of table numbers: . or , (default: detected, and reported; Spanish spreadsheets write 3,5)", (x, s) => v.choice(x, ['.', ','] as const, s)),
  opt('maxClasses', '--max-classes <n>', `most classes a target may have (default: ${DEFAULT_MAX_CLASSES}); more is usually a numeric target or a corrupt label`, v.positiveInteger),
  opt('samples', '--samples <n>', 'train on at most n samples (synthetic sets: generate this many); quick experiments', v.positiveInteger),
  opt('testSplit', '--test-split <fraction>', 'share kept apart as the test set when the data has none (default: 0.2)', (x, s) => v.fraction(x, s, false)),
  opt('outliers', '--outliers <fraction>', 'regression: turn this share of the training targets into far outliers (to compare mse and mae)', (x, s) => v.fraction(x, s, false)),
  opt('layers', '--layers <sizes>', 'hidden layer sizes, e.g. 128,64 ("none" for no hidden layer; default depends on the data)', v.layerSizes),
  opt('activation', '--activation <names>', 'activation of the hidden layers, one for all or one per layer, e.g. relu or tanh,relu (default: relu)', (x, s) => v.list(x, s).map((a) => checkActivationName(v.text(a, s), s.label))),
  opt('outputActivation', '--output-activation <name>', 'activation of the output layer (default: softmax / sigmoid / linear from the task)', (x, s) => checkActivationName(v.text(x, s), s.label)),
  opt('loss', '--loss <name>', 'meanSquaredError (mse), meanAbsoluteError (mae), huber, binaryCrossentropy (bce), categoricalCrossentropy (cce), sparseCategoricalCrossentropy (default from the task)', (x, s) => checkLossName(v.text(x, s), s.label)),
  opt('optimizer', '--optimizer <name>', `${optimizerNames.join(', ')} (default: adam)`, (x, s) => v.choice(x, optimizerNames, s)),
  opt('lr', '--lr <rate>', 'learning rate: the size of each step (default: 0.001 for adam/adamw/rmsprop, 0.01 for sgd/momentum/nesterov; 0.01 with adam on small synthetic sets)', v.positiveNumber),
  opt('momentum', '--momentum <beta>', 'momentum for momentum/nesterov/rmsprop (default 0.9 / 0)', (x, s) => v.fraction(x, s, true)),
  opt('lrSchedule', '--lr-schedule <schedule>', 'constant, step (halve every epoch), exponential (x0.9 per epoch), cosine (to 0 at the end), warmup (ramp up over the first epoch) (default: constant)', (x, s) => v.choice(x, SCHEDULE_NAMES, s)),
  opt('batchSize', '--batch-size <n|full>', 'samples per iteration: 1 = stochastic, full = batch gradient descent, else mini-batch (default: 32)', v.batchSize),
  opt('epochs', '--epochs <n>', 'passes over the training data (default: 10; 50 for synthetic and table data)', v.positiveInteger),
  opt('validationSplit', '--validation-split <fraction>', 'share of the training samples to validate on after every epoch (default: 0.1; 0 for none)', (x, s) => v.fraction(x, s, true)),
  opt('earlyStopping', '--early-stopping <patience>', 'epochs to wait for the validation loss (the training loss without validation) to improve before stopping', v.nonNegativeInteger),
  opt('restoreBest', '--no-restore-best', 'with --early-stopping, keep the last epoch\'s weights (default: the best epoch\'s, as Keras restore_best_weights; said when it happens)', v.bool),
  opt('seed', '--seed <n>', 'seed of initial weights, data order and generated data: same seed, same run (default: 42)', v.integer),
  opt('backend', '--backend <name>', 'kernels to compute with: auto (the fastest that works here), native, wasm or js (default: auto; see gradiente info)', v.text),
  opt('standardize', '--no-standardize', 'keep table features as they are (default: scale each to mean 0, std 1)', v.bool),
  opt('standardizeTarget', '--no-standardize-target', 'regression: train on the raw target values (default: scaled to mean 0, std 1 for training; figures and predictions stay in its units)', v.bool),
  opt('stratifyTarget', '--stratify-target', 'regression tables: stratify the test split by quintiles of the target, so the test rows span its values as the training rows do (default: a plain random draw; the header says which)', v.bool),
];

/** Column names: "a,b" (a flag) or ["a", "b"] (a config file). */
function columnNames(value: unknown, source: v.Source): string[] {
  const names = v.list(value, source).map((item) => v.text(item, source));
  if (names.length === 0) throw new CliError(`${source.label}: name at least one column, e.g. ${source.label.split(' ')[0]} a,b`);
  return names;
}

/** One character; "tab" or "\t" for a tab. */
function delimiterValue(value: unknown, source: v.Source): string {
  if (value === 'tab' || value === '\\t' || value === '\t') return '\t';
  if (typeof value !== 'string' || value.length !== 1 || /["\r\n]/.test(value)) {
    throw new CliError(`${source.label}: expected one character such as ';' or ',' (or tab), got ${JSON.stringify(value)}`);
  }
  return value;
}

const KEYS = TRAIN_OPTIONS.map((o) => o.key);
const DISPLAY_KEYS = ['json', 'jsonIterations', 'quiet'] as const;
/** Keys a config file may hold besides the settings: output and display. */
const RUN_KEYS = ['out', ...DISPLAY_KEYS] as const;

export function flagOf(key: string): string {
  return TRAIN_OPTIONS.find((o) => o.key === key)?.flag.split(' ')[0]!.replace('--no-', '--') ?? `--${key}`;
}

/** A config file is a page of settings; anything near this size is not one. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** A config file's object: keys in camelCase ("batchSize") or as the flag ("batch-size"). */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    // Through the data-file checks: a FIFO or /dev/zero as --config is refused, not waited on.
    text = readDataFile(path, '', MAX_CONFIG_BYTES).toString('utf8');
  } catch (error) {
    if (error instanceof DataFormatError) throw new CliError(`--config ${error.message}`);
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--config ${path}: is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`--config ${path}: must hold one JSON object, e.g. {"data": "spiral", "epochs": 20}`);
  const out: Record<string, unknown> = {};
  const known = [...KEYS, ...RUN_KEYS, 'version', 'command'];
  for (const [rawKey, val] of Object.entries(value)) {
    const key = rawKey.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!known.includes(key)) throw new CliError(`--config ${path}: unknown setting "${rawKey}"${didYouMean(key, known)}; the settings are the flags of gradiente train, e.g. "batchSize" or "batch-size"`);
    if (key === 'version' || key === 'command') continue; // written by gradiente into config.json, informative only
    out[key] = val;
  }
  return out;
}

/** Built-in defaults that depend on the data: what a sensible first run of each kind looks like. */
export function dataDefaults(data: string): { layers: number[]; epochs: number; lrScale: 'small-data' | 'large-data' } {
  const kind = data.split(':')[0]!;
  if (kind === 'line' || kind === 'plane') return { layers: [], epochs: 50, lrScale: 'small-data' };
  if (['xor', 'circles', 'spiral', 'gauss', 'gaussians'].includes(kind)) return { layers: [16, 16], epochs: 50, lrScale: 'small-data' };
  if (kind === 'csv' || kind === 'json' || /\.(csv|json)$/i.test(data)) return { layers: [32, 32], epochs: 50, lrScale: 'large-data' };
  return { layers: [128, 64], epochs: 10, lrScale: 'large-data' };
}

export function defaultLearningRate(optimizer: OptimizerName, data: string): number {
  if (optimizer === 'sgd' || optimizer === 'momentum' || optimizer === 'nesterov') return 0.01;
  // Adam's usual 0.001 is slow on a thousand 2-D points; 0.01 learns them in seconds.
  return dataDefaults(data).lrScale === 'small-data' ? 0.01 : 0.001;
}

export interface Layered {
  /** Values from the config file (checked), by key. */
  file: Record<string, unknown>;
  fileName: string | null;
  /** Values given as flags (raw strings / booleans), by key. */
  flags: Record<string, unknown>;
}

/** Check one layer of values (file or flags) against the option table. */
function checkValues(values: Record<string, unknown>, source: (key: string) => v.Source): Partial<Record<Key, unknown>> {
  const out: Partial<Record<Key, unknown>> = {};
  for (const spec of TRAIN_OPTIONS) {
    if (values[spec.key] === undefined) continue;
    out[spec.key] = spec.check(values[spec.key], source(spec.key));
  }
  return out;
}

/**
 * The settings of a run: defaults < config file < flags, each value checked. Defaults that
 * depend on the data (layers, epochs, learning rate) are filled in from the chosen data.
 */
export function resolveSettings(layered: Layered): TrainSettings {
  const fromFile = checkValues(layered.file, (key) => v.configSource(layered.fileName ?? 'config', key));
  const fromFlags = checkValues(layered.flags, (key) => v.flagSource(flagOf(key)));
  const given = { ...fromFile, ...fromFlags } as Partial<TrainSettings>;
  const data = given.data ?? 'mnist';
  const defaults = dataDefaults(data);
  const optimizer = given.optimizer ?? 'adam';
  const settings: TrainSettings = {
    data,
    task: given.task ?? 'auto',
    testSplit: given.testSplit ?? 0.2,
    layers: given.layers ?? defaults.layers,
    activation: given.activation ?? ['relu'],
    optimizer,
    lr: given.lr ?? defaultLearningRate(optimizer, data),
    lrSchedule: given.lrSchedule ?? 'constant',
    batchSize: given.batchSize ?? 32,
    epochs: given.epochs ?? defaults.epochs,
    validationSplit: given.validationSplit ?? 0.1,
    seed: given.seed ?? 42,
    backend: given.backend ?? 'auto',
    standardize: given.standardize ?? true,
    missing: given.missing ?? 'error',
    standardizeTarget: given.standardizeTarget ?? true,
    stratifyTarget: given.stratifyTarget ?? false,
  };
  for (const key of ['target', 'samples', 'outliers', 'outputActivation', 'loss', 'momentum', 'earlyStopping', 'features', 'drop', 'categorical', 'delimiter', 'decimal', 'maxClasses', 'restoreBest'] as const) {
    if (given[key] !== undefined) (settings as unknown as Record<string, unknown>)[key] = given[key];
  }
  checkConsistency(settings);
  return settings;
}

function checkConsistency(s: TrainSettings): void {
  if (s.activation.length !== 1 && s.activation.length !== s.layers.length) {
    throw new CliError(
      `--activation lists ${s.activation.length} activations for ${s.layers.length} hidden layer${s.layers.length === 1 ? '' : 's'} (--layers ${s.layers.join(',') || 'none'}); give one for all layers or one per layer`,
    );
  }
  if (s.momentum !== undefined && !['momentum', 'nesterov', 'rmsprop', 'sgd'].includes(s.optimizer)) {
    throw new CliError(`--momentum does not apply to --optimizer ${s.optimizer}; it is for sgd, momentum, nesterov and rmsprop`);
  }
  if (s.momentum !== undefined && s.optimizer === 'nesterov' && s.momentum === 0) throw new CliError('--optimizer nesterov needs a --momentum above 0');
}

/** Display settings: flags win over the config file. */
export function resolveDisplay(file: Record<string, unknown>, flags: Record<string, unknown>, fileName: string | null): DisplaySettings {
  const pick = (key: (typeof DISPLAY_KEYS)[number]): boolean => {
    if (flags[key] !== undefined) return flags[key] === true;
    if (file[key] !== undefined) return v.bool(file[key], v.configSource(fileName ?? 'config', key));
    return false;
  };
  const display = { json: pick('json'), jsonIterations: pick('jsonIterations'), quiet: pick('quiet') };
  if (display.jsonIterations) display.json = true;
  if (display.quiet && display.json) throw new CliError('--quiet and --json contradict each other: --json prints one line per epoch for scripts, --quiet prints nothing');
  return display;
}
