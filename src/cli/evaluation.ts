/** How good a trained model is on data it did not train on: loss, metrics, and the picture that explains them. */
import { confusionMatrix, thresholdFor, type Sequential, type Tensor } from '../node.js';
import { numberedClasses, type Preprocessing } from './data-source.js';

export interface Evaluation {
  samples: number;
  /** loss and metrics, e.g. { loss: 0.21, accuracy: 0.94 }. */
  metrics: Record<string, number>;
  /** Classification: counts[true][predicted]. */
  confusion?: { labels: string[]; counts: number[][] };
  /** Regression: the first target's true and predicted values (at most 2000 samples), and the input when it is one number. */
  regression?: { truth: number[]; predicted: number[]; input?: number[] };
}

const MAX_SCATTER = 2000;

/** labels: the true class labels [N] (classification) or the targets (regression); targets: what the loss compares with. */
export function evaluateModel(model: Sequential, x: Tensor, labels: Tensor, targets: Tensor, pre: Preprocessing): Evaluation {
  const metrics = model.evaluate(x, targets);
  const predicted = model.predict(x);
  const n = x.shape[0]!;
  if (pre.task === 'classification') {
    const names = pre.classNames ?? numberedClasses(pre.numClasses);
    // A single logit output (trained fromLogits) means class 1 above 0, not above 0.5.
    const fromLogits = (model.compileConfig as { lossOptions?: { fromLogits?: boolean } } | null)?.lossOptions?.fromLogits;
    const counts = confusionMatrix(labels, predicted, pre.numClasses, thresholdFor(fromLogits));
    return { samples: n, metrics, confusion: { labels: names, counts } };
  }
  const width = predicted.shape[1] ?? 1;
  const count = Math.min(n, MAX_SCATTER);
  const truth: number[] = [];
  const guess: number[] = [];
  const input: number[] = [];
  for (let i = 0; i < count; i++) {
    truth.push(labels.data[i * width]!);
    guess.push(predicted.data[i * width]!);
    if (pre.inputDim === 1) input.push(x.data[i]!);
  }
  return { samples: n, metrics, regression: { truth, predicted: guess, ...(pre.inputDim === 1 ? { input } : {}) } };
}

/** The confusion matrix as aligned text for the terminal. */
export function confusionText(confusion: NonNullable<Evaluation['confusion']>): string {
  const { labels, counts } = confusion;
  const width = Math.max(5, ...labels.map((l) => l.length), ...counts.flat().map((c) => String(c).length));
  const cell = (s: string): string => s.padStart(width);
  const rowHead = Math.max(4, ...labels.map((l) => l.length));
  const lines = [`${'true'.padEnd(rowHead)} ${labels.map(cell).join(' ')}   (columns: predicted)`];
  counts.forEach((row, i) => lines.push(`${labels[i]!.padEnd(rowHead)} ${row.map((c) => cell(String(c))).join(' ')}`));
  return lines.join('\n');
}
