/**
 * From checked settings to a model ready to fit: the data read and split, the output layer
 * and loss matched to the task, the network built from a seed and compiled. train, compare
 * and lr-find all start here, so the same flags mean the same run everywhere.
 */
import {
  Dense,
  initNativeBackend,
  initWasmBackend,
  nativeBackendStatus,
  listBackends,
  ready,
  manualSeed,
  schedule,
  Sequential,
  setBackend,
  type ActivationName,
  type LearningRateSchedule,
  type ScheduleConfig,
  type Tensor,
} from '../node.js';
import { parseDataSpec, loadData, targetsLookLikeLabels, withOutliers, type DataSpec, type LoadedData } from './data-source.js';
import { CliError } from './errors.js';
import { flagOf, type TrainSettings } from './settings.js';
import { didYouMean } from './suggest.js';
import { checkActivationName, encodeTargets, isClassificationLoss, planTask, type TaskPlan } from './task.js';
import { flagSource } from './values.js';

export interface PreparedRun {
  settings: TrainSettings;
  spec: DataSpec;
  data: LoadedData;
  plan: TaskPlan;
  /** Targets as the loss compares them (one-hot rows, [N, 1] 0/1 labels, or values). */
  yTrain: Tensor;
  yTest: Tensor;
  model: Sequential;
  /** Training samples after the validation share is set aside, and the iterations they make. */
  trainSamples: number;
  /** Samples per iteration: --batch-size with 'full' resolved, at most trainSamples. */
  batchSize: number;
  iterationsPerEpoch: number;
  /** The backend computing this run ('js', 'wasm', ...), 'auto' resolved. */
  backend: string;
  warnings: string[];
}

/**
 * Pick the kernels: 'auto' is the fastest that works here (the native addon when it is built
 * and loads, else WebAssembly SIMD when the engine has it, else plain JavaScript); 'native',
 * 'wasm' and 'js' force one.
 */
export async function useBackend(name: string): Promise<string> {
  if (name === 'auto') return ready();
  if (name === 'native') {
    if ((await initNativeBackend()) === null) {
      const status = nativeBackendStatus();
      throw new CliError(`--backend native: the native backend is not available: ${status?.available === false ? status.reason : 'unknown reason'}; or use --backend wasm`);
    }
    return 'native';
  }
  if (name === 'wasm') {
    if ((await initWasmBackend()) === null) throw new CliError("--backend wasm: this JavaScript engine has no WebAssembly SIMD, so the 'wasm' backend cannot run here; use --backend js");
    return 'wasm';
  }
  const known = [...new Set(['auto', 'native', 'wasm', ...listBackends()])];
  if (!listBackends().includes(name)) {
    throw new CliError(`--backend: unknown backend '${name}'${didYouMean(name, known)}; choose one of: ${known.join(', ')}`);
  }
  setBackend(name);
  return name;
}

/** Read the data named by the settings (with outliers added when asked). */
export async function readData(settings: TrainSettings, taskOverride?: 'classification'): Promise<{ spec: DataSpec; data: LoadedData }> {
  const spec = parseDataSpec(settings.data, flagSource(flagOf('data')));
  let data = await loadData(spec, {
    ...(settings.target !== undefined ? { target: settings.target } : {}),
    task: taskOverride ?? settings.task,
    ...(settings.samples !== undefined ? { samples: settings.samples } : {}),
    testSplit: settings.testSplit,
    seed: settings.seed,
    standardize: settings.standardize,
    // The output layer undoes the target's scaling only when it is linear (the regression default).
    standardizeTarget: settings.standardizeTarget !== false && (settings.outputActivation === undefined || settings.outputActivation === 'linear'),
    stratifyTarget: settings.stratifyTarget === true,
    missing: settings.missing ?? 'error',
    ...(settings.features !== undefined ? { features: settings.features } : {}),
    ...(settings.drop !== undefined ? { drop: settings.drop } : {}),
    ...(settings.categorical !== undefined ? { categorical: settings.categorical } : {}),
    ...(settings.delimiter !== undefined ? { delimiter: settings.delimiter } : {}),
    ...(settings.decimal !== undefined ? { decimal: settings.decimal } : {}),
    ...(settings.maxClasses !== undefined ? { maxClasses: settings.maxClasses } : {}),
  });
  if (settings.outliers !== undefined) data = withOutliers(data, settings.outliers, settings.seed).data;
  return { spec, data };
}

/** `backend` overrides settings.backend (--resume runs on the backend its checkpoint names). */
export async function prepareRun(settings: TrainSettings, options: { backend?: string } = {}): Promise<PreparedRun> {
  const backend = await useBackend(options.backend ?? settings.backend);
  let { spec, data } = await readData(settings);
  const warnings: string[] = [];

  // A table of 0/1 (or 0..k) numbers reads as regression; a classification loss says they are classes.
  if (settings.loss !== undefined && isClassificationLoss(settings.loss) && data.preprocessing.task === 'regression' && settings.task === 'auto' && (spec.kind === 'csv' || spec.kind === 'json') && targetsLookLikeLabels(data)) {
    ({ spec, data } = await readData(settings, 'classification'));
    warnings.push(`the target '${data.preprocessing.targetName}' holds whole numbers; reading them as class labels because --loss ${settings.loss} is a classification loss (say --task classification to silence this)`);
  }

  const plan = planTask(
    { task: data.preprocessing.task, numClasses: data.preprocessing.numClasses, targetDim: data.targetDim },
    { ...(settings.loss !== undefined ? { loss: settings.loss } : {}), ...(settings.outputActivation !== undefined ? { outputActivation: settings.outputActivation } : {}) },
  );
  warnings.push(...plan.warnings);

  const n = data.xTrain.shape[0]!;
  const trainSamples = settings.validationSplit > 0 ? Math.floor(n * (1 - settings.validationSplit)) : n;
  if (trainSamples < 1 || (settings.validationSplit > 0 && trainSamples === n)) {
    throw new CliError(`--validation-split ${settings.validationSplit} of ${n} training samples leaves ${trainSamples} to train on and ${n - trainSamples} to validate on; both must be at least 1`);
  }
  const batchSize = settings.batchSize === 'full' ? trainSamples : Math.min(settings.batchSize, trainSamples);
  const iterationsPerEpoch = Math.ceil(trainSamples / batchSize);

  manualSeed(settings.seed);
  const model = buildModel(settings, plan, data.preprocessing.inputDim);
  compileModel(model, settings, plan, iterationsPerEpoch);
  const numClasses = data.preprocessing.numClasses;
  return {
    settings,
    spec,
    data,
    plan,
    yTrain: encodeTargets(data.yTrain, plan.targetEncoding, numClasses),
    yTest: encodeTargets(data.yTest, plan.targetEncoding, numClasses),
    model,
    trainSamples,
    batchSize,
    iterationsPerEpoch,
    backend,
    warnings,
  };
}

/** Hidden Dense layers with their activations, then the output layer the task needs. */
export function buildModel(settings: Pick<TrainSettings, 'layers' | 'activation'>, plan: Pick<TaskPlan, 'outputUnits' | 'outputActivation'>, inputDim: number): Sequential {
  const activations: ActivationName[] = settings.activation.map((a) => checkActivationName(a, '--activation'));
  const layers = settings.layers.map(
    (units, i) => new Dense(units, { activation: activations.length === 1 ? activations[0]! : activations[i]!, ...(i === 0 ? { inputDim } : {}) }),
  );
  layers.push(new Dense(plan.outputUnits, { activation: plan.outputActivation, ...(layers.length === 0 ? { inputDim } : {}) }));
  return new Sequential(layers);
}

/** The learning rate over iterations for --lr-schedule, in units a student can picture (epochs). */
export function learningRateSchedule(name: string, lr: number, iterationsPerEpoch: number, epochs: number): number | LearningRateSchedule {
  const constant: ScheduleConfig = { type: 'constant', learningRate: lr };
  switch (name) {
    case 'constant': return lr;
    case 'step': return schedule({ type: 'step', learningRate: lr, stepSize: iterationsPerEpoch, gamma: 0.5 });
    case 'exponential': return schedule({ type: 'exponential', learningRate: lr, decaySteps: iterationsPerEpoch, decayRate: 0.9 });
    case 'cosine': return schedule({ type: 'cosine', learningRate: lr, decaySteps: iterationsPerEpoch * epochs, alpha: 0 });
    case 'warmup': return schedule({ type: 'warmup', warmupSteps: iterationsPerEpoch, after: constant });
    default: throw new CliError(`--lr-schedule: unknown schedule '${name}'`);
  }
}

export function compileModel(model: Sequential, settings: TrainSettings, plan: TaskPlan, iterationsPerEpoch: number): void {
  model.compile({
    optimizer: {
      type: settings.optimizer,
      learningRate: learningRateSchedule(settings.lrSchedule, settings.lr, iterationsPerEpoch, settings.epochs),
      ...(settings.momentum !== undefined ? { momentum: settings.momentum } : {}),
    },
    loss: plan.loss,
    lossOptions: { fromLogits: plan.fromLogits },
    metrics: plan.metrics,
  });
}
