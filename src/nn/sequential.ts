/**
 * Sequential: layers applied one after the other, with the Keras/TF.js training API:
 * compile({ optimizer, loss, metrics }), fit(x, y, options), evaluate(x, y), predict(x).
 */
import { noGrad } from '../autograd/graph.js';
import { GradienteError, ValueError, formatShape } from '../errors.js';
import { saveModelTo } from '../io/stores.js';
import { getLoss, resolveLossName, type CrossentropyOptions, type LossFunction, type LossName } from '../losses/index.js';
import { createOptimizer, Optimizer, type OptimizerConfig, type OptimizerName } from '../optim/optimizer.js';
import { concat, slice } from '../ops/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { evaluateBatches, fit, inferenceBatchSize, type FitOptions, type TrainingSetup } from '../train/fit.js';
import type { History } from '../train/history.js';
import { getMetric, type MetricFunction } from '../train/metrics.js';
import { Dense } from './layers.js';
import { Module } from './module.js';
import { checkOptionKeys } from '../options.js';

export interface CompileOptions {
  optimizer: OptimizerName | OptimizerConfig | Optimizer;
  loss: LossName | 'mse' | 'mae' | 'bce' | 'cce' | LossFunction;
  /** Options for a loss given by name (fromLogits, delta). */
  lossOptions?: CrossentropyOptions & { delta?: number };
  metrics?: (string | { name: string; fn: MetricFunction })[];
}

const COMPILE_KEYS = ['optimizer', 'loss', 'lossOptions', 'metrics'] as const;
const OPTIMIZER_KEYS = ['type', 'learningRate', 'momentum', 'nesterov', 'weightDecay', 'beta1', 'beta2', 'epsilon', 'rho'] as const;

export class Sequential extends Module {
  readonly layers: Module[] = [];
  private setup: TrainingSetup | null = null;
  /** The compile() arguments by name (what a saved model records). */
  compileConfig: { optimizer: string; loss: string; lossOptions?: CrossentropyOptions & { delta?: number }; metrics: string[] } | null = null;

  constructor(layers: Module[] = []) {
    super();
    // All layers first, then one build: add() per layer would rebuild the whole model each
    // time, quadratic in the number of layers (a 40,000-layer file would load for minutes).
    for (const layer of layers) this.append(layer);
    this.buildIfInputKnown();
  }

  add(layer: Module): this {
    this.append(layer);
    this.buildIfInputKnown();
    return this;
  }

  private append(layer: Module): void {
    this.registerModule(String(this.layers.length), layer);
    this.layers.push(layer);
  }

  /**
   * With a known input size every layer can be built now, so parameters() already lists all
   * of them when an optimizer is created (a lazily built layer would silently never train).
   */
  private buildIfInputKnown(): void {
    const first = this.layers[0];
    if (first instanceof Dense && first.inputDim !== null) this.build([1, first.inputDim]);
  }

  /** True when every layer has its parameters (the input size is known). */
  get built(): boolean {
    return this.layers.every((layer) => !(layer instanceof Dense) || layer.inputDim !== null);
  }

  override namedParameters(prefix = ''): [string, Tensor][] {
    if (!this.built) {
      throw new GradienteError(
        'the model is not built yet, so some layers have no weights: give the first Dense layer an inputDim ' +
          '(new Dense(64, { inputDim: 784 })) or call model.build([N, D]) before asking for its parameters',
      );
    }
    return super.namedParameters(prefix);
  }

  override build(inputShape: readonly number[]): number[] {
    let shape = [...inputShape];
    for (const layer of this.layers) shape = layer.build(shape);
    return shape;
  }

  forward(x: Tensor): Tensor {
    let out = x;
    for (const layer of this.layers) out = layer.forward(out);
    return out;
  }

  compile(options: CompileOptions): this {
    checkOptionKeys('compile', options, COMPILE_KEYS, {
      learningRate: "the learning rate belongs to the optimizer: optimizer: { type: 'adam', learningRate: 0.01 }",
      fromLogits: 'it belongs to lossOptions: { fromLogits: true }',
      epochs: 'epochs are an option of fit()',
      batchSize: 'batchSize is an option of fit()',
    });
    if (typeof options.optimizer === 'object' && options.optimizer !== null && !(options.optimizer instanceof Optimizer)) {
      checkOptionKeys('compile: optimizer', options.optimizer, OPTIMIZER_KEYS);
    }
    checkOptionKeys('compile: lossOptions', options.lossOptions, ['fromLogits', 'delta', 'reduction']);
    const optimizer = options.optimizer instanceof Optimizer ? options.optimizer : createOptimizer(options.optimizer);
    const loss = typeof options.loss === 'function' ? options.loss : getLoss(options.loss, options.lossOptions);
    const metrics: Record<string, MetricFunction> = {};
    for (const m of options.metrics ?? []) {
      // A binary model trained from logits scores 'accuracy' at logit 0 (probability 0.5).
      if (typeof m === 'string') metrics[m] = getMetric(m, { fromLogits: options.lossOptions?.fromLogits });
      else metrics[m.name] = m.fn;
    }
    this.setup = { model: this, optimizer, loss, metrics };
    this.compileConfig = {
      optimizer: optimizer.type,
      loss: typeof options.loss === 'function' ? options.loss.name || 'custom' : resolveLossName(options.loss),
      ...(options.lossOptions !== undefined ? { lossOptions: { ...options.lossOptions } } : {}),
      metrics: Object.keys(metrics),
    };
    return this;
  }

  get optimizer(): Optimizer {
    return this.compiled().optimizer;
  }

  private compiled(): TrainingSetup {
    if (this.setup === null) {
      throw new GradienteError("the model is not compiled: call model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' }) before fit/evaluate");
    }
    return this.setup;
  }

  /** Train on x [N, D] and y [N, ...]; resolves to the History of losses and metrics. */
  // NOTE: async so that every error (not compiled, bad options) arrives as a rejected promise.
  async fit(x: Tensor, y: Tensor, options: FitOptions = {}): Promise<History> {
    return fit(this.compiled(), x, y, options);
  }

  /** Loss and metrics on a data set, e.g. { loss: 0.21, accuracy: 0.95 }. */
  evaluate(x: Tensor, y: Tensor, options: { batchSize?: number } = {}): Record<string, number> {
    this.build(x.shape);
    if (x.shape[0] !== y.shape[0]) throw new ValueError(`evaluate: x ${formatShape(x.shape)} and y ${formatShape(y.shape)} differ in samples`);
    return evaluateBatches(this.compiled(), x, y, options.batchSize ?? inferenceBatchSize);
  }

  /** Outputs for x, in eval mode (no dropout), without recording a graph. */
  predict(x: Tensor, options: { batchSize?: number } = {}): Tensor {
    this.build(x.shape);
    const batchSize = options.batchSize ?? inferenceBatchSize;
    const wasTraining = this.training;
    this.eval();
    try {
      return noGrad(() => {
        const n = x.shape[0]!;
        if (n <= batchSize) return this.forward(x);
        const parts: Tensor[] = [];
        for (let s = 0; s < n; s += batchSize) parts.push(this.forward(slice(x, s, Math.min(n, s + batchSize))));
        return concat(parts, 0);
      });
    } finally {
      this.train(wasTraining);
    }
  }

  /**
   * Save topology, weights and training state: 'localstorage://name' or 'downloads://name'
   * in a browser, a folder path (or 'file://folder') in Node with 'gradiente/node'.
   */
  save(destination: string): Promise<void> {
    return saveModelTo(this, destination);
  }

  /** A table of layers, output shapes and parameter counts. */
  summary(inputDim?: number): string {
    const rows: string[][] = [['#', 'layer', 'output', 'parameters']];
    const first = this.layers[0];
    const knownDim = inputDim ?? (first instanceof Dense ? first.inputDim : null);
    let shape: number[] | null = knownDim === null ? null : [-1, knownDim];
    this.layers.forEach((layer, i) => {
      if (shape !== null) shape = layer.build(shape.map((d) => (d === -1 ? 1 : d))).map((d, j) => (j === 0 ? -1 : d));
      const name = layer instanceof Dense ? `Dense(${layer.units}, ${layer.activation})` : layer.constructor.name;
      rows.push([String(i), name, shape === null ? '?' : `[N, ${shape.slice(1).join(', ')}]`, String(layer.countParameters())]);
    });
    rows.push(['', 'total', '', String(this.countParameters())]);
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')).join('\n');
  }
}
