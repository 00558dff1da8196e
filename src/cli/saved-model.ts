/**
 * A model written by `gradiente train`, read back with what evaluate and predict need:
 * the network (gradiente's model format) and how its inputs were prepared (the feature
 * columns, their scaling, the class names), which train keeps in the model's
 * trainingConfig. New tables are read the same way: columns by name, the training
 * scaling, class names mapped to the model's labels.
 */
import * as path from 'node:path';
import {
  DataFormatError,
  readCsvCells,
  recordsToDataset,
  standardize,
  Tensor,
  tableToDataset,
  type Cell,
  type Sequential,
  type TableDataset,
} from '../node.js';
import type { Preprocessing } from './data-source.js';
import { CliError } from './errors.js';
import { exists } from './files.js';
import { loadModelFile, readModelFile } from '../node/model-files.js';
import { readTextFile } from '../node/files.js';
import { resolveSettings, type TrainSettings } from './settings.js';
import type { TargetEncoding } from './task.js';

export interface SavedRun {
  model: Sequential;
  modelDir: string;
  settings: TrainSettings;
  preprocessing: Preprocessing;
  targetEncoding: TargetEncoding;
}

/** A run directory holds the model in model/; anything else (a model directory, a model.json) is the model itself. */
export async function modelInRun(location: string): Promise<string> {
  const inner = path.join(location, 'model');
  return (await exists(path.join(inner, 'model.json'))) ? inner : location;
}

/** --model: a run directory (holding model/) or a model directory or its model.json. */
export async function loadSavedRun(location: string): Promise<SavedRun> {
  const modelDir = await modelInRun(location);
  const file = await readModelFile(modelDir);
  const info = file.json;
  const config = info.trainingConfig as { settings?: unknown; preprocessing?: unknown; targetEncoding?: unknown } | undefined;
  if (config?.settings === undefined || config.preprocessing === undefined || config.targetEncoding === undefined) {
    throw new CliError(`--model ${location}: this model was not written by gradiente train, so it lacks the record of how its inputs were prepared; load it with loadModel() in code instead`);
  }
  if (info.training === undefined) throw new CliError(`--model ${location}: the model file has no loss and metrics (saved without its training state)`);
  const { settings, preprocessing, targetEncoding } = checkTrainingRecord(config, file.jsonPath);
  const model = await loadModelFile(file);
  return { model, modelDir, settings, preprocessing, targetEncoding };
}

/**
 * The record train keeps in model.json is read like any input: it decides which files
 * evaluate and predict read, so a damaged or edited field is one clear error naming it,
 * never a crash later. The settings go through the same checks as a config file.
 */
function checkTrainingRecord(config: { settings?: unknown; preprocessing?: unknown; targetEncoding?: unknown }, jsonPath: string): { settings: TrainSettings; preprocessing: Preprocessing; targetEncoding: TargetEncoding } {
  const bad = (field: string, want: string, value: unknown): never => {
    const shown = JSON.stringify(value) ?? String(value);
    throw new CliError(`${jsonPath}: trainingConfig.${field} must be ${want}, not ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}; the file was edited or damaged (train the model again)`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
  const isNumbers = (v: unknown): boolean => Array.isArray(v) && v.every((n) => typeof n === 'number');
  if (!isObject(config.settings)) bad('settings', 'an object of train settings', config.settings);
  const stored = config.settings as Record<string, unknown>;
  if (typeof stored.data !== 'string' || stored.data.trim() === '') bad('settings.data', 'the data source, as for --data', stored.data);
  const settings = { ...stored, ...resolveSettings({ file: stored, fileName: `${jsonPath} (trainingConfig.settings)`, flags: {} }) } as TrainSettings;
  if (!['binary', 'onehot', 'labels', 'values'].includes(config.targetEncoding as string)) bad('targetEncoding', "one of 'binary', 'onehot', 'labels', 'values'", config.targetEncoding);
  const pre = config.preprocessing;
  if (!isObject(pre)) return bad('preprocessing', 'an object', pre);
  if (!(Number.isSafeInteger(pre.inputDim) && (pre.inputDim as number) > 0)) bad('preprocessing.inputDim', 'a positive whole number', pre.inputDim);
  if (pre.task !== 'classification' && pre.task !== 'regression') bad('preprocessing.task', "'classification' or 'regression'", pre.task);
  if (!(Number.isSafeInteger(pre.numClasses) && (pre.numClasses as number) >= 0)) bad('preprocessing.numClasses', 'a whole number', pre.numClasses);
  for (const key of ['classNames', 'featureNames'] as const) if (pre[key] !== null && !isStrings(pre[key])) bad(`preprocessing.${key}`, 'null or a list of names', pre[key]);
  if (pre.targetName !== null && typeof pre.targetName !== 'string') bad('preprocessing.targetName', 'null or a column name', pre.targetName);
  const scaling = pre.scaling;
  if (scaling !== null && !(isObject(scaling) && isNumbers(scaling.mean) && isNumbers(scaling.std) && (scaling.mean as number[]).length === pre.inputDim && (scaling.std as number[]).length === pre.inputDim)) {
    bad('preprocessing.scaling', `null or {mean, std} with ${String(pre.inputDim)} numbers each`, scaling);
  }
  if (pre.table !== undefined && pre.table !== null && !isObject(pre.table)) bad('preprocessing.table', 'null or an object', pre.table);
  const split = pre.split;
  if (split !== undefined && split !== null) {
    if (!isObject(split)) return bad('preprocessing.split', 'null or an object', split);
    if (typeof split.file !== 'string' || split.file === '') bad('preprocessing.split.file', 'the path of the training file', split.file);
    if (!(Number.isSafeInteger(split.rows) && (split.rows as number) >= 0)) bad('preprocessing.split.rows', 'a whole number', split.rows);
  }
  return { settings, preprocessing: pre as unknown as Preprocessing, targetEncoding: config.targetEncoding as TargetEncoding };
}

const NO_TARGET = '\u0000no target';

export interface InputTable {
  /** Features in the model's column order, scaled as in training: [N, D]. */
  x: Tensor;
  /** Labels (classification, in the model's label numbers) or values, when the file has the target. */
  y: Tensor | null;
  rows: number;
}

function isJson(file: string): boolean {
  return /\.json$/i.test(file);
}

/**
 * Read a CSV or JSON file of samples for a saved model. With `needTarget`, the target column
 * must be there (evaluate); otherwise it is used when present and ignored by predict.
 */
export function readInputTable(file: string, pre: Preprocessing, needTarget: boolean, targetName?: string): InputTable {
  const target = targetName ?? pre.targetName ?? undefined;
  let table: TableDataset;
  let columns: string[];
  if (isJson(file)) {
    let records: unknown;
    try {
      records = JSON.parse(readTextFile(file));
    } catch (error) {
      throw new DataFormatError(`${file}: is not valid JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(records) || records.length === 0 || typeof records[0] !== 'object' || records[0] === null) {
      throw new DataFormatError(`${file}: expected an array of records ([{...}, {...}])`);
    }
    columns = Object.keys(records[0] as object);
    const hasTarget = target !== undefined && columns.includes(target);
    checkColumns(file, columns, target, pre, 'key');
    if (needTarget && !hasTarget) throw new DataFormatError(`${file}: record 0 has no key '${target ?? '(none)'}' to use as the target; its keys are: ${columns.map((c) => `'${c}'`).join(', ')}`);
    const withTarget = hasTarget ? records : records.map((r: unknown) => (typeof r === 'object' && r !== null ? { ...(r as object), [NO_TARGET]: 0 } : r));
    table = recordsToDataset(withTarget, { target: hasTarget ? target! : NO_TARGET, task: hasTarget ? pre.task : 'regression' }, file);
  } else {
    const csv = readCsvCells(readTextFile(file), {}, file);
    columns = csv.columns;
    const hasTarget = target !== undefined && columns.includes(target);
    checkColumns(file, columns, target, pre, 'column');
    if (needTarget && !hasTarget) throw new DataFormatError(`${file}: no column named '${target ?? '(none)'}' to use as the target; the columns are: ${columns.map((c) => `'${c}'`).join(', ')}`);
    const cols = hasTarget ? columns : [...columns, NO_TARGET];
    table = tableToDataset(
      {
        columns: cols,
        rows: hasTarget ? csv.rows : csv.rows.map((r): Cell[] => [...r, '0']),
        locate: (i, j) => `${file}: line ${csv.lines[i]}, column ${j + 1} ('${cols[j]}')`,
        missingTarget: (t) => `${file}: no column named '${t}'`,
      },
      { target: hasTarget ? target! : NO_TARGET, task: hasTarget ? pre.task : 'regression' },
    );
  }
  const hasTarget = table.targetName !== NO_TARGET;
  const x = alignFeatures(file, table, pre);
  const scaled = pre.scaling === null ? x : standardize(x, pre.scaling).x;
  return { x: scaled, y: hasTarget ? mapTargets(file, table, pre) : null, rows: x.shape[0]! };
}

/** Before reading any value: every column must be a feature of the model (or its target), and every feature there. */
function checkColumns(file: string, columns: readonly string[], target: string | undefined, pre: Preprocessing, word: 'column' | 'key'): void {
  if (pre.featureNames === null) return;
  const extra = columns.find((c) => c !== target && !pre.featureNames!.includes(c));
  if (extra !== undefined) {
    throw new DataFormatError(`${file}: ${word} '${extra}' is neither one of the model's features (${pre.featureNames.join(', ')}) nor its target${pre.targetName ? ` ('${pre.targetName}')` : ''}; drop it`);
  }
  const missing = pre.featureNames.find((f) => !columns.includes(f));
  if (missing !== undefined) throw new DataFormatError(`${file}: the model needs the ${word} '${missing}', which the file does not have (features: ${pre.featureNames.join(', ')})`);
}

/** The model's feature columns, by name, in its order (image models: all columns, in order). */
function alignFeatures(file: string, table: TableDataset, pre: Preprocessing): Tensor {
  const n = table.x.shape[0]!;
  const d = table.featureNames.length;
  if (pre.featureNames === null) {
    if (d !== pre.inputDim) throw new DataFormatError(`${file}: has ${d} feature columns; the model takes ${pre.inputDim} (one per input, in order)`);
    return table.x;
  }
  // checkColumns made sure every feature is there, so each has an index.
  const from = pre.featureNames.map((f) => table.featureNames.indexOf(f));
  const out = new Float32Array(n * pre.featureNames.length);
  for (let i = 0; i < n; i++) from.forEach((j, k) => (out[i * from.length + k] = table.x.data[i * d + j]!));
  return new Tensor(out, [n, from.length]);
}

/** Labels of this file (numbered by its own sorted class names) renumbered as the model's classes. */
function mapTargets(file: string, table: TableDataset, pre: Preprocessing): Tensor {
  if (pre.task === 'regression') return table.y;
  const names = table.classNames ?? [];
  const modelNames = pre.classNames ?? [];
  const map = names.map((name) => {
    const k = modelNames.indexOf(name);
    if (k < 0) throw new DataFormatError(`${file}: target class '${name}' is not one the model knows (${modelNames.join(', ')})`);
    return k;
  });
  return new Tensor(Float32Array.from(table.y.data, (v) => map[v]!), table.y.shape);
}
