/**
 * What an exported network (TensorFlow.js, ONNX) does not hold but its user needs: how raw
 * rows become its inputs (columns, categories, dates, fills, standardization) and what its
 * outputs mean (class names in output order, or the target in its units). Written beside the
 * export as preprocessing.json; `gradiente import` reads it back, so a model that went out
 * and came back still works with predict and evaluate.
 */
import type { Preprocessing } from './data-source.js';
import type { TrainSettings } from './settings.js';
import type { TargetEncoding } from './task.js';

export interface TrainingRecord {
  settings?: TrainSettings;
  preprocessing?: Preprocessing;
  targetEncoding?: TargetEncoding;
}

/** The description of a gradiente-trained model's inputs and outputs, or null for a model without one. */
export function preprocessingDescription(trainingConfig: Record<string, unknown> | undefined): Record<string, unknown> | null {
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
    // For `gradiente import`: the record train keeps with its models.
    gradiente: record,
  };
}
