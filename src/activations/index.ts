/**
 * Activation functions as differentiable ops, by name, and as plain f(z) / f'(z) over arrays
 * for plots (the lab, the docs). Both come from the same scalar definitions, so a plotted
 * derivative is exactly the one backpropagation uses.
 */
import { record } from '../autograd/graph.js';
import type { UnaryOp } from '../backends/backend.js';
import { unaryDerivative, unaryFunction } from '../backends/js/scalar.js';
import { kernels } from '../backends/registry.js';
import { ShapeError, ValueError } from '../errors.js';
import { unaryOp } from '../ops/elementwise.js';
import { Tensor, allocate } from '../tensor/tensor.js';

export const sigmoid = (z: Tensor): Tensor => unaryOp('sigmoid', z);
export const tanh = (z: Tensor): Tensor => unaryOp('tanh', z);
export const relu = (z: Tensor): Tensor => unaryOp('relu', z);
/** z for z > 0, alpha·z otherwise (default alpha 0.01, as PyTorch). */
export const leakyRelu = (z: Tensor, alpha = 0.01): Tensor => unaryOp('leakyRelu', z, alpha);
/** z for z > 0, alpha·(e^z − 1) otherwise (default alpha 1). */
export const elu = (z: Tensor, alpha = 1): Tensor => unaryOp('elu', z, alpha);
/** Exact GELU z·Φ(z) with the erf; `approximate: 'tanh'` for the tanh form (GPT-2, BERT). */
export const gelu = (z: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor =>
  unaryOp(approximate === 'tanh' ? 'geluTanh' : 'gelu', z);
/** z·sigmoid(z), also called SiLU. */
export const swish = (z: Tensor): Tensor => unaryOp('swish', z);
export const silu = swish;
/** log(1 + e^z), computed without overflow. */
export const softplus = (z: Tensor): Tensor => unaryOp('softplus', z);
/** The identity (a layer with no activation). */
export const linear = (z: Tensor): Tensor => z;

function softmaxOp(z: Tensor, log: boolean): Tensor {
  if (z.rank < 1) throw new ShapeError(`${log ? 'logSoftmax' : 'softmax'}: needs at least one axis, got a scalar`);
  const cols = z.shape[z.rank - 1]!;
  const rows = z.size / Math.max(cols, 1);
  const out = allocate(z.dtype, z.size);
  kernels(z.data).softmax(z.data, rows, cols, out, log);
  return record(out, z.shape, log ? 'logSoftmax' : 'softmax', [z], (g) => {
    const dz = allocate(z.dtype, z.size);
    kernels(out, g).softmaxGrad(out, g, rows, cols, dz, log);
    return [dz];
  });
}

/** Probabilities over the last axis: e^z / Σ e^z (the max is subtracted first, so it never overflows). */
export const softmax = (z: Tensor): Tensor => softmaxOp(z, false);
/** log(softmax(z)) computed directly (log-sum-exp), finite even for logits of ±100. */
export const logSoftmax = (z: Tensor): Tensor => softmaxOp(z, true);

/** Names accepted wherever an activation is chosen by string (layers, CLI, lab). */
export const activationNames = [
  'linear',
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'elu',
  'gelu',
  'geluTanh',
  'swish',
  'silu',
  'softplus',
  'softmax',
  'logSoftmax',
] as const;
export type ActivationName = (typeof activationNames)[number];

export interface ActivationOptions {
  /** Slope (leakyRelu) or scale (elu) for z < 0. */
  alpha?: number;
}

/** The activation op for a name, e.g. getActivation('relu'). */
export function getActivation(name: ActivationName | string, options: ActivationOptions = {}): (z: Tensor) => Tensor {
  switch (name) {
    case 'linear': return linear;
    case 'sigmoid': return sigmoid;
    case 'tanh': return tanh;
    case 'relu': return relu;
    // An absent alpha falls through to the op's own default.
    case 'leakyRelu': return (z) => leakyRelu(z, options.alpha);
    case 'elu': return (z) => elu(z, options.alpha);
    case 'gelu': return (z) => gelu(z);
    case 'geluTanh': return (z) => gelu(z, 'tanh');
    case 'swish':
    case 'silu': return swish;
    case 'softplus': return softplus;
    case 'softmax': return softmax;
    case 'logSoftmax': return logSoftmax;
    default:
      throw new ValueError(`unknown activation '${name}'; choose one of: ${activationNames.join(', ')}`);
  }
}

/** The elementwise activations that have a scalar f and f' (softmax is not elementwise). */
export const plottableActivations = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'gelu', 'geluTanh', 'swish', 'softplus'] as const;
export type PlottableActivation = (typeof plottableActivations)[number];

function scalarOp(name: PlottableActivation | 'silu'): UnaryOp {
  if (name === 'silu') return 'swish';
  if (!(plottableActivations as readonly string[]).includes(name)) {
    throw new ValueError(`'${name}' has no elementwise f(z); plottable: ${plottableActivations.join(', ')}`);
  }
  return name;
}

function defaultAlpha(name: string, alpha: number | undefined): number {
  return alpha ?? (name === 'leakyRelu' ? 0.01 : 1);
}

/** f(z) for every z: activationValues('sigmoid', [-2, 0, 2]). */
export function activationValues(name: PlottableActivation | 'silu', z: ArrayLike<number>, options: ActivationOptions = {}): Float64Array {
  const f = unaryFunction(scalarOp(name), defaultAlpha(name, options.alpha), 0);
  return Float64Array.from(z, (v) => f(v));
}

/** f'(z) for every z: activationDerivatives('relu', zs) is the step the course draws. */
export function activationDerivatives(name: PlottableActivation | 'silu', z: ArrayLike<number>, options: ActivationOptions = {}): Float64Array {
  const op = scalarOp(name);
  const alpha = defaultAlpha(name, options.alpha);
  const f = unaryFunction(op, alpha, 0);
  const df = unaryDerivative(op, alpha, 0);
  return Float64Array.from(z, (v) => df(v, f(v)));
}

