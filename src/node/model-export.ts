/**
 * Moving models in and out as files: export to TensorFlow.js (a directory with model.json +
 * weights.bin) or ONNX (one .onnx file), and import from TensorFlow.js or gradiente's own
 * format. What `gradiente export` and `gradiente import` call. Node-only.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ModelFormatError, ValueError } from '../errors.js';
import { isNativeModelJson, parseNativeModelJson } from '../io/native.js';
import { modelToOnnx, type ToOnnxOptions } from '../io/onnx.js';
import { isTfjsModelJson, modelFromTfjsArtifacts, modelToTfjsArtifacts, parseTfjsModelJson, type ToTfjsOptions } from '../io/tfjs.js';
import { parseJson } from '../io/validate.js';
import type { NonFinitePolicy } from '../io/weights.js';
import type { Sequential } from '../nn/sequential.js';
import { writeFileAtomic } from './atomic-file.js';
import { DEFAULT_MAX_JSON_BYTES, locateModelJson, readModelJsonText, readWeightFiles, writeModelDir } from './model-dir.js';
import { loadModelFile } from './model-files.js';

export type ExportFormat = 'tfjs' | 'onnx';

export interface ExportModelOptions extends ToTfjsOptions, ToOnnxOptions {
  format: ExportFormat;
  /** tfjs: the directory to write model.json + weights.bin into. onnx: the .onnx file to write. */
  out: string;
}

export interface ExportedModel {
  format: ExportFormat;
  /** Every file written. */
  files: string[];
  bytes: number;
}

/**
 * Write `model` in another framework's format: 'tfjs' a directory (model.json + weights.bin),
 * 'onnx' one .onnx file. Either replaces what was there atomically (see model-dir.ts, atomic-file.ts).
 */
export async function exportModel(model: Sequential, options: ExportModelOptions): Promise<ExportedModel> {
  const { format, out } = options;
  if (format === 'tfjs') {
    const { modelJson, weightsBin } = modelToTfjsArtifacts(model, options);
    const render = (weightsFile: string): string =>
      `${JSON.stringify({ ...modelJson, weightsManifest: modelJson.weightsManifest.map((g) => ({ ...g, paths: [weightsFile] })) }, null, 1)}\n`;
    const written = await writeModelDir(out, render, new Uint8Array(weightsBin));
    const jsonBytes = (await fs.stat(written.jsonPath)).size;
    return { format, files: [written.jsonPath, written.weightsPath], bytes: jsonBytes + weightsBin.byteLength };
  }
  if (format === 'onnx') {
    const bytes = await modelToOnnx(model, options);
    await writeFileAtomic(out, bytes);
    return { format, files: [out], bytes: bytes.byteLength };
  }
  throw new ValueError(`exportModel: format must be 'tfjs' or 'onnx', got ${JSON.stringify(format)}`);
}

export type ImportFormat = 'gradiente' | 'tfjs';

export interface ImportModelOptions extends NonFinitePolicy {
  /** Refuse a model.json larger than this many bytes, unread (default 16 MiB). */
  maxJsonBytes?: number;
}

export interface ImportedModel {
  model: Sequential;
  /** Which format the file was in. */
  format: ImportFormat;
  /** The model.json read. */
  path: string;
  /** A gradiente model's trainingConfig, when it was saved with one (gradiente train records how inputs were prepared). */
  trainingConfig?: Record<string, unknown>;
}

/**
 * Load a model from a directory (or its model.json) in gradiente's format or TensorFlow.js
 * Layers format, told apart by the content of model.json. Weight files must sit inside the
 * model's directory; sizes, shapes and values are checked before use.
 */
export async function importModel(location: string, options: ImportModelOptions = {}): Promise<ImportedModel> {
  if (location.toLowerCase().endsWith('.onnx')) {
    throw new ModelFormatError(`${location}: ONNX files cannot be imported (gradiente exports ONNX only); import the TensorFlow.js or gradiente version of the model`);
  }
  const { dir, jsonPath } = await locateModelJson(location);
  const raw = parseJson(await readModelJsonText(jsonPath, options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES, dir), jsonPath);
  const policy = options.allowNonFinite !== undefined ? { allowNonFinite: options.allowNonFinite } : {};
  if (isNativeModelJson(raw)) {
    const json = parseNativeModelJson(raw, jsonPath);
    const model = await loadModelFile({ dir, jsonPath, json }, policy);
    return { model, format: 'gradiente', path: jsonPath, ...(json.trainingConfig !== undefined ? { trainingConfig: json.trainingConfig } : {}) };
  }
  if (isTfjsModelJson(raw)) {
    const parsed = parseTfjsModelJson(raw, jsonPath);
    const weightsBin = await readWeightFiles(dir, parsed.paths, byteSize(parsed.weights), jsonPath);
    return { model: modelFromTfjsArtifacts({ modelJson: raw, weightsBin }, { source: jsonPath, ...policy }), format: 'tfjs', path: jsonPath };
  }
  throw new ModelFormatError(`${jsonPath}: not a model file gradiente knows (neither gradiente's format nor a TensorFlow.js Layers model.json with modelTopology and weightsManifest)`);
}

function byteSize(specs: readonly { shape: number[] }[]): number {
  // Each shape is already bounded (elementCount); the sum of at most a few thousand stays exact.
  return specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
}

