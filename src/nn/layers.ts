/** Layers: Dense, Activation, Dropout. Shape letters: N batch, D inputs, H units. */
import { getActivation, type ActivationName } from '../activations/index.js';
import { noGrad } from '../autograd/graph.js';
import { ShapeError, ValueError, formatShape } from '../errors.js';
import { mul } from '../ops/elementwise.js';
import { linear } from '../ops/matmul.js';
import { globalRandom } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { initialize, type InitializerSpec } from './initializers.js';
import { Module } from './module.js';
import { checkOptionKeys } from '../options.js';

export interface DenseOptions {
  activation?: ActivationName;
  /** Slope/scale for leakyRelu/elu. */
  activationAlpha?: number;
  useBias?: boolean;
  kernelInitializer?: InitializerSpec;
  biasInitializer?: InitializerSpec;
  /** Number of inputs D; without it the layer is built on its first input. */
  inputDim?: number;
}

/** y = activation(x·W + b), with W of shape [D, H] (as Keras) and b of shape [H]. */
export class Dense extends Module {
  readonly units: number;
  readonly activation: ActivationName;
  readonly options: Readonly<DenseOptions>;
  kernel: Tensor | null = null;
  bias: Tensor | null = null;
  private readonly activationFn: (z: Tensor) => Tensor;

  constructor(units: number, options: DenseOptions = {}) {
    super();
    if (!Number.isInteger(units) || units < 1) throw new ValueError(`Dense: units must be a positive integer, got ${units}`);
    checkOptionKeys('Dense', options, ['activation', 'activationAlpha', 'useBias', 'kernelInitializer', 'biasInitializer', 'inputDim']);
    this.units = units;
    this.options = { ...options };
    this.activation = options.activation ?? 'linear';
    this.activationFn = getActivation(this.activation, { alpha: options.activationAlpha });
    if (options.inputDim !== undefined) this.build([1, options.inputDim]);
  }

  get inputDim(): number | null {
    return this.kernel?.shape[0] ?? null;
  }

  override build(inputShape: readonly number[]): number[] {
    const d = inputShape[inputShape.length - 1];
    if (inputShape.length !== 2 || d === undefined || d < 1) {
      throw new ShapeError(`Dense: expects inputs of shape [N, D], got ${formatShape(inputShape)}; flatten images first`);
    }
    if (this.kernel === null) {
      const kernelInit = this.options.kernelInitializer ?? 'glorotUniform';
      this.kernel = this.registerParameter('kernel', new Tensor(initialize(kernelInit, d * this.units, d, this.units), [d, this.units]));
      if (this.options.useBias ?? true) {
        const biasInit = this.options.biasInitializer ?? 'zeros';
        this.bias = this.registerParameter('bias', new Tensor(initialize(biasInit, this.units, d, this.units), [this.units]));
      }
    } else if (this.kernel.shape[0] !== d) {
      throw new ShapeError(`Dense(${this.units}): built for ${this.kernel.shape[0]} inputs, got input ${formatShape(inputShape)}`);
    }
    return [inputShape[0]!, this.units];
  }

  /** z = x·W + b (before the activation): what the lab shows as a neuron's z. */
  preActivation(x: Tensor): Tensor {
    this.build(x.shape);
    return linear(x, this.kernel!, this.bias);
  }

  forward(x: Tensor): Tensor {
    return this.activationFn(this.preActivation(x));
  }
}

/** An activation as a layer of its own. */
export class Activation extends Module {
  readonly activation: ActivationName;
  /** Slope (leakyRelu) or scale (elu) for z < 0, when given. */
  readonly alpha: number | undefined;
  private readonly fn: (z: Tensor) => Tensor;

  constructor(activation: ActivationName, options: { alpha?: number } = {}) {
    super();
    this.activation = activation;
    this.alpha = options.alpha;
    this.fn = getActivation(activation, options);
  }

  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}

/**
 * Inverted dropout: in training, zero each value with probability `rate` and scale the rest
 * by 1/(1−rate) so the expected activation is unchanged; in eval mode, the identity.
 */
export class Dropout extends Module {
  readonly rate: number;

  constructor(rate: number) {
    super();
    if (!(rate >= 0 && rate < 1)) throw new ValueError(`Dropout: rate must be in [0, 1), got ${rate}`);
    this.rate = rate;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.rate === 0) return x;
    const keep = 1 - this.rate;
    const mask = noGrad(() => {
      const m = new Float32Array(x.size);
      globalRandom.fillBernoulli(m, keep, 1 / keep);
      return new Tensor(x.dtype === 'float64' ? Float64Array.from(m) : m, x.shape);
    });
    return mul(x, mask);
  }
}

/** [N, ...] → [N, features]: lets image-shaped data enter Dense layers. */
export class Flatten extends Module {
  override build(inputShape: readonly number[]): number[] {
    return [inputShape[0]!, inputShape.slice(1).reduce((a, b) => a * b, 1)];
  }

  forward(x: Tensor): Tensor {
    return x.reshape([x.shape[0]!, -1]);
  }
}
