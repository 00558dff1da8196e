/**
 * Saving and loading gradiente models as files: `model.json` + `weights.bin` in a directory.
 * Node-only (the browser has src/io/browser.ts). Saves are atomic (see model-dir.ts).
 */
import { registerModelStore } from '../io/stores.js';
import { ModelFormatError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import { modelFromArtifacts, modelToArtifacts, parseNativeModelJson, type NativeModelJson, type ToArtifactsOptions } from '../io/native.js';
import { parseJson } from '../io/validate.js';
import type { NonFinitePolicy } from '../io/weights.js';
import type { Sequential } from '../nn/sequential.js';
import { DEFAULT_MAX_JSON_BYTES, locateModelJson, readModelJsonText, readWeightFiles, writeModelDir, type ModelDirIo } from './model-dir.js';

export type SaveModelOptions = ToArtifactsOptions;

export interface LoadModelOptions extends NonFinitePolicy {
  /** Refuse a model.json larger than this many bytes, unread (default 16 MiB). */
  maxJsonBytes?: number;
}

export interface SavedModelFiles {
  /** Path of the model.json written. */
  modelJson: string;
  /** Path of the weights file written. */
  weights: string;
  /** Bytes in the weights file. */
  weightsBytes: number;
}

/**
 * Save `model` to directory `dir` (created if missing) as model.json + weights.bin. With a
 * compiled model the optimizer state is kept (includeOptimizer, default true), so
 * `loadModel` + `fit` continues the training exactly. Replacing an existing model is atomic.
 */
export async function saveModel(model: Sequential, dir: string, options: SaveModelOptions = {}, io?: ModelDirIo): Promise<SavedModelFiles> {
  // A misspelt key (include_optimizer) would otherwise save with the default, silently.
  checkOptionKeys('saveModel', options, ['includeOptimizer', 'includeRandomState', 'trainingConfig', 'lossOptions', 'allowNonFinite']);
  // Serialize first: a model that cannot be saved fails before the directory is touched.
  const { modelJson, weights } = modelToArtifacts(model, options);
  const render = (weightsFile: string): string =>
    `${JSON.stringify({ ...modelJson, weightsManifest: { ...modelJson.weightsManifest, path: weightsFile } }, null, 1)}\n`;
  const written = await writeModelDir(dir, render, new Uint8Array(weights), io !== undefined ? { io } : {});
  return { modelJson: written.jsonPath, weights: written.weightsPath, weightsBytes: weights.byteLength };
}

/** A gradiente model.json, read and checked, with where it was found. */
export interface ModelFile {
  dir: string;
  jsonPath: string;
  json: NativeModelJson;
}

/**
 * Read and check the model.json of a gradiente model directory (or model.json path), without
 * its weights. For callers that look at the model.json before loading: pass the result to
 * loadModelFile instead of parsing the file a second time with loadModel.
 */
export async function readModelFile(location: string, maxJsonBytes = DEFAULT_MAX_JSON_BYTES): Promise<ModelFile> {
  const { dir, jsonPath } = await locateModelJson(location);
  const json = parseNativeModelJson(parseJson(await readModelJsonText(jsonPath, maxJsonBytes, dir), jsonPath), jsonPath);
  return { dir, jsonPath, json };
}

/** The model of a model.json read by readModelFile: its weights are read now. */
export async function loadModelFile({ dir, jsonPath, json }: ModelFile, options: NonFinitePolicy = {}): Promise<Sequential> {
  const expected = json.weightsManifest.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (!Number.isSafeInteger(expected)) throw new ModelFormatError(`${jsonPath}: the weights manifest declares an impossible size`);
  const weights = await readWeightFiles(dir, [json.weightsManifest.path], expected, jsonPath);
  return modelFromArtifacts({ modelJson: json, weights }, { source: jsonPath, ...(options.allowNonFinite !== undefined ? { allowNonFinite: options.allowNonFinite } : {}) });
}

/** The checked model.json of a gradiente model directory (or model.json path), without loading weights. */
export async function readModelInfo(location: string, options: { maxJsonBytes?: number } = {}): Promise<NativeModelJson> {
  return (await readModelFile(location, options.maxJsonBytes)).json;
}

/** Load a model saved by saveModel: `location` is its directory or its model.json. */
export async function loadModel(location: string, options: LoadModelOptions = {}): Promise<Sequential> {
  return loadModelFile(await readModelFile(location, options.maxJsonBytes), options);
}

registerModelStore(
  'file',
  {
    save: async (model, dir) => void (await saveModel(model, dir)),
    load: (location) => loadModel(location),
  },
  { isDefault: true },
);
