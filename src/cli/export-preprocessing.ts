/**
 * What an exported network (TensorFlow.js, ONNX) does not hold but its user needs: how raw
 * rows become its inputs (columns, categories, dates, fills, standardization) and what its
 * outputs mean (class names in output order, or the target in its units). Written beside the
 * export as preprocessing.json; `gradiente import` reads it back, so a model that went out
 * and came back still works with predict and evaluate.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { LossName, OptimizerName, Sequential } from '../node.js';
import type { Preprocessing } from './data-source.js';
import { CliError } from './errors.js';
import type { TrainSettings } from './settings.js';
import type { TargetEncoding } from './task.js';

export interface TrainingRecord {
  settings?: TrainSettings;
  preprocessing?: Preprocessing;
  targetEncoding?: TargetEncoding;
}

/** The description of a gradiente-trained model's inputs and outputs, or null for a model without one. */
export function preprocessingDescription(trainingConfig: Record<string, unknown> | undefined, compile: Sequential['compileConfig'] = null): Record<string, unknown> | null {
  const record = trainingConfig as TrainingRecord | undefined;
  const pre = record?.preprocessing;
  if (pre === undefined) return null;
  const outputs =
    pre.task === 'regression'
      ? `the predicted '${pre.targetName ?? 'y'}' in its own units${pre.targetScaling ? ' (the training scaling of the target is already undone inside the last layer)' : ''}`
      : pre.numClasses === 2 && record?.targetEncoding === 'binary'
        ? `one probability: that of class '${pre.classNames?.[1] ?? '1'}' (1 - it is '${pre.classNames?.[0] ?? '0'}')`
        : `one probability per class, in the order of classNames`;
  return {
    note: 'prepare each input row as described here before the model; the network itself starts at the standardized features',
    ...(pre.table
      ? {
          columns: pre.table.columns,
          decimal: pre.table.decimal,
          missing: pre.table.missing,
          howColumnsBecomeFeatures:
            "number: as it is; year: the year of a YYYY-MM-DD date; category: one 0/1 feature per category, in order; a missing cell takes 'fill' (null: the row cannot be predicted)",
        }
      : {}),
    featureNames: pre.featureNames,
    ...(pre.scaling ? { standardize: '(x - mean) / std, per feature, after encoding', mean: pre.scaling.mean, std: pre.scaling.std } : {}),
    task: pre.task,
    target: pre.targetName,
    ...(pre.classNames ? { classNames: pre.classNames } : {}),
    outputs,
    // For `gradiente import`: the record train keeps with its models, and how the model was compiled.
    gradiente: { ...record, ...(compile !== null ? { compile } : {}) },
  };
}

/**
 * The training record written beside an exported model (preprocessing.json), if there is one:
 * the imported network is compiled as it was, so predict and evaluate work on it again.
 */
export async function exportedTrainingRecord(model: Sequential, modelJsonPath: string): Promise<Record<string, unknown> | undefined> {
  const file = path.join(path.dirname(modelJsonPath), 'preprocessing.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined; // exported by another tool, or without a record: the network alone
  }
  let value: { gradiente?: TrainingRecord & { compile?: NonNullable<Sequential['compileConfig']> } };
  try {
    value = JSON.parse(text) as typeof value;
  } catch (error) {
    throw new CliError(`${file}: is not valid JSON (${(error as Error).message}); remove it to import the network alone`);
  }
  const record = value.gradiente;
  if (record?.preprocessing === undefined || record.settings === undefined || record.targetEncoding === undefined) return undefined;
  const { compile, ...training } = record;
  if (compile !== undefined) {
    model.compile({
      optimizer: compile.optimizer as OptimizerName,
      loss: compile.loss as LossName,
      ...(compile.lossOptions !== undefined ? { lossOptions: compile.lossOptions } : {}),
      metrics: compile.metrics,
    });
  }
  return training as Record<string, unknown>;
}
