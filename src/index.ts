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
export {
  initWasmBackend,
  ready,
  wasmBackendInfo,
  stopWasmThreads,
  type WasmBackendOptions,
  type WasmBackendInfo,
} from './backends/wasm/index.js';
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
export { Module, type StateDict } from './nn/module.js';
export { Dense, Activation, Dropout, Flatten, type DenseOptions } from './nn/layers.js';
export { Sequential, type CompileOptions } from './nn/sequential.js';
export { initialize, initializerNames, type InitializerName, type InitializerSpec } from './nn/initializers.js';
export * from './optim/optimizer.js';
export * from './optim/schedules.js';
export type { UpdateRule, OptimizerState, SgdHyper, AdamHyper, RmspropHyper } from './optim/rules.js';
export { sgdRule, adamRule, rmspropRule } from './optim/rules.js';
export { fit, evaluateBatches, type FitOptions, type TrainingSetup } from './train/fit.js';
export * from './train/callbacks.js';
export { History, type StopInfo } from './train/history.js';
export * from './train/metrics.js';
export { yieldToEventLoop } from './train/yield.js';
export * from './data/index.js';
export {
  modelToArtifacts,
  modelFromArtifacts,
  parseNativeModelJson,
  isNativeModelJson,
  NATIVE_FORMAT,
  NATIVE_FORMAT_VERSION,
  type NativeModelJson,
  type ModelArtifacts,
  type ToArtifactsOptions,
  type FromArtifactsOptions,
  type SavedTraining,
  type SavedOptimizer,
} from './io/native.js';
export type { LayerConfig } from './io/layer-config.js';
export type { NonFinitePolicy, WeightSpec } from './io/weights.js';
export {
  modelToTfjsArtifacts,
  modelFromTfjsArtifacts,
  parseTfjsModelJson,
  isTfjsModelJson,
  type TfjsModelJson,
  type TfjsArtifacts,
  type ToTfjsOptions,
  type KerasLayerJson,
} from './io/tfjs.js';
export {
  modelToOnnx,
  modelToOnnxGraph,
  encodeOnnxGraph,
  ONNX_MIN_OPSET,
  ONNX_MAX_OPSET,
  type ToOnnxOptions,
  type OnnxGraph,
  type OnnxNode,
  type OnnxInitializer,
} from './io/onnx.js';
export {
  modelToFiles,
  downloadModel,
  modelFromFiles,
  saveModelToStorage,
  loadModelFromStorage,
  type BrowserModelFormat,
  type ModelFiles,
  type KeyValueStorage,
} from './io/browser.js';
export { loadModelFrom, registerModelStore, type ModelStore } from './io/stores.js';
