/** The combined report of `gradiente compare`: every run of the experiment on the same charts. */
import { formatNumber } from '../progress.js';
import type { GradientNormsJson, HistoryJson } from '../recorders.js';
import { downsample, renderPage, type Block, type ChartSpec, type Section, type Series } from './page.js';
import { gradientNormChart, shouldLog } from './train-report.js';

export interface CompareRun {
  label: string;
  history: HistoryJson;
  /** Seconds since the start of training at the end of each iteration. */
  seconds: number[];
  gradientNorms: GradientNormsJson;
  test: Record<string, number> | null;
  /** 'diverged at iteration 12', 'early stopping', or '' for a run that finished. */
  outcome: string;
  /** 1-D regression: the model's predictions at sorted inputs. */
  fit?: { x: number[]; y: number[] };
}

export interface CompareReportInput {
  title: string;
  subtitle: string;
  /** What varies: 'batch size', 'learning rate', 'activation', 'loss', 'optimizer', 'learning-rate schedule'. */
  varied: string;
  summary: [string, string][];
  warnings: string[];
  runs: CompareRun[];
  /** Training data of a 1-D regression (x, y), to draw under the fitted functions. */
  data?: { x: number[]; y: number[] };
  footer: string;
}

const finite = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

function lossAgainst(input: CompareReportInput, axis: 'iteration' | 'epoch' | 'seconds'): ChartSpec {
  const all = input.runs.flatMap((r) => r.history.iterationLoss);
  const log = shouldLog(all);
  const series: Series[] = input.runs.map((run) => {
    const h = run.history;
    if (axis === 'epoch') return { label: run.label, points: (h.history.loss ?? []).map((v, i) => [h.epoch[i]! + 1, finite(v)] as [number, number | null]) };
    if (axis === 'seconds') return { label: run.label, points: downsample(h.iterationLoss, 1000, (i) => run.seconds[i] ?? Number.NaN) };
    return { label: run.label, points: downsample(h.iterationLoss, 1000) };
  });
  const notes = {
    iteration:
      input.varied === 'batch size'
        ? 'One point per weight update. A batch size of 1 makes many cheap, noisy updates per epoch; the full batch makes one exact update per epoch.'
        : input.varied === 'learning rate'
          ? 'One point per weight update. Too small a learning rate crawls; too large a one overshoots the minimum and the loss jumps up or explodes.'
          : 'One point per weight update (the loss of its batch).',
    epoch: 'Mean training loss over each pass through the data: what the same amount of data buys with each setting.',
    seconds: 'The same curves against wall-clock time: what each setting costs on this machine.',
  };
  // Runs whose lengths differ by orders of magnitude (batch size 1 against the full batch) share a log axis, or the short ones vanish at the left edge.
  const spans = input.runs.map((r) => (axis === 'seconds' ? (r.seconds.at(-1) ?? 0) : r.history.iterationLoss.length)).filter((v) => v > 0);
  const logX = axis !== 'epoch' && spans.length > 1 && Math.max(...spans) / Math.min(...spans) > 20;
  const xLabel = axis === 'seconds' ? 'seconds' : axis;
  return {
    title: `Loss against ${axis === 'seconds' ? 'time' : `${axis}s`}`,
    note: notes[axis] + (logX ? ' Log scale: the runs differ by orders of magnitude.' : ''),
    x: logX ? { label: `${xLabel} (log scale)`, log: true } : { label: xLabel, min: axis === 'epoch' ? 1 : 0, integer: axis === 'epoch' },
    y: { label: `training loss${log ? ' (log scale)' : ''}`, log },
    series,
  };
}

function epochMetric(input: CompareReportInput, key: string): ChartSpec | null {
  // Only a measure every run has is a comparison (an mse run and an mae run report different ones).
  if (!input.runs.every((r) => r.history.history[key] !== undefined)) return null;
  const series: Series[] = [];
  for (const run of input.runs) {
    const h = run.history;
    const values = h.history[`val_${key}`] ?? h.history[key];
    if (values === undefined || values.length === 0) continue;
    series.push({ label: run.label, points: values.map((v, i) => [h.epoch[i]! + 1, finite(v)]) });
  }
  if (series.length === 0) return null;
  const val = input.runs.some((r) => r.history.history[`val_${key}`] !== undefined);
  return { title: `${val ? 'Validation ' : ''}${key} per epoch`, x: { label: 'epoch', min: 1, integer: true }, y: { label: key }, series };
}

/** Mean gradient norm of each layer over the run, one bar group per layer. */
function gradientBars(input: CompareReportInput): Block | null {
  const layers = Math.max(...input.runs.map((r) => r.gradientNorms.layers.length));
  if (!(layers > 0)) return null;
  const categories = Array.from({ length: layers }, (_, l) => (l === 0 ? 'layer 1 (input side)' : l === layers - 1 ? `layer ${l + 1} (output)` : `layer ${l + 1}`));
  return {
    type: 'bars',
    chart: {
      title: 'Mean gradient norm per layer',
      note:
        'Averaged over the recorded iterations. When the bars shrink by orders of magnitude towards the input side, the first layers barely learn: vanishing gradients' +
        (input.varied === 'activation' ? ' (sigmoid flattens out: its derivative is at most 0.25, and backpropagation multiplies one such factor per layer).' : '.'),
      categories,
      y: { label: '‖gradient‖ (log scale)', log: true },
      series: input.runs.map((run) => ({
        label: run.label,
        values: categories.map((_, l) => {
          const s = run.gradientNorms.norms[l]?.filter(Number.isFinite) ?? [];
          return s.length === 0 ? null : s.reduce((a, b) => a + b, 0) / s.length;
        }),
      })),
    },
  };
}

export function renderCompareReport(input: CompareReportInput): string {
  const { runs } = input;
  const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.test ?? {})))];
  const table: Block = {
    type: 'table',
    title: 'Runs (same data, same seed, same initial weights where the network is the same)',
    header: ['run', 'iterations per epoch', 'iterations', 'time', 'final training loss', 'final validation loss', ...metricKeys.map((k) => `test ${k}`), 'outcome'],
    rows: runs.map((r) => [
      r.label,
      String(r.history.iterationsPerEpoch),
      String(r.history.iterationLoss.length),
      `${(r.seconds.at(-1) ?? 0).toFixed(2)} s`,
      r.history.history.loss?.length ? formatNumber(r.history.history.loss.at(-1)!) : '—',
      r.history.history.val_loss?.length ? formatNumber(r.history.history.val_loss.at(-1)!) : '—',
      ...metricKeys.map((k) => (r.test?.[k] === undefined ? '—' : formatNumber(r.test[k]!))),
      r.outcome || 'finished',
    ]),
  };
  const curves: Block[] = [table, { type: 'chart', chart: lossAgainst(input, 'iteration') }, { type: 'chart', chart: lossAgainst(input, 'epoch') }, { type: 'chart', chart: lossAgainst(input, 'seconds') }];
  for (const key of ['accuracy', 'mae', 'mse']) {
    const chart = epochMetric(input, key);
    if (chart) curves.push({ type: 'chart', chart });
  }
  const sections: Section[] = [{ title: `What changes with the ${input.varied}`, blocks: curves }];

  const gradients: Block[] = [];
  const bars = gradientBars(input);
  // With a single layer there is nothing to compare across depth.
  if (bars && Math.max(...runs.map((r) => r.gradientNorms.layers.length)) > 1) gradients.push(bars);
  if (input.varied === 'activation') for (const run of runs) gradients.push({ type: 'chart', chart: gradientNormChart(run.gradientNorms, `Gradient norm per layer — ${run.label}`) });
  if (gradients.length > 0) sections.push({ title: 'Gradients by layer', blocks: gradients });

  if (input.data !== undefined && runs.some((r) => r.fit)) {
    const series: Series[] = [{ label: 'training data', style: 'points', color: '#9a9a9a', points: input.data.x.map((x, i) => [x, input.data!.y[i]!]) }];
    runs.forEach((r, k) => r.fit && series.push({ label: r.label, points: r.fit.x.map((x, i) => [x, finite(r.fit!.y[i])]), color: ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd'][k % 5]! }));
    sections.push({
      title: 'The fitted functions',
      blocks: [
        {
          type: 'chart',
          chart: {
            title: 'Training data and what each run learned',
            wide: true,
            note: 'Outliers pull a mean-squared-error fit towards them (a large error weighs quadratically); a mean-absolute-error fit stays with the bulk of the data.',
            x: { label: 'input x' },
            y: { label: 'target y' },
            series,
          },
        },
      ],
    });
  }
  return renderPage({ title: input.title, subtitle: input.subtitle, summary: input.summary, warnings: input.warnings, sections }, input.footer);
}
