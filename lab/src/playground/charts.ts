/**
 * Live train and test curves per epoch (loss, and accuracy for classification), and the loss
 * of every iteration's batch (raw, and smoothed so the trend shows through the noise of small
 * batches). In compare mode the previous run's curves stay on the epoch charts, dashed.
 */
import { LineChart, type SeriesSpec } from '../common/chart.js';
import { okabeIto } from '../common/colors.js';
import { t } from '../common/i18n.js';
import { RunningSmoother } from './smoothing.js';
import { thinnedIndices } from './thinning.js';
import type { EpochRecord } from './trainer.js';

/** Epochs drawn at most on the epoch charts; longer runs are thinned (the CSV keeps every epoch). */
export const MAX_EPOCH_POINTS = 1500;

export class TrainingCharts {
  private readonly loss: LineChart;
  private readonly lossHost: HTMLElement;
  private readonly accuracy: LineChart;
  private previous: EpochRecord[] | null = null;

  constructor(lossHost: HTMLElement, accuracyHost: HTMLElement, lossHeight = 220) {
    this.lossHost = lossHost;
    const series = (): SeriesSpec[] => [
      { label: () => t('pg.chart.train'), color: okabeIto.blue },
      { label: () => t('pg.chart.test'), color: okabeIto.vermillion, dash: [8, 4] },
      { label: () => t('pg.chart.prevTrain'), color: okabeIto.sky, dash: [2, 3], width: 1.5 },
      { label: () => t('pg.chart.prevTest'), color: okabeIto.orange, dash: [2, 3], width: 1.5 },
    ];
    // The charts draw a thinned copy of a long run; their CSV export is every epoch.
    this.loss = new LineChart(lossHost, {
      xLabel: () => t('chart.epoch'),
      yLabel: () => t('chart.loss'),
      series: series(),
      height: lossHeight,
      description: () => t('pg.chart.lossDescription'),
      csv: () => this.rows((r) => [r.trainLoss, r.testLoss]),
    });
    this.accuracy = new LineChart(accuracyHost, {
      xLabel: () => t('chart.epoch'),
      yLabel: () => t('chart.accuracy'),
      series: series(),
      height: 220,
      yRange: [0, 1],
      description: () => t('pg.chart.accuracyDescription'),
      csv: () => this.rows((r) => [r.trainAccuracy, r.testAccuracy]),
    });
  }

  private current: readonly EpochRecord[] = [];

  /** Every epoch of this run and the previous one: epoch, this run's two values, the previous run's two. */
  private rows(values: (r: EpochRecord) => [number | null, number | null]): (string | number | null)[][] {
    const prev = this.previous ?? [];
    const n = Math.max(this.current.length, prev.length);
    const header = [t('chart.epoch'), t('pg.chart.train'), t('pg.chart.test'), t('pg.chart.prevTrain'), t('pg.chart.prevTest')];
    const pick = (r: EpochRecord | undefined): [number | null, number | null] => (r === undefined ? [null, null] : values(r));
    return [header, ...Array.from({ length: n }, (_, i) => [i, ...pick(this.current[i]), ...pick(prev[i])])];
  }

  /** Keep `records` as the run to compare against (null: no comparison). */
  setPrevious(records: EpochRecord[] | null): void {
    this.previous = records === null ? null : records.slice();
  }

  update(records: readonly EpochRecord[]): void {
    this.current = records;
    const prev = this.previous ?? [];
    // How many epochs of the previous run are drawn (tests and curious readers can see it).
    if (this.lossHost.dataset.previousEpochs !== String(prev.length)) this.lossHost.dataset.previousEpochs = String(prev.length);
    const n = Math.max(records.length, prev.length);
    const xs = thinnedIndices(n, MAX_EPOCH_POINTS);
    this.lossHost.dataset.drawnEpochs = String(xs.length);
    const column = (rs: readonly EpochRecord[], f: (r: EpochRecord) => number | null): (number | null)[] =>
      xs.map((i) => {
        const r = rs[i];
        const v = r === undefined ? null : f(r);
        return v !== null && Number.isFinite(v) ? v : null;
      });
    this.loss.setData(xs, [column(records, (r) => r.trainLoss), column(records, (r) => r.testLoss), column(prev, (r) => r.trainLoss), column(prev, (r) => r.testLoss)]);
    this.accuracy.setData(xs, [
      column(records, (r) => r.trainAccuracy),
      column(records, (r) => r.testAccuracy),
      column(prev, (r) => r.trainAccuracy),
      column(prev, (r) => r.testAccuracy),
    ]);
  }
}

/** Points drawn at most on the iteration chart; longer runs are thinned to every k-th iteration. */
export const MAX_ITERATION_POINTS = 1500;
/** The loss of every iteration's batch, raw (thin) and smoothed (thick). */
export class IterationChart {
  private readonly chart: LineChart;
  private drawn = -1;
  private readonly smoother = new RunningSmoother();

  constructor(private readonly host: HTMLElement, height = 160) {
    this.chart = new LineChart(host, {
      xLabel: () => t('chart.iteration'),
      yLabel: () => t('chart.loss'),
      series: [
        { label: () => t('pg.chart.batchLoss'), color: okabeIto.sky, width: 1 },
        { label: () => t('pg.chart.smoothed'), color: okabeIto.blue, width: 2.5 },
      ],
      height,
      description: () => t('pg.chart.iterationDescription'),
      // The playground exports every iteration's loss itself; the chart holds a thinned copy.
      figure: false,
    });
  }

  /** Redraw if there are new iterations (cheap to call every frame). */
  update(losses: readonly number[]): void {
    if (losses.length === this.drawn) return;
    this.drawn = losses.length;
    const smooth = this.smoother.extend(losses);
    const xs: number[] = [];
    const raw: number[] = [];
    const trend: number[] = [];
    for (const i of thinnedIndices(losses.length, MAX_ITERATION_POINTS)) {
      xs.push(i + 1);
      raw.push(losses[i]!);
      trend.push(smooth[i]!);
    }
    this.host.dataset.iterations = String(losses.length);
    this.host.dataset.last = losses.length > 0 ? String(losses.at(-1)) : '';
    this.chart.setData(xs, [raw, trend]);
  }

  /** Forget what was drawn (a new run). */
  reset(): void {
    this.drawn = -1;
    this.smoother.reset();
  }
}
