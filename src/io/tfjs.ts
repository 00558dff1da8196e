/**
 * TensorFlow.js Layers format, both ways: `model.json` (Keras topology + weights manifest)
 * and `weights.bin`. This is what `tf.loadLayersModel` reads and `model.save` writes, and
 * what `tensorflowjs_converter` turns into a Keras model for TensorFlow in Python.
 *
 * Export maps each gradiente layer onto the Keras layer that computes the same function;
 * leakyRelu, whose slope Dense's activation string cannot carry, becomes a LeakyReLU layer
 * after a linear Dense. Two activations have no TF.js form that TF.js 4.22 can load, and
 * are refused with an error: elu with alpha ≠ 1 and geluTanh (see exportableActivation). Import accepts Sequential models
 * of Dense, Activation, Dropout, Flatten, LeakyReLU, ELU, ReLU, Softmax and InputLayer,
 * and names every other layer it meets in its error.
 */
import type { ActivationName } from '../activations/index.js';
import { ModelFormatError } from '../errors.js';
import { Activation, Dense, Dropout, Flatten } from '../nn/layers.js';
import type { Module } from '../nn/module.js';
import type { Sequential } from '../nn/sequential.js';
import { activationAlphaOf, type LayerConfig } from './layer-config.js';
import { NATIVE_FORMAT, NATIVE_FORMAT_VERSION, modelFromArtifacts, type NativeModelJson } from './native.js';
import { JsonPath, asArray, asBoolean, asInteger, asNumber, asObject, asString, type JsonObject } from './validate.js';
import { decodeWeights, encodeWeights, parseWeightSpecs, type NamedWeight, type NonFinitePolicy, type WeightSpec } from './weights.js';

export const TFJS_WEIGHTS_FILE = 'weights.bin';

/** A Keras layer as TensorFlow.js writes it in modelTopology. */
export interface KerasLayerJson {
  class_name: string;
  config: JsonObject;
}

export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: {
    class_name: 'Sequential';
    config: { name: string; layers: KerasLayerJson[] };
    keras_version: string;
    backend: string;
  };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

export interface TfjsArtifacts {
  modelJson: TfjsModelJson;
  /** The single weights file model.json names (`weights.bin`): float32, little-endian. */
  weightsBin: ArrayBuffer;
}

export interface ToTfjsOptions extends NonFinitePolicy {
  /**
   * Shape of one input sample, without the batch axis (e.g. [28, 28] for a model that
   * starts with Flatten). Default: [D] from the first Dense layer.
   */
  inputShape?: number[];
  /** Name of the Keras model (default 'sequential'). */
  name?: string;
}

/** Our activation → the name Keras/TF.js use, for activations Dense can carry directly. */
const kerasActivation: Partial<Record<ActivationName, string>> = {
  linear: 'linear',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  relu: 'relu',
  gelu: 'gelu',
  swish: 'swish',
  silu: 'swish',
  softplus: 'softplus',
  softmax: 'softmax',
  logSoftmax: 'logSoftmax',
};

/** Keras/TF.js activation names (both spellings) → ours. */
const fromKerasActivation: Record<string, ActivationName> = {
  linear: 'linear',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  relu: 'relu',
  elu: 'elu',
  gelu: 'gelu',
  gelu_new: 'geluTanh',
  swish: 'swish',
  silu: 'swish',
  softplus: 'softplus',
  softmax: 'softmax',
  logSoftmax: 'logSoftmax',
  log_softmax: 'logSoftmax',
};

/** TF.js (4.22) builds ELU layers with alpha 1 only: anything else would load wrong or not at all. */
function checkEluAlpha(alpha: number | undefined): void {
  if (alpha !== undefined && alpha !== 1) {
    throw new ModelFormatError(`elu with alpha ${alpha} cannot be exported to TensorFlow.js: its ELU supports alpha 1 only; use alpha 1, or export to ONNX`);
  }
}

function exportableActivation(name: ActivationName): string {
  if (name === 'geluTanh') {
    // NOTE: TF.js writes this activation as 'gelu_new' but reads 'gelu_new' back as 'geluNew',
    // which it does not know: a file holding it cannot be loaded by TF.js 4.22 at all.
    throw new ModelFormatError("geluTanh cannot be exported to TensorFlow.js: TF.js 4.22 cannot load its own 'gelu_new'; use gelu (exact), or export to ONNX");
  }
  const keras = kerasActivation[name];
  if (keras === undefined) throw new ModelFormatError(`activation '${name}' has no TensorFlow.js equivalent`);
  return keras;
}

class LayerNamer {
  private readonly counts = new Map<string, number>();
  next(base: string): string {
    const n = (this.counts.get(base) ?? 0) + 1;
    this.counts.set(base, n);
    return `${base}_${n}`;
  }
}

/** Keras layers computing activation `name` (with alpha) as a layer of its own. */
function activationLayers(name: ActivationName, alpha: number | undefined, namer: LayerNamer): KerasLayerJson[] {
  if (name === 'linear') return [];
  if (name === 'leakyRelu') return [{ class_name: 'LeakyReLU', config: { alpha: alpha ?? 0.01, name: namer.next('leaky_re_lu'), trainable: true } }];
  if (name === 'elu') {
    checkEluAlpha(alpha);
    return [{ class_name: 'Activation', config: { activation: 'elu', name: namer.next('activation'), trainable: true } }];
  }
  const keras = exportableActivation(name);
  return [{ class_name: 'Activation', config: { activation: keras, name: namer.next('activation'), trainable: true } }];
}

/** The model in TensorFlow.js Layers format: model.json data and the bytes of weights.bin. Browser-safe. */
export function modelToTfjsArtifacts(model: Sequential, options: ToTfjsOptions = {}): TfjsArtifacts {
  if (!model.built) throw new ModelFormatError('cannot export a model that is not built: give the first Dense layer an inputDim or call model.build([N, D]) first');
  const namer = new LayerNamer();
  const layers: KerasLayerJson[] = [];
  const weights: NamedWeight[] = [];
  const toF32 = (data: Float32Array | Float64Array): Float32Array => (data instanceof Float32Array ? data : Float32Array.from(data));

  model.layers.forEach((layer: Module, i) => {
    if (layer instanceof Dense) {
      const name = namer.next('dense');
      const alpha = layer.options.activationAlpha;
      if (layer.activation === 'elu') checkEluAlpha(alpha);
      // leakyRelu needs its slope, which Dense's activation string cannot carry: it becomes a LeakyReLU layer.
      const inline = layer.activation !== 'leakyRelu';
      layers.push({
        class_name: 'Dense',
        config: {
          units: layer.units,
          activation: !inline ? 'linear' : layer.activation === 'elu' ? 'elu' : exportableActivation(layer.activation),
          use_bias: layer.bias !== null,
          kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
          bias_initializer: { class_name: 'Zeros', config: {} },
          kernel_regularizer: null,
          bias_regularizer: null,
          activity_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
          name,
          trainable: true,
          dtype: 'float32',
        },
      });
      weights.push({ name: `${name}/kernel`, shape: layer.kernel!.shape, data: toF32(layer.kernel!.data) });
      if (layer.bias !== null) weights.push({ name: `${name}/bias`, shape: layer.bias.shape, data: toF32(layer.bias.data) });
      if (!inline) layers.push(...activationLayers(layer.activation, alpha, namer));
    } else if (layer instanceof Activation) {
      const made = activationLayers(layer.activation, activationAlphaOf(layer), namer);
      // A linear Activation layer computes nothing; Keras still needs a layer to keep the count honest.
      layers.push(...(made.length > 0 ? made : [{ class_name: 'Activation', config: { activation: 'linear', name: namer.next('activation'), trainable: true } }]));
    } else if (layer instanceof Dropout) {
      layers.push({ class_name: 'Dropout', config: { rate: layer.rate, noise_shape: null, seed: null, name: namer.next('dropout'), trainable: true } });
    } else if (layer instanceof Flatten) {
      layers.push({ class_name: 'Flatten', config: { name: namer.next('flatten'), trainable: true } });
    } else {
      throw new ModelFormatError(`cannot export layer ${i} (${layer.constructor.name}) to TensorFlow.js: only Dense, Activation, Dropout and Flatten layers can be exported`);
    }
  });

  const firstDense = model.layers.find((l): l is Dense => l instanceof Dense);
  const inputShape = options.inputShape ?? (firstDense?.inputDim != null ? [firstDense.inputDim] : undefined);
  if (inputShape === undefined) throw new ModelFormatError('cannot tell the input shape of a model without Dense layers: pass { inputShape }');
  if (layers.length === 0) throw new ModelFormatError('cannot export a model without layers');
  layers[0]!.config.batch_input_shape = [null, ...inputShape];

  const { specs, buffer } = encodeWeights(weights, options);
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'gradiente',
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        config: { name: options.name ?? 'sequential', layers },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: specs }],
    },
    weightsBin: buffer,
  };
}

/** True when parsed JSON looks like a TensorFlow.js Layers model.json. */
export function isTfjsModelJson(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'modelTopology' in value && 'weightsManifest' in value;
}

export interface ParsedTfjsModel {
  /** Our layers, in order, with the Keras name of each (null for layers without weights). */
  layers: { config: LayerConfig; kerasName: string }[];
  /** All weight entries of the manifest, in file order (the concatenation of every group's files). */
  weights: WeightSpec[];
  /** Files holding the weights, in order. */
  paths: string[];
}

function kerasActivationName(value: unknown, at: JsonPath, layer: string): ActivationName {
  if (value === undefined || value === null) return 'linear';
  // Keras 3 writes activations as objects: { class_name: 'relu', config: {...} } or { module, class_name, config }.
  const name = typeof value === 'object' && !Array.isArray(value) ? asString((value as JsonObject).class_name, at.key('class_name')) : asString(value, at);
  const ours = fromKerasActivation[name];
  if (ours === undefined) {
    at.fail(`is '${name}' (in layer ${layer}), an activation gradiente does not have; supported: ${Object.keys(fromKerasActivation).join(', ')}`);
  }
  return ours;
}

/** Check a TensorFlow.js model.json from an untrusted source and translate its topology. */
export function parseTfjsModelJson(raw: unknown, source = 'model.json'): ParsedTfjsModel {
  const at = new JsonPath(source);
  const o = asObject(raw, at);
  if (o.format !== undefined && o.format !== 'layers-model') {
    at.key('format').fail(`is ${JSON.stringify(o.format)}; only Layers models ('layers-model') can be imported, not graph models (converted SavedModels)`);
  }
  const topAt = at.key('modelTopology');
  let topology = asObject(o.modelTopology, topAt);
  // Files converted from Keras .h5 wrap the topology in { model_config: ... }.
  if (topology.model_config !== undefined) topology = asObject(topology.model_config, topAt.key('model_config'));
  const cls = asString(topology.class_name, topAt.key('class_name'));
  if (cls !== 'Sequential') topAt.key('class_name').fail(`is '${cls}'; only Sequential models can be imported (a functional Model has no fixed layer order)`);
  // Old Keras writes the layer list directly as config; newer versions as config.layers.
  const configAt = topAt.key('config');
  const rawLayers = Array.isArray(topology.config) ? topology.config : asObject(topology.config, configAt).layers;
  const layersAt = Array.isArray(topology.config) ? configAt : configAt.key('layers');
  const entries = asArray(rawLayers, layersAt);

  const unsupported: string[] = [];
  const layers: ParsedTfjsModel['layers'] = [];
  // Rank of the tensor flowing between layers (batch axis included), to read Softmax's axis.
  let rank: number | null = null;
  entries.forEach((entry, i) => {
    const lAt = layersAt.index(i);
    const layer = asObject(entry, lAt);
    const className = asString(layer.class_name, lAt.key('class_name'));
    const c = asObject(layer.config ?? {}, lAt.key('config'));
    const cAt = lAt.key('config');
    const name = c.name === undefined ? `${className.toLowerCase()}_${i}` : asString(c.name, cAt.key('name'));
    const push = (config: LayerConfig): void => void layers.push({ config, kerasName: name });
    const inputShape = c.batch_input_shape ?? c.batch_shape;
    if (Array.isArray(inputShape)) rank = inputShape.length;
    if (className === 'Dense' || className === 'Flatten') rank = 2;
    switch (className) {
      case 'InputLayer':
        return;
      case 'Dense': {
        const units = asInteger(c.units, cAt.key('units'), 1, 2 ** 31 - 1);
        const useBias = c.use_bias === undefined ? true : asBoolean(c.use_bias, cAt.key('use_bias'));
        push({ class: 'Dense', config: { units, activation: kerasActivationName(c.activation, cAt.key('activation'), name), useBias } });
        return;
      }
      case 'Activation':
        push({ class: 'Activation', config: { activation: kerasActivationName(c.activation, cAt.key('activation'), name) } });
        return;
      case 'LeakyReLU': {
        // TF.js and Keras 2 call the slope alpha (default 0.3); Keras 3 calls it negative_slope.
        const slope = c.negative_slope ?? c.alpha;
        push({ class: 'Activation', config: { activation: 'leakyRelu', alpha: slope === undefined ? 0.3 : asNumber(slope, cAt.key('alpha')) } });
        return;
      }
      case 'ELU':
        push({ class: 'Activation', config: { activation: 'elu', alpha: c.alpha === undefined ? 1 : asNumber(c.alpha, cAt.key('alpha')) } });
        return;
      case 'ReLU': {
        const plain = (c.max_value === undefined || c.max_value === null) && (c.negative_slope ?? 0) === 0 && (c.threshold ?? 0) === 0;
        if (plain) push({ class: 'Activation', config: { activation: 'relu' } });
        else unsupported.push(`ReLU '${name}' with max_value/negative_slope/threshold`);
        return;
      }
      case 'Softmax': {
        const raw = c.axis ?? -1;
        const axis = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
        // Ours is over the last axis: -1, or its positive index when the rank is known (TF.js writes 1 for [N, C]).
        if (axis === -1 || (rank !== null && axis === rank - 1)) push({ class: 'Activation', config: { activation: 'softmax' } });
        else unsupported.push(`Softmax '${name}' over axis ${JSON.stringify(axis)}`);
        return;
      }
      case 'Dropout': {
        const rate = asNumber(c.rate, cAt.key('rate'));
        if (!(rate >= 0 && rate < 1)) cAt.key('rate').fail(`must be in [0, 1), got ${rate}`);
        push({ class: 'Dropout', config: { rate } });
        return;
      }
      case 'Flatten':
        push({ class: 'Flatten', config: {} });
        return;
      default:
        unsupported.push(`${className} '${name}'`);
    }
  });
  if (unsupported.length > 0) {
    throw new ModelFormatError(
      `${source}: the model has layers gradiente cannot import: ${unsupported.join(', ')}; ` +
        'supported: Dense, Activation, Dropout, Flatten, LeakyReLU, ELU, ReLU, Softmax, InputLayer',
    );
  }

  const manifestAt = at.key('weightsManifest');
  const weights: WeightSpec[] = [];
  const paths: string[] = [];
  asArray(o.weightsManifest, manifestAt).forEach((g, gi) => {
    const gAt = manifestAt.index(gi);
    const group = asObject(g, gAt);
    asArray(group.paths, gAt.key('paths')).forEach((p, pi) => paths.push(asString(p, gAt.key('paths').index(pi))));
    asArray(group.weights, gAt.key('weights')).forEach((w, wi) => {
      const wo = asObject(w, gAt.key('weights').index(wi));
      if (wo.quantization !== undefined && wo.quantization !== null) {
        gAt.key('weights').index(wi).key('quantization').fail(`is set for weight ${JSON.stringify(wo.name)}: quantized weights are not supported; export the model without quantization`);
      }
    });
    weights.push(...parseWeightSpecs(group.weights, gAt.key('weights')));
  });
  const names = new Set<string>();
  for (const w of weights) {
    if (names.has(w.name)) manifestAt.fail(`lists the weight '${w.name}' twice`);
    names.add(w.name);
  }
  return { layers, weights, paths };
}

/** The manifest entry for `<layer>/<kind>`, as TF.js (`dense_1/kernel`) or a converter (`sequential/dense_1/kernel:0`) names it. */
/**
 * Weights by the last two segments of their name ('dense_1/kernel'), for manifests that put
 * a scope in front ('sequential/dense_1/kernel'). Built once per model, so finding every
 * layer's weights stays linear in their number (a scan per layer would be quadratic).
 */
function weightsByScopedSuffix(weights: Map<string, NamedWeight>): Map<string, NamedWeight[]> {
  const out = new Map<string, NamedWeight[]>();
  for (const w of weights.values()) {
    const parts = w.name.replace(/:0$/, '').split('/');
    if (parts.length < 3) continue;
    const key = parts.slice(-2).join('/');
    const list = out.get(key);
    if (list === undefined) out.set(key, [w]);
    else list.push(w);
  }
  return out;
}

function findWeight(weights: Map<string, NamedWeight>, scoped: Map<string, NamedWeight[]>, layer: string, kind: 'kernel' | 'bias'): NamedWeight | undefined {
  const exact = weights.get(`${layer}/${kind}`) ?? weights.get(`${layer}/${kind}:0`);
  if (exact !== undefined) return exact;
  const matches = layer.includes('/')
    ? [...weights.values()].filter((w) => w.name.endsWith(`/${layer}/${kind}`) || w.name.endsWith(`/${layer}/${kind}:0`))
    : (scoped.get(`${layer}/${kind}`) ?? []);
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Build a model from TensorFlow.js artifacts: model.json data and the bytes of its weight
 * files concatenated in manifest order. Browser-safe.
 */
export function modelFromTfjsArtifacts(
  artifacts: { modelJson: unknown; weightsBin: ArrayBuffer | ArrayBufferView },
  options: NonFinitePolicy & { source?: string } = {},
): Sequential {
  const source = options.source ?? 'model.json';
  const parsed = parseTfjsModelJson(artifacts.modelJson, source);
  const decoded = decodeWeights(parsed.weights, artifacts.weightsBin, parsed.paths.join(', ') || 'weights', options);
  const ours: NamedWeight[] = [];
  const used = new Set<string>();
  const scoped = weightsByScopedSuffix(decoded);
  parsed.layers.forEach(({ config, kerasName }, i) => {
    if (config.class !== 'Dense') return;
    const kernel = findWeight(decoded, scoped, kerasName, 'kernel');
    if (kernel === undefined) throw new ModelFormatError(`${source}: Dense layer '${kerasName}' has no '${kerasName}/kernel' in the weights manifest`);
    ours.push({ ...kernel, name: `${i}.kernel` });
    used.add(kernel.name);
    if (config.config.useBias) {
      const bias = findWeight(decoded, scoped, kerasName, 'bias');
      if (bias === undefined) throw new ModelFormatError(`${source}: Dense layer '${kerasName}' uses a bias but the weights manifest has no '${kerasName}/bias'`);
      ours.push({ ...bias, name: `${i}.bias` });
      used.add(bias.name);
    }
  });
  const unused = [...decoded.keys()].filter((n) => !used.has(n));
  if (unused.length > 0) throw new ModelFormatError(`${source}: the weights manifest lists weights no supported layer uses: ${unused.slice(0, 5).join(', ')}`);
  const { specs, buffer } = encodeWeights(ours, { allowNonFinite: true });
  const native: NativeModelJson = {
    format: NATIVE_FORMAT,
    version: NATIVE_FORMAT_VERSION,
    layers: parsed.layers.map((l) => l.config),
    weightsManifest: { path: 'weights.bin', weights: specs },
  };
  return modelFromArtifacts({ modelJson: native, weights: buffer }, { source, allowNonFinite: true });
}
