/** The network, optimizer and loss of a run, built from the state with the library's API. */
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  createOptimizer,
  Dense,
  Dropout,
  manualSeed,
  meanAbsoluteError,
  meanSquaredError,
  schedule,
  Sequential,
  type LearningRate,
  type Module,
  type Optimizer,
  type Tensor,
} from '../../../src/index.js';
import type { PreparedData } from './data.js';
import type { LossId, PlaygroundState, ScheduleId } from './state.js';

export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

export const lossFunctions: Record<LossId, LossFunction> = {
  bce: (t, p) => binaryCrossentropy(t, p),
  cce: (t, p) => categoricalCrossentropy(t, p),
  mse: (t, p) => meanSquaredError(t, p),
  mae: (t, p) => meanAbsoluteError(t, p),
};

/** The schedules run over a horizon measured in epochs, so they behave alike for any batch size. */
export const SCHEDULE_EPOCHS = 100;

export function learningRate(id: ScheduleId, lr: number, iterationsPerEpoch: number): LearningRate {
  const epoch = Math.max(1, iterationsPerEpoch);
  switch (id) {
    case 'constant': return lr;
    case 'step': return schedule({ type: 'step', learningRate: lr, stepSize: 25 * epoch, gamma: 0.5 });
    case 'exponential': return schedule({ type: 'exponential', learningRate: lr, decaySteps: epoch, decayRate: 0.97 });
    case 'cosine': return schedule({ type: 'cosine', learningRate: lr, decaySteps: SCHEDULE_EPOCHS * epoch, alpha: 0.01 });
    case 'warmup': return schedule({ type: 'warmup', warmupSteps: 5 * epoch, after: { type: 'constant', learningRate: lr } });
  }
}

export function buildModel(state: PlaygroundState, data: PreparedData): Sequential {
  // The seed fixes the initial weights (and dropout), so the same link trains the same way.
  manualSeed(state.seed);
  const layers: Module[] = [];
  let inputDim = data.xTrain.shape[1]!;
  for (const hidden of state.layers) {
    layers.push(new Dense(hidden.units, { activation: hidden.activation, inputDim, activationAlpha: hidden.activation === 'leakyRelu' ? 0.01 : undefined }));
    if (state.dropout > 0) layers.push(new Dropout(state.dropout));
    inputDim = hidden.units;
  }
  layers.push(new Dense(data.outputUnits, { activation: data.outputActivation, inputDim }));
  return new Sequential(layers);
}

export function buildOptimizer(state: PlaygroundState, model: Sequential, iterationsPerEpoch: number): Optimizer {
  return createOptimizer(
    { type: state.optimizer, learningRate: learningRate(state.schedule, state.learningRate, iterationsPerEpoch), weightDecay: state.l2 },
    model.parameters(),
  );
}
