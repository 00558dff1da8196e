/**
 * Models in the browser: download as files, open uploaded files, keep in localStorage.
 * No DOM is touched at import time, so this module loads in Node as well (and is tested
 * there with the File and Storage objects Node provides or a stand-in).
 */
import { GradienteError, ModelFormatError } from '../errors.js';
import type { Sequential } from '../nn/sequential.js';
import { isNativeModelJson, modelFromArtifacts, modelToArtifacts, parseNativeModelJson, type ToArtifactsOptions } from './native.js';
import { isTfjsModelJson, modelFromTfjsArtifacts, modelToTfjsArtifacts, parseTfjsModelJson, type ToTfjsOptions } from './tfjs.js';
import { parseJson } from './validate.js';
import { registerModelStore } from './stores.js';
import type { NonFinitePolicy, WeightSpec } from './weights.js';

export type BrowserModelFormat = 'gradiente' | 'tfjs';

export interface ModelFiles {
  /** model.json, whose weights manifest names the weights file by `weightsFileName`. */
  json: Blob;
  weights: Blob;
  jsonFileName: string;
  weightsFileName: string;
}

/** The model as two Blobs, ready to download: `<baseName>.json` and `<baseName>.weights.bin` (TF.js's naming). */
export function modelToFiles(
  model: Sequential,
  options: { format?: BrowserModelFormat; baseName?: string } & ToArtifactsOptions & ToTfjsOptions = {},
): ModelFiles {
  const baseName = options.baseName ?? 'model';
  const weightsFileName = `${baseName}.weights.bin`;
  let text: string;
  let weights: ArrayBuffer;
  if ((options.format ?? 'tfjs') === 'tfjs') {
    const { modelJson, weightsBin } = modelToTfjsArtifacts(model, options);
    text = JSON.stringify({ ...modelJson, weightsManifest: modelJson.weightsManifest.map((g) => ({ ...g, paths: [weightsFileName] })) });
    weights = weightsBin;
  } else {
    const artifacts = modelToArtifacts(model, options);
    text = JSON.stringify({ ...artifacts.modelJson, weightsManifest: { ...artifacts.modelJson.weightsManifest, path: weightsFileName } });
    weights = artifacts.weights;
  }
  return {
    json: new Blob([text], { type: 'application/json' }),
    weights: new Blob([weights], { type: 'application/octet-stream' }),
    jsonFileName: `${baseName}.json`,
    weightsFileName,
  };
}

/** Start the browser's download of the model's two files (TF.js format by default). */
export function downloadModel(model: Sequential, options: Parameters<typeof modelToFiles>[1] = {}): ModelFiles {
  const doc = (globalThis as { document?: Document }).document;
  if (doc === undefined) throw new GradienteError('downloadModel needs a browser (document); in Node use saveModel or exportModel from gradiente/node');
  const files = modelToFiles(model, options);
  for (const [blob, name] of [[files.json, files.jsonFileName], [files.weights, files.weightsFileName]] as const) {
    const url = URL.createObjectURL(blob);
    const link = doc.createElement('a');
    link.href = url;
    link.download = name;
    link.click();
    // Revoke later: the download starts asynchronously and still needs the URL.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  return files;
}

/** Bytes the weight specs declare (float32: 4 per value), or null when that is no sane number. */
function declaredWeightBytes(specs: readonly WeightSpec[]): number | null {
  let total = 0;
  for (const spec of specs) {
    let size = 4;
    for (const d of spec.shape) size *= d;
    total += size;
  }
  return Number.isSafeInteger(total) && total >= 0 ? total : null;
}

/** Upload size limits: model.json holds no weights, so a few MiB is generous. */
const MAX_UPLOADED_JSON_BYTES = 16 * 1024 * 1024;

/**
 * A model from files the user picked (an `<input type="file" multiple>`): one .json file
 * plus the weight files its manifest names, matched by file name (uploads carry no paths,
 * so nothing but the picked files can ever be read).
 */
export async function modelFromFiles(files: ArrayLike<File> | Iterable<File>, options: NonFinitePolicy = {}): Promise<{ model: Sequential; format: BrowserModelFormat }> {
  const list = Array.from(files as Iterable<File>);
  const jsonFiles = list.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsonFiles.length !== 1) {
    throw new ModelFormatError(`pick exactly one model .json file together with its weights file(s); got ${jsonFiles.length} .json files among ${list.map((f) => f.name).join(', ') || 'no files'}`);
  }
  const jsonFile = jsonFiles[0]!;
  if (jsonFile.size > MAX_UPLOADED_JSON_BYTES) throw new ModelFormatError(`${jsonFile.name} is ${jsonFile.size} bytes, more than a model.json can be (${MAX_UPLOADED_JSON_BYTES}); it is not a model file`);
  const raw = parseJson(await jsonFile.text(), jsonFile.name);
  const byName = new Map(list.map((f) => [f.name, f]));
  /**
   * The picked files the manifest names, read only once their sizes add up to what the
   * manifest declares: a manifest that names one file 3,000 times, or declares more than was
   * picked, is refused before a byte is read.
   */
  const readAll = async (paths: string[], specs: readonly WeightSpec[]): Promise<Uint8Array> => {
    const names = paths.map((p) => p.split('/').pop() ?? p);
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated !== undefined) throw new ModelFormatError(`${jsonFile.name}: the weights manifest names the file '${repeated}' more than once; each weights file holds its own part of the weights`);
    const picked = names.map((name) => {
      const file = byName.get(name);
      if (file === undefined) throw new ModelFormatError(`${jsonFile.name} needs the weights file '${name}': pick it together with the .json file`);
      return file;
    });
    const declared = declaredWeightBytes(specs);
    const actual = picked.reduce((n, f) => n + f.size, 0);
    if (declared === null) throw new ModelFormatError(`${jsonFile.name}: the weights manifest declares an impossible size`);
    if (actual !== declared) {
      throw new ModelFormatError(
        `${jsonFile.name}: the weights file${names.length > 1 ? 's' : ''} (${names.join(', ')}) hold${names.length > 1 ? '' : 's'} ${actual} bytes but the manifest declares ${declared}; ` +
          `the weights are ${actual < declared ? 'truncated' : 'longer than declared'} or belong to another model`,
      );
    }
    const out = new Uint8Array(declared);
    let offset = 0;
    // One file at a time: never more in memory than the declared size and one file.
    for (const file of picked) {
      const part = new Uint8Array(await file.arrayBuffer());
      if (offset + part.length > declared) throw new ModelFormatError(`${jsonFile.name}: the weights file '${file.name}' grew while being read`);
      out.set(part, offset);
      offset += part.length;
    }
    if (offset !== declared) throw new ModelFormatError(`${jsonFile.name}: the weights files shrank while being read`);
    return out;
  };
  if (isNativeModelJson(raw)) {
    const parsed = parseNativeModelJson(raw, jsonFile.name);
    const weights = await readAll([parsed.weightsManifest.path], parsed.weightsManifest.weights);
    return { model: modelFromArtifacts({ modelJson: raw, weights }, { ...options, source: jsonFile.name }), format: 'gradiente' };
  }
  if (isTfjsModelJson(raw)) {
    const parsed = parseTfjsModelJson(raw, jsonFile.name);
    const weightsBin = await readAll(parsed.paths, parsed.weights);
    return { model: modelFromTfjsArtifacts({ modelJson: raw, weightsBin }, { ...options, source: jsonFile.name }), format: 'tfjs' };
  }
  throw new ModelFormatError(`${jsonFile.name} is not a gradiente or TensorFlow.js model file`);
}

/** The part of the Web Storage API used here (localStorage, sessionStorage, or a stand-in). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function defaultStorage(): KeyValueStorage {
  const storage = (globalThis as { localStorage?: KeyValueStorage }).localStorage;
  if (storage === undefined) throw new GradienteError('no localStorage here: pass a storage object, or use saveModel from gradiente/node');
  return storage;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string, key: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new ModelFormatError(`stored model '${key}': the weights are not valid base64`);
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const STORAGE_FORMAT = 'gradiente-stored-model';

/**
 * Keep the model (gradiente format, with its training state) under `key` in localStorage.
 * Weights are base64 text there; browsers allow about 5 MB per site, roughly a million weights.
 */
export function saveModelToStorage(model: Sequential, key: string, options: ToArtifactsOptions & { storage?: KeyValueStorage } = {}): number {
  const storage = options.storage ?? defaultStorage();
  const { modelJson, weights } = modelToArtifacts(model, options);
  const text = JSON.stringify({ format: STORAGE_FORMAT, modelJson, weights: toBase64(new Uint8Array(weights)) });
  try {
    storage.setItem(key, text);
  } catch (error) {
    throw new GradienteError(`cannot store the model under '${key}' (${text.length} characters): ${(error as Error).message}; the browser's storage is probably full — download the model instead`);
  }
  return text.length;
}

/** The model stored under `key` by saveModelToStorage, or null when there is none. */
export function loadModelFromStorage(key: string, options: NonFinitePolicy & { storage?: KeyValueStorage } = {}): Sequential | null {
  const storage = options.storage ?? defaultStorage();
  const text = storage.getItem(key);
  if (text === null) return null;
  const source = `stored model '${key}'`;
  const raw = parseJson(text, source);
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== STORAGE_FORMAT || typeof (raw as { weights?: unknown }).weights !== 'string') {
    throw new ModelFormatError(`${source} is not a model saved by saveModelToStorage`);
  }
  const { modelJson, weights } = raw as { modelJson: unknown; weights: string };
  return modelFromArtifacts({ modelJson, weights: fromBase64(weights, key) }, { ...options, source });
}

registerModelStore('localstorage', {
  save: (model, key) => void saveModelToStorage(model, key),
  load: (key) => {
    const model = loadModelFromStorage(key);
    if (model === null) throw new GradienteError(`no model is stored under '${key}' in this browser's localStorage`);
    return model;
  },
});
registerModelStore('downloads', { save: (model, name) => void downloadModel(model, { baseName: name }) });
