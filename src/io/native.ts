/**
 * gradiente's own model format: `model.json` (topology, weight manifest, training state)
 * plus `weights.bin` (float32, little-endian). Browser-safe: it works on in-memory
 * artifacts; src/node/model-files.ts writes them to disk, src/io/browser.ts to the browser.
 *
 * Everything needed to continue a training run identically is kept: weights, the
 * optimizer's state and iteration count (its moment estimates go in weights.bin, as
 * float32, bit for bit), the loss and metrics, and optionally the global random generator
 * (dropout and shuffling draw from it).
 */
import { ModelFormatError } from '../errors.js';
import { getLoss, lossNames, type CrossentropyOptions, type LossName } from '../losses/index.js';
import { Sequential } from '../nn/sequential.js';
import { createOptimizer, type Optimizer, type OptimizerStateDict } from '../optim/optimizer.js';
import { schedule, type ScheduleConfig } from '../optim/schedules.js';
import { globalRandom } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { getMetric } from '../train/metrics.js';
import { layerFromConfig, layerToConfig, parseLayerConfig, type LayerConfig } from './layer-config.js';
import { JsonPath, asArray, asBoolean, asInteger, asNumber, asObject, asString, oneOf, type JsonObject } from './validate.js';
import { decodeWeights, encodeWeights, parseWeightSpecs, type NamedWeight, type NonFinitePolicy, type WeightSpec } from './weights.js';

export const NATIVE_FORMAT = 'gradiente-model';
export const NATIVE_FORMAT_VERSION = 1;
/** The name model.json gives its weights file (what saveModel writes next to it). */
export const NATIVE_WEIGHTS_FILE = 'weights.bin';

/** The optimizer as saved: its configuration, and (with includeOptimizer) its state. */
export interface SavedOptimizer {
  type: string;
  learningRate: number | ScheduleConfig;
  hyper: Record<string, number | boolean>;
  /** Weight updates done so far; present with the state. */
  iterations?: number;
  /** Per parameter (parameters() order): state name → weight entry in weights.bin, or null before its first update. */
  state?: (Record<string, string> | null)[];
}

export interface SavedTraining {
  loss: LossName;
  lossOptions?: CrossentropyOptions & { delta?: number };
  metrics: string[];
  optimizer: SavedOptimizer;
  /** The global generator's state: [s0, s1, s2, s3, spare normal or null]. */
  randomState?: (number | null)[];
}

export interface NativeModelJson {
  format: typeof NATIVE_FORMAT;
  version: number;
  layers: LayerConfig[];
  /** Entries of weights.bin in order: model parameters by dotted name, then `optimizer.<i>.<state>`. */
  weightsManifest: { path: string; weights: WeightSpec[] };
  /** How the model was compiled, and the optimizer's state: absent for an uncompiled model. */
  training?: SavedTraining;
  /** Anything the caller wants kept with the model (epochs run, data set, history...). */
  trainingConfig?: JsonObject;
}

export interface ModelArtifacts {
  modelJson: NativeModelJson;
  weights: ArrayBuffer;
}

export interface ToArtifactsOptions extends NonFinitePolicy {
  /** Save the optimizer's state and iteration count, to resume training exactly (default true). */
  includeOptimizer?: boolean;
  /** Save the global random generator's state; loading such a file restores it (default false). */
  includeRandomState?: boolean;
  /** JSON data kept with the model and given back untouched by modelFromArtifacts' caller. */
  trainingConfig?: object;
  /** Options of a loss given by name (fromLogits, delta), when the model's compileConfig does not record them. */
  lossOptions?: CrossentropyOptions & { delta?: number };
}

export interface FromArtifactsOptions extends NonFinitePolicy {
  /** Name of the artifacts in error messages (default 'model.json'). */
  source?: string;
}

const OPTIMIZER_PREFIX = 'optimizer.';

function toFloat32(t: Tensor): Float32Array {
  return t.data instanceof Float32Array ? t.data : Float32Array.from(t.data);
}

function isNamedMetric(name: string): boolean {
  try {
    getMetric(name);
    return true;
  } catch {
    return false;
  }
}

function lossOptionsOf(model: Sequential, options: ToArtifactsOptions): SavedTraining['lossOptions'] {
  if (options.lossOptions !== undefined) return { ...options.lossOptions };
  const recorded = (model.compileConfig as { lossOptions?: SavedTraining['lossOptions'] } | null)?.lossOptions;
  return recorded === undefined ? undefined : { ...recorded };
}

/** A JSON-safe copy of the caller's object (throws when it does not survive JSON). */
function jsonCopy(value: object, what: string): JsonObject {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ModelFormatError(`${what} cannot be written as JSON: ${(error as Error).message}`);
  }
  const copy = JSON.parse(text) as unknown;
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) throw new ModelFormatError(`${what} must be a plain object`);
  return copy as JsonObject;
}

/** The model (and, when compiled, its training state) as model.json data + one weights buffer. */
export function modelToArtifacts(model: Sequential, options: ToArtifactsOptions = {}): ModelArtifacts {
  if (!model.built) {
    throw new ModelFormatError('cannot save a model that is not built (its layers have no weights yet): give the first Dense layer an inputDim or call model.build([N, D]) first');
  }
  const layers = model.layers.map((layer, i) => layerToConfig(layer, i));
  const weights: NamedWeight[] = model.namedParameters().map(([name, t]) => ({ name, shape: t.shape, data: toFloat32(t) }));

  let training: SavedTraining | undefined;
  const compiled = model.compileConfig;
  const includeOptimizer = options.includeOptimizer ?? true;
  if (compiled !== null && !(lossNames as readonly string[]).includes(compiled.loss)) {
    // A loss given as a function cannot be written to a file, so neither can a training state that needs it.
    if (includeOptimizer) {
      throw new ModelFormatError(
        `cannot save the training state: the model was compiled with a custom loss function ('${compiled.loss}'), which a file cannot hold; ` +
          `compile with a loss by name (${lossNames.join(', ')}) or save with { includeOptimizer: false } to keep the layers and weights only`,
      );
    }
  } else if (compiled !== null) {
    const optimizer = model.optimizer;
    const dict = optimizer.stateDict();
    const saved: SavedOptimizer = { type: dict.type, learningRate: dict.learningRate, hyper: dict.hyper };
    if (includeOptimizer) {
      saved.iterations = dict.iterations;
      // State arrays follow the optimizer's parameter list, which fit() takes from model.parameters();
      // an optimizer that has not been attached yet (never trained) has no state to keep.
      const shapes = optimizer.params.map((p) => p.shape);
      if (optimizer.params.length > 0) saved.state = dict.state.map((entry, i) => {
        if (entry === null) return null;
        const names: Record<string, string> = {};
        for (const [key, values] of Object.entries(entry)) {
          const name = `${OPTIMIZER_PREFIX}${i}.${key}`;
          names[key] = name;
          weights.push({ name, shape: shapes[i] ?? [values.length], data: Float32Array.from(values) });
        }
        return names;
      });
    }
    const lossOptions = lossOptionsOf(model, options);
    training = {
      loss: compiled.loss as LossName,
      ...(lossOptions !== undefined ? { lossOptions } : {}),
      // Custom metric functions cannot be saved; the named ones are kept.
      metrics: compiled.metrics.filter(isNamedMetric),
      optimizer: saved,
    };
    if (options.includeRandomState) training.randomState = globalRandom.getState().map((v, i) => (i < 4 ? v >>> 0 : Number.isNaN(v) ? null : v));
  }

  const { specs, buffer } = encodeWeights(weights, options);
  const modelJson: NativeModelJson = {
    format: NATIVE_FORMAT,
    version: NATIVE_FORMAT_VERSION,
    layers,
    weightsManifest: { path: NATIVE_WEIGHTS_FILE, weights: specs },
    ...(training !== undefined ? { training } : {}),
    ...(options.trainingConfig !== undefined ? { trainingConfig: jsonCopy(options.trainingConfig, 'trainingConfig') } : {}),
  };
  return { modelJson, weights: buffer };
}

/** True when parsed JSON looks like gradiente's own format (as opposed to TensorFlow.js). */
export function isNativeModelJson(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as JsonObject).format === NATIVE_FORMAT;
}

/** Check parsed model.json data from an untrusted source; returns it typed. */
export function parseNativeModelJson(raw: unknown, source = 'model.json'): NativeModelJson {
  const at = new JsonPath(source);
  const o = asObject(raw, at);
  if (o.format !== NATIVE_FORMAT) at.key('format').fail(`must be '${NATIVE_FORMAT}' (this is not a gradiente model file; TensorFlow.js files load with importModel)`);
  const version = asInteger(o.version, at.key('version'), 1);
  if (version > NATIVE_FORMAT_VERSION) {
    at.key('version').fail(`is ${version}, newer than this gradiente reads (${NATIVE_FORMAT_VERSION}); update gradiente`);
  }
  const layers = asArray(o.layers, at.key('layers')).map((l, i) => parseLayerConfig(l, at.key('layers').index(i)));
  const manifestAt = at.key('weightsManifest');
  const manifest = asObject(o.weightsManifest, manifestAt);
  const path = asString(manifest.path, manifestAt.key('path'));
  const weights = parseWeightSpecs(manifest.weights, manifestAt.key('weights'));
  const out: NativeModelJson = { format: NATIVE_FORMAT, version, layers, weightsManifest: { path, weights } };
  if (o.training !== undefined) out.training = parseTraining(o.training, at.key('training'));
  if (o.trainingConfig !== undefined) out.trainingConfig = asObject(o.trainingConfig, at.key('trainingConfig'));
  return out;
}

function parseTraining(raw: unknown, at: JsonPath): SavedTraining {
  const t = asObject(raw, at);
  const loss = oneOf(t.loss, lossNames, at.key('loss'));
  const metrics = asArray(t.metrics ?? [], at.key('metrics')).map((m, i) => {
    const name = asString(m, at.key('metrics').index(i));
    try {
      getMetric(name);
    } catch {
      at.key('metrics').index(i).fail(`names an unknown metric '${name}'`);
    }
    return name;
  });
  const o = asObject(t.optimizer, at.key('optimizer'));
  const oAt = at.key('optimizer');
  const hyper: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(asObject(o.hyper ?? {}, oAt.key('hyper')))) {
    hyper[k] = typeof v === 'boolean' ? v : asNumber(v, oAt.key('hyper').key(k));
  }
  const optimizer: SavedOptimizer = {
    type: asString(o.type, oAt.key('type')),
    learningRate: typeof o.learningRate === 'number' ? asNumber(o.learningRate, oAt.key('learningRate')) : (asObject(o.learningRate, oAt.key('learningRate')) as unknown as ScheduleConfig),
    hyper,
  };
  if (o.iterations !== undefined) optimizer.iterations = asInteger(o.iterations, oAt.key('iterations'));
  if (o.state !== undefined) {
    optimizer.state = asArray(o.state, oAt.key('state')).map((s, i) => {
      if (s === null) return null;
      const names: Record<string, string> = {};
      for (const [k, v] of Object.entries(asObject(s, oAt.key('state').index(i)))) names[k] = asString(v, oAt.key('state').index(i).key(k));
      return names;
    });
  }
  const out: SavedTraining = { loss, metrics, optimizer };
  if (t.lossOptions !== undefined) {
    const lo = asObject(t.lossOptions, at.key('lossOptions'));
    out.lossOptions = {};
    if (lo.fromLogits !== undefined) out.lossOptions.fromLogits = asBoolean(lo.fromLogits, at.key('lossOptions').key('fromLogits'));
    if (lo.delta !== undefined) out.lossOptions.delta = asNumber(lo.delta, at.key('lossOptions').key('delta'));
    if (lo.reduction !== undefined) out.lossOptions.reduction = oneOf(lo.reduction, ['mean', 'sum', 'none'] as const, at.key('lossOptions').key('reduction'));
  }
  if (t.randomState !== undefined) {
    const rs = asArray(t.randomState, at.key('randomState'));
    if (rs.length !== 5) at.key('randomState').fail(`must hold 5 values, got ${rs.length}`);
    out.randomState = rs.map((v, i) => (i === 4 && v === null ? null : i < 4 ? asInteger(v, at.key('randomState').index(i), 0, 2 ** 32 - 1) : asNumber(v, at.key('randomState').index(i))));
  }
  return out;
}

/** Rebuild the model from artifacts: layers, weights and, when saved, the compiled optimizer with its state. */
export function modelFromArtifacts(
  artifacts: { modelJson: unknown; weights: ArrayBuffer | ArrayBufferView },
  options: FromArtifactsOptions = {},
): Sequential {
  const source = options.source ?? 'model.json';
  const json = parseNativeModelJson(artifacts.modelJson, source);
  const weightsFile = json.weightsManifest.path;
  // Sizes are checked against the buffer before any tensor is allocated.
  const weights = decodeWeights(json.weightsManifest.weights, artifacts.weights, weightsFile, options);
  const used = new Set<string>();
  const take = (name: string, at: string): NamedWeight => {
    const w = weights.get(name);
    if (w === undefined) throw new ModelFormatError(`${source}: ${at} needs the weight '${name}', which the weights manifest does not list`);
    used.add(name);
    return w;
  };

  const inputDims = denseInputDims(json, weights, source);
  // Building a Dense layer draws its initial weights from the global generator; loading a
  // model must not disturb it (a run that loads a model stays reproducible).
  const randomBefore = globalRandom.getState();
  let model: Sequential;
  try {
    // One Sequential of all layers (built once), not add() per layer: loading stays linear in the file's size.
    model = new Sequential(json.layers.map((layer, i) => layerFromConfig(layer, inputDims[i])));
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    throw new ModelFormatError(`${source}: the layers cannot be rebuilt: ${(error as Error).message}`);
  } finally {
    globalRandom.setState(randomBefore);
  }

  const params = model.namedParameters();
  const state: Record<string, Tensor> = {};
  for (const [name, param] of params) {
    const w = take(name, `parameter '${name}'`);
    if (w.shape.length !== param.shape.length || w.shape.some((d, k) => d !== param.shape[k])) {
      throw new ModelFormatError(`${source}: weight '${name}' has shape [${w.shape.join(', ')}], the layer needs [${param.shape.join(', ')}]`);
    }
    state[name] = new Tensor(w.data, w.shape);
  }
  model.loadStateDict(state);

  if (json.training !== undefined) compileFromSaved(model, json.training, take, source);
  const unused = [...weights.keys()].filter((name) => !used.has(name));
  if (unused.length > 0) throw new ModelFormatError(`${source}: the weights manifest lists weights no layer uses: ${unused.slice(0, 5).join(', ')}`);
  if (json.training?.randomState !== undefined) globalRandom.setState(json.training.randomState.map((v) => v ?? Number.NaN));
  return model;
}

/**
 * The input size of every Dense layer, from its kernel in the manifest. Checked before any
 * layer exists: every Dense layer must have its kernel (so building allocates no more than
 * the weights file holds) and consecutive Dense layers must agree on sizes.
 */
function denseInputDims(json: NativeModelJson, weights: Map<string, NamedWeight>, source: string): (number | undefined)[] {
  let width: number | null = null;
  return json.layers.map((layer, i) => {
    if (layer.class !== 'Dense') return undefined;
    const kernel = weights.get(`${i}.kernel`);
    const units = layer.config.units;
    if (kernel === undefined) throw new ModelFormatError(`${source}: layer ${i} is Dense(${units}) but the weights manifest has no '${i}.kernel'`);
    if (kernel.shape.length !== 2 || kernel.shape[1] !== units || kernel.shape[0]! < 1) {
      throw new ModelFormatError(`${source}: weight '${i}.kernel' has shape [${kernel.shape.join(', ')}]; layer ${i} is Dense(${units}), which needs [D, ${units}]`);
    }
    const d = kernel.shape[0]!;
    if (width !== null && d !== width) throw new ModelFormatError(`${source}: layer ${i} (Dense) takes ${d} inputs but the Dense layer before it gives ${width}`);
    width = units;
    return d;
  });
}

function compileFromSaved(model: Sequential, saved: SavedTraining, take: (name: string, at: string) => NamedWeight, source: string): void {
  const o = saved.optimizer;
  let optimizer: Optimizer;
  try {
    // Through the constructors, so a hostile file's hyper-parameters are validated as user input would be.
    const learningRate = typeof o.learningRate === 'number' ? o.learningRate : schedule(o.learningRate);
    optimizer = createOptimizer({ ...(o.hyper as object), type: o.type, learningRate } as Parameters<typeof createOptimizer>[0]);
  } catch (error) {
    throw new ModelFormatError(`${source}: training.optimizer is not valid: ${(error as Error).message}`);
  }
  const params = model.parameters();
  if (o.state !== undefined) {
    if (o.state.length !== params.length) {
      throw new ModelFormatError(`${source}: training.optimizer.state has ${o.state.length} entries, the model has ${params.length} parameters`);
    }
    optimizer.attach(params);
    const dict: OptimizerStateDict = {
      type: optimizer.type,
      iterations: o.iterations ?? 0,
      learningRate: o.learningRate,
      hyper: { ...(optimizer.hyper as Record<string, number | boolean>) },
      state: o.state.map((names, i) => {
        if (names === null) return null;
        const entry: Record<string, number[]> = {};
        for (const [key, weightName] of Object.entries(names)) {
          const w = take(weightName, `training.optimizer.state[${i}].${key}`);
          if (w.data.length !== params[i]!.size) {
            throw new ModelFormatError(`${source}: optimizer state '${weightName}' has ${w.data.length} values, parameter ${i} has ${params[i]!.size}`);
          }
          entry[key] = Array.from(w.data);
        }
        return entry;
      }),
    };
    try {
      optimizer.loadStateDict(dict);
    } catch (error) {
      throw new ModelFormatError(`${source}: training.optimizer state does not fit the optimizer: ${(error as Error).message}`);
    }
  } else if (o.iterations !== undefined) {
    optimizer.iterations = o.iterations;
  }
  try {
    model.compile({ optimizer, loss: saved.loss, ...(saved.lossOptions !== undefined ? { lossOptions: saved.lossOptions } : {}), metrics: saved.metrics });
    getLoss(saved.loss, saved.lossOptions);
  } catch (error) {
    throw new ModelFormatError(`${source}: training config cannot be compiled: ${(error as Error).message}`);
  }
}
