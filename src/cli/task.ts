/**
 * Matching the output layer, the loss and the targets to the task, the way a teacher would
 * check a student's setup. Classification defaults: one sigmoid output and binary
 * cross-entropy for two classes, C softmax outputs and categorical cross-entropy (one-hot
 * targets) for more. Regression: linear outputs and mean squared error. A choice that
 * runs but is probably a mistake gets a warning; one that cannot learn anything is an error.
 */
import { activationNames, lossNames, oneHot, resolveLossName, Tensor, type ActivationName, type LossName } from '../node.js';
import { CliError } from './errors.js';
import { didYouMean } from './suggest.js';

/** How class labels become the targets the loss compares with. */
export type TargetEncoding = 'binary' | 'onehot' | 'labels' | 'values';

export interface TaskPlan {
  loss: LossName;
  /** Cross-entropy on raw scores (a linear output layer): the numerically stable form. */
  fromLogits: boolean;
  outputUnits: number;
  outputActivation: ActivationName;
  targetEncoding: TargetEncoding;
  metrics: string[];
  warnings: string[];
}

export interface TaskFacts {
  task: 'classification' | 'regression';
  numClasses: number;
  targetDim: number;
}

export interface TaskChoices {
  loss?: string;
  outputActivation?: string;
}

const CLASSIFICATION_LOSSES: readonly LossName[] = ['binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy'];

export function isClassificationLoss(name: string): boolean {
  return CLASSIFICATION_LOSSES.includes(resolveLossName(name));
}

export function checkLossName(name: string, label: string): LossName {
  try {
    return resolveLossName(name);
  } catch {
    const known = [...lossNames, 'mse', 'mae', 'bce', 'cce'];
    throw new CliError(`${label}: unknown loss '${name}'${didYouMean(name, known)}; choose one of: ${lossNames.join(', ')} (or mse, mae, bce, cce)`);
  }
}

export function checkActivationName(name: string, label: string): ActivationName {
  if ((activationNames as readonly string[]).includes(name)) return name as ActivationName;
  throw new CliError(`${label}: unknown activation '${name}'${didYouMean(name, activationNames)}; choose one of: ${activationNames.join(', ')}`);
}

export function planTask(facts: TaskFacts, choices: TaskChoices): TaskPlan {
  const warnings: string[] = [];
  const chosenLoss = choices.loss === undefined ? undefined : checkLossName(choices.loss, '--loss');
  const chosenOutput = choices.outputActivation === undefined ? undefined : checkActivationName(choices.outputActivation, '--output-activation');

  if (facts.task === 'regression') {
    const loss = chosenLoss ?? 'meanSquaredError';
    if (CLASSIFICATION_LOSSES.includes(loss)) {
      const why =
        facts.targetDim === 1 && loss !== 'binaryCrossentropy'
          ? `with one output, softmax is always 1 and the loss always 0: nothing would be learned`
          : 'it needs class labels, and this target holds numbers to predict';
      throw new CliError(`--loss ${loss} does not fit a numeric target: ${why}; use meanSquaredError (or mae, huber), or --task classification if the numbers are class labels`);
    }
    const outputActivation = chosenOutput ?? 'linear';
    if (outputActivation === 'softmax') warnings.push(`--output-activation softmax on a regression target: outputs would sum to 1 and ${facts.targetDim === 1 ? 'always equal 1' : 'not be free numbers'}; use linear`);
    return { loss, fromLogits: false, outputUnits: facts.targetDim, outputActivation, targetEncoding: 'values', metrics: [loss === 'meanAbsoluteError' ? 'mse' : 'mae'], warnings };
  }

  const classes = facts.numClasses;
  if (classes < 2) throw new CliError(`the data has ${classes} class; classification needs at least 2 different labels`);
  const loss: LossName = chosenLoss ?? (classes === 2 ? 'binaryCrossentropy' : 'categoricalCrossentropy');
  const metrics = ['accuracy'];

  if (loss === 'binaryCrossentropy') {
    if (classes === 2) {
      const activation = chosenOutput ?? 'sigmoid';
      if (activation === 'softmax') {
        throw new CliError('--loss binaryCrossentropy with --output-activation softmax: a softmax over one output is always 1, so the loss could not change; use sigmoid (or categoricalCrossentropy with two outputs)');
      }
      const fromLogits = activation === 'linear';
      if (!fromLogits && activation !== 'sigmoid') warnings.push(`binaryCrossentropy expects a probability in (0, 1) from a sigmoid output; --output-activation ${activation} gives other values`);
      return { loss, fromLogits, outputUnits: 1, outputActivation: activation, targetEncoding: 'binary', metrics, warnings };
    }
    const activation = chosenOutput ?? 'softmax';
    warnings.push(
      `binaryCrossentropy with ${classes} classes: it scores each of the ${classes} ${activation} outputs as a separate yes/no question; ` +
        `to pick one class out of ${classes}, use categoricalCrossentropy (the default here)`,
    );
    return { loss, fromLogits: activation === 'linear', outputUnits: classes, outputActivation: activation, targetEncoding: 'onehot', metrics, warnings };
  }

  if (loss === 'categoricalCrossentropy' || loss === 'sparseCategoricalCrossentropy') {
    const activation = chosenOutput ?? 'softmax';
    const fromLogits = activation === 'linear';
    if (!fromLogits && activation !== 'softmax') {
      warnings.push(`${loss} expects class probabilities that sum to 1 (a softmax output); --output-activation ${activation} does not give them, use softmax (or linear for raw scores)`);
    }
    return {
      loss,
      fromLogits,
      outputUnits: classes,
      outputActivation: activation,
      targetEncoding: loss === 'sparseCategoricalCrossentropy' ? 'labels' : 'onehot',
      metrics,
      warnings,
    };
  }

  // A regression loss on class labels: it runs, on one-hot targets, but the student should know.
  const activation = chosenOutput ?? (classes === 2 ? 'sigmoid' : 'softmax');
  const units = classes === 2 ? 1 : classes;
  const targets = classes === 2 ? 'labels 0/1' : `one-hot encoded: ${classes} columns, 1 for the true class and 0 elsewhere`;
  warnings.push(
    `${loss} on class labels: the targets are ${targets}, compared with ${units} ${activation} output${units > 1 ? 's' : ''}; ` +
      `cross-entropy (${classes === 2 ? 'binaryCrossentropy' : 'categoricalCrossentropy'}, the default) is the loss made for classification and learns faster`,
  );
  return { loss, fromLogits: false, outputUnits: units, outputActivation: activation, targetEncoding: classes === 2 ? 'binary' : 'onehot', metrics, warnings };
}

/** The targets the loss compares with, from labels [N] (classification) or values [N, K]. */
export function encodeTargets(y: Tensor, encoding: TargetEncoding, numClasses: number): Tensor {
  switch (encoding) {
    case 'onehot': return oneHot(y, numClasses);
    case 'binary': return y.rank === 1 ? y.reshape([y.shape[0]!, 1]) : y;
    case 'labels':
    case 'values': return y;
  }
}
