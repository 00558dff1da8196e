/**
 * The vanishing-gradient experiment's networks (engine only, no DOM, so a test can run them):
 * deep, narrow networks that differ only in the hidden activation, trained on the same data in
 * the same order with the same optimizer, and the size of each layer's weight gradient.
 */
import { binaryCrossentropy, DataLoader, Dense, manualSeed, Sequential, SGD, type Tensor } from '../../../src/index.js';

export const WIDTH = 8;
export const deepActivations = ['sigmoid', 'tanh', 'relu', 'elu', 'gelu', 'swish'] as const;
export type DeepActivation = (typeof deepActivations)[number];

/** Sigmoid and tanh start with Glorot's scale; the ReLU family with He's (what each is used with). */
export function initializerFor(kind: DeepActivation): 'glorotUniform' | 'heUniform' {
  return kind === 'sigmoid' || kind === 'tanh' ? 'glorotUniform' : 'heUniform';
}

export interface DeepRun {
  kind: DeepActivation;
  model: Sequential;
  optimizer: SGD;
  loader: DataLoader;
  batches: Iterator<{ x: Tensor; y: Tensor | null }>;
  /** ‖∂L/∂W‖ per layer (hidden layers, then the output), smoothed over recent iterations. */
  gradNorms: number[];
  losses: number[];
}

export function makeRun(kind: DeepActivation, depth: number, x: Tensor, y: Tensor): DeepRun {
  // Same seed for every activation: the networks differ in f and in the initial scale only.
  manualSeed(11);
  const layers: Dense[] = [];
  for (let l = 0; l < depth; l++) {
    layers.push(new Dense(WIDTH, { activation: kind, inputDim: l === 0 ? 2 : WIDTH, kernelInitializer: initializerFor(kind) }));
  }
  layers.push(new Dense(1, { activation: 'sigmoid', inputDim: WIDTH }));
  const model = new Sequential(layers);
  const loader = new DataLoader(x, y, { batchSize: 32, shuffle: true, seed: 5 });
  return {
    kind,
    model,
    optimizer: new SGD(model.parameters(), { learningRate: 0.05, momentum: 0.9 }),
    loader,
    batches: loader[Symbol.iterator](),
    gradNorms: layers.map(() => Number.NaN),
    losses: [],
  };
}

function norm(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! * values[i]!;
  return Math.sqrt(s);
}

/** One iteration (or only the gradients, with update = false). */
export function iterate(run: DeepRun, update: boolean): void {
  let next = run.batches.next();
  if (next.done) {
    run.batches = run.loader[Symbol.iterator]();
    next = run.batches.next();
  }
  const { x, y } = next.value as { x: Tensor; y: Tensor };
  const loss = binaryCrossentropy(y.reshape([-1, 1]), run.model.forward(x));
  run.optimizer.zeroGrad();
  loss.backward();
  (run.model.layers as Dense[]).forEach((layer, l) => {
    const g = norm(layer.kernel!.grad!.data);
    const old = run.gradNorms[l]!;
    run.gradNorms[l] = Number.isNaN(old) ? g : 0.9 * old + 0.1 * g;
  });
  if (update) {
    run.optimizer.step();
    run.losses.push(loss.item());
  }
}

/**
 * Each hidden layer's gradient divided by the last hidden layer's: how much of the gradient that
 * reaches the top of the network arrives at each layer below. Unlike raw norms it compares like
 * with like: a network that has already learned has small gradients everywhere (its loss is
 * small), which says nothing about how the gradient travels down.
 */
export function relativeNorms(run: DeepRun): number[] {
  const hidden = run.gradNorms.slice(0, -1);
  const top = hidden[hidden.length - 1]!;
  return hidden.map((g) => g / top);
}
