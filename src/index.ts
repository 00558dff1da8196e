/**
 * gradiente: train neural networks in TypeScript, in Node and in the browser.
 * This entry point is browser-safe; Node-only file loaders live in 'gradiente/node'.
 */
import './tensor/methods.js';

export * from './errors.js';
export { Tensor, type DType, type FloatArray } from './tensor/tensor.js';
export * from './tensor/create.js';
export { Random, globalRandom, manualSeed } from './tensor/random.js';
export { backward, type BackwardOptions } from './autograd/backward.js';
export { noGrad, isGradEnabled } from './autograd/graph.js';
export { gradcheck, toFloat64, type GradcheckOptions, type GradcheckReport } from './autograd/gradcheck.js';
export type { Backend, UnaryOp, BinaryOp, ReduceOp } from './backends/backend.js';
export { setBackend, getBackend, listBackends, registerBackend } from './backends/registry.js';
export * from './ops/elementwise.js';
export * from './ops/reduce.js';
export * from './ops/shape.js';
export * from './ops/matmul.js';
export * as activations from './activations/index.js';
export {
  sigmoid,
  tanh,
  relu,
  leakyRelu,
  elu,
  gelu,
  swish,
  silu,
  softplus,
  softmax,
  logSoftmax,
  getActivation,
  activationValues,
  activationDerivatives,
  activationNames,
  type ActivationName,
} from './activations/index.js';
export * from './losses/index.js';
