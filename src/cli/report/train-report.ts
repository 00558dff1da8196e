/** report.html of one training run: how the loss fell, what the gradients did, how good the model is. */
import type { Evaluation } from '../evaluation.js';
import { formatNumber } from '../progress.js';
import type { GradientNormsJson, HistoryJson } from '../recorders.js';
import { downsample, renderPage, type Block, type ChartSpec, type ReportPage, type Section } from './page.js';

export interface TrainReportInput {
  title: string;
  summary: [string, string][];
  warnings: string[];
  history: HistoryJson;
  gradientNorms: GradientNormsJson | null;
  evaluation: Evaluation | null;
  /** Name of the regression metric or 'accuracy'. */
  metricNames: string[];
  footer: string;
}

/** Per-epoch series of `key` (and val_`key`), x = epoch number from 1. */
export function epochChart(history: HistoryJson, key: string, title: string, note: string, yLabel: string, log = false): ChartSpec | null {
  const train = history.history[key];
  if (train === undefined || train.length === 0) return null;
  const points = (values: number[]): [number, number | null][] => values.map((v, i) => [history.epoch[i]! + 1, Number.isFinite(v) ? v : null]);
  const series = [{ label: `training ${key}`, points: points(train) }];
  const val = history.history[`val_${key}`];
  if (val !== undefined && val.length > 0) series.push({ label: `validation ${key}`, points: points(val) });
  return { title, note, x: { label: 'epoch', min: 1, integer: true, ...(train.length === 1 ? { max: 2 } : {}) }, y: { label: yLabel, log }, series };
}

export function iterationLossChart(history: HistoryJson, title = 'Loss per iteration'): ChartSpec {
  const n = history.iterationLoss.length;
  return {
    title,
    note: `Each point is one weight update on one batch of ${history.batchSize} samples (${history.iterationsPerEpoch} iterations make one epoch)${n > 1500 ? '; averaged in buckets to 1500 points' : ''}. Noise comes from batches: the smaller the batch, the noisier the curve.`,
    x: { label: 'iteration', min: 0 },
    y: { label: 'loss', log: shouldLog(history.iterationLoss) },
    series: [{ label: 'training loss (one batch)', points: downsample(history.iterationLoss) }],
  };
}

/** A log axis when the values span more than two orders of magnitude. */
export function shouldLog(values: readonly number[]): boolean {
  let min = Infinity;
  let max = 0;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return max > 0 && max / min > 100;
}

export function gradientNormChart(norms: GradientNormsJson, title = 'Gradient norm per layer'): ChartSpec {
  return {
    title,
    note: 'L2 norm of each layer\'s gradient (weights and biases) at each recorded iteration. Layers whose curve sits orders of magnitude below the others learn slowly: the vanishing-gradient problem.',
    x: { label: 'iteration', min: 0 },
    y: { label: '‖gradient‖ (log scale)', log: true },
    series: norms.layers.map((label, l) => ({ label: `layer ${label}`, points: norms.iterations.map((it, i) => [it, norms.norms[l]![i]!] as [number, number]) })),
  };
}

export function learningRateChart(history: HistoryJson): ChartSpec {
  return {
    title: 'Learning rate per iteration',
    note: 'The step size of every weight update, as the schedule set it.',
    x: { label: 'iteration', min: 0 },
    y: { label: 'learning rate', log: shouldLog(history.iterationLearningRate) },
    series: [{ label: 'learning rate', points: downsample(history.iterationLearningRate) }],
  };
}

export function evaluationBlocks(evaluation: Evaluation, what = 'test set'): Block[] {
  const blocks: Block[] = [];
  if (evaluation.confusion !== undefined) {
    blocks.push({
      type: 'matrix',
      title: `Confusion matrix (${what}, ${evaluation.samples} samples)`,
      note: 'Row: the true class; column: the class the model predicted. The diagonal counts the right answers; a dark cell off the diagonal is a pair of classes the model confuses.',
      labels: evaluation.confusion.labels,
      counts: evaluation.confusion.counts,
    });
  }
  const r = evaluation.regression;
  if (r !== undefined) {
    const lo = Math.min(...r.truth, ...r.predicted);
    const hi = Math.max(...r.truth, ...r.predicted);
    blocks.push({
      type: 'chart',
      chart: {
        title: `Predicted against true (${what})`,
        note: 'Each dot is one sample. On the dashed diagonal the prediction is exact; the further a dot sits from it, the larger the error.',
        x: { label: 'true value' },
        y: { label: 'predicted value' },
        series: [
          { label: 'samples', style: 'points', points: r.truth.map((t, i) => [t, r.predicted[i]!]) },
          { label: 'perfect prediction', dashed: true, color: '#7f7f7f', points: [[lo, lo], [hi, hi]] },
        ],
      },
    });
    if (r.input !== undefined) {
      const order = r.input.map((_, i) => i).sort((a, b) => r.input![a]! - r.input![b]!);
      blocks.push({
        type: 'chart',
        chart: {
          title: `The fitted function (${what})`,
          note: 'Dots: the data; line: what the model predicts for each input.',
          x: { label: 'input x' },
          y: { label: 'target y' },
          series: [
            { label: 'data', style: 'points', points: r.input.map((x, i) => [x, r.truth[i]!]) },
            { label: 'model', points: order.map((i) => [r.input![i]!, r.predicted[i]!]) },
          ],
        },
      });
    }
  }
  return blocks;
}

export function renderTrainReport(input: TrainReportInput): string {
  const { history } = input;
  const curves: Block[] = [{ type: 'chart', chart: iterationLossChart(history) }];
  const lossEpoch = epochChart(history, 'loss', 'Loss per epoch', 'Mean loss over each epoch (training) and on the validation samples after it. Validation rising while training falls is overfitting.', 'loss', shouldLog(history.history.loss ?? []));
  if (lossEpoch) curves.push({ type: 'chart', chart: lossEpoch });
  for (const metric of input.metricNames) {
    const chart = epochChart(history, metric, metric === 'accuracy' ? 'Accuracy per epoch' : `${metric} per epoch`, metric === 'accuracy' ? 'Share of samples classified right.' : `The ${metric} of the predictions, in the target's units.`, metric);
    if (chart) curves.push({ type: 'chart', chart });
  }
  curves.push({ type: 'chart', chart: learningRateChart(history) });
  const sections: Section[] = [{ title: 'Training curves', blocks: curves }];
  if (input.gradientNorms !== null && input.gradientNorms.iterations.length > 0) {
    sections.push({ title: 'Gradients', blocks: [{ type: 'chart', chart: { ...gradientNormChart(input.gradientNorms), wide: true } }] });
  }
  if (input.evaluation !== null) {
    const e = input.evaluation;
    const table: Block = {
      type: 'table',
      title: `Test set (${e.samples} samples never trained on)`,
      header: ['measure', 'value'],
      rows: Object.entries(e.metrics).map(([k, v]) => [k, formatNumber(v)]),
    };
    sections.push({ title: 'How good is the model?', blocks: [table, ...evaluationBlocks(e)] });
  }
  const page: ReportPage = { title: input.title, summary: input.summary, warnings: input.warnings, sections };
  return renderPage(page, input.footer);
}
