/**
 * The batch-size trade-off on the batch-processing page: accuracy against training time and
 * against epochs for batches of 1, 32 and 512, each measured several times; samples per second
 * as bars on a linear axis; a table with the medians and their spread.
 */
import { BarChart } from '../common/bars.js';
import { okabeIto } from '../common/colors.js';
import { button, select } from '../common/controls.js';
import { el, fmt } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';
import { CurvePlot } from './plot.js';
import type { FromTradeoffWorker, ToTradeoffWorker } from './protocol.js';
import { summarize, TRADEOFF_BATCHES, type Spread, type TradeoffRun } from './tradeoff.js';

const looks: Record<number, { color: string; dash: number[] }> = {
  1: { color: okabeIto.vermillion, dash: [] },
  32: { color: okabeIto.blue, dash: [8, 4] },
  512: { color: okabeIto.green, dash: [2, 3] },
};

export function mountTradeoff(host: HTMLElement): void {
  const seconds = select<'1' | '2' | '4'>({ id: 'tradeoff-seconds', label: 'tradeoff.seconds', choices: (['1', '2', '4'] as const).map((s) => ({ value: s, text: `${s} s` })), value: '2' });
  const repeats = select<'2' | '3' | '5'>({ id: 'tradeoff-repeats', label: 'tradeoff.repeats', choices: (['2', '3', '5'] as const).map((s) => ({ value: s, text: s })), value: '3' });
  const runButton = button({ id: 'tradeoff-run', label: 'tradeoff.run', kind: 'primary' });
  const status = el('p', { class: 'status', id: 'tradeoff-status', 'aria-live': 'polite' });
  const timeCanvas = el('canvas', { class: 'plot', id: 'tradeoff-time', role: 'img' });
  const epochCanvas = el('canvas', { class: 'plot', id: 'tradeoff-epochs', role: 'img' });
  const rateCanvas = el('canvas', { class: 'plot', id: 'tradeoff-rate', role: 'img' });
  const table = el('table', { class: 'matrix', id: 'tradeoff-table' });
  const conclusion = el('p', { id: 'tradeoff-conclusion' });
  host.append(
    el('div', { class: 'controls' }, seconds.root, repeats.root, el('div', { class: 'buttons' }, runButton)),
    status,
    el(
      'div',
      { class: 'grid even' },
      el('div', { class: 'card' }, el('h3', { 'data-i18n': 'tradeoff.timeTitle' }), timeCanvas),
      el('div', { class: 'card' }, el('h3', { 'data-i18n': 'tradeoff.epochTitle' }), epochCanvas),
    ),
    el('div', { class: 'grid even' }, el('div', { class: 'card' }, el('h3', { 'data-i18n': 'tradeoff.rateTitle' }), rateCanvas), el('div', { class: 'card table-wrap' }, table, conclusion)),
  );
  const timePlot = new CurvePlot(timeCanvas);
  const epochPlot = new CurvePlot(epochCanvas);
  const bars = new BarChart(rateCanvas, 0.55);

  let worker: Worker | null = null;
  let runs: TradeoffRun[] = [];
  let running = false;

  const range = (s: Spread, digits: number): string => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

  function show(): void {
    if (runs.length === 0) {
      if (!running) status.textContent = t('tradeoff.idle', { runs: Number(repeats.value) * TRADEOFF_BATCHES.length });
      return;
    }
    const legend = TRADEOFF_BATCHES.map((b) => ({ label: t('tradeoff.batch', { size: b }), ...looks[b]! }));
    const maxSeconds = Math.max(...runs.map((r) => r.checkpoints.at(-1)!.seconds));
    timePlot.set(
      {
        curves: runs.map((r) => ({ xs: r.checkpoints.map((c) => c.seconds), ys: r.checkpoints.map((c) => c.accuracy), ...looks[r.batchSize]! })),
        xRange: [0, maxSeconds],
        xLabel: t('tradeoff.timeAxis'),
        yLabel: t('tradeoff.accuracyAxis'),
        legend,
      },
      t('tradeoff.timeTitle'),
    );
    epochPlot.set(
      {
        curves: runs.map((r) => ({ xs: r.checkpoints.map((c) => c.epochs), ys: r.checkpoints.map((c) => c.accuracy), ...looks[r.batchSize]! })),
        xRange: [0, 1],
        xLabel: t('tradeoff.epochAxis'),
        yLabel: t('tradeoff.accuracyAxis'),
        legend,
      },
      t('tradeoff.epochTitle'),
    );
    const summary = summarize(runs);
    bars.set({
      categories: summary.batches.map((b) => String(b.batchSize)),
      series: [{ label: t('tradeoff.rateSeries'), color: okabeIto.blue, values: summary.batches.map((b) => b.samplesPerSecond.median) }],
      xLabel: t('tradeoff.batchAxis'),
      yLabel: t('tradeoff.rateAxis'),
      log: false,
    });
    const epochsLabel = fmt(summary.commonEpochs, 2);
    table.replaceChildren(
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['tradeoff.col.batch', 'tradeoff.col.rate', 'tradeoff.col.epochs', 'tradeoff.col.final'].map((k) => el('th', { scope: 'col' }, t(k as 'tradeoff.col.batch'))),
          el('th', { scope: 'col' }, t('tradeoff.col.atEpochs', { epochs: epochsLabel })),
        ),
      ),
      el(
        'tbody',
        {},
        ...summary.batches.map((b) =>
          el(
            'tr',
            { 'data-batch': b.batchSize, 'data-rate': b.samplesPerSecond.median, 'data-final': b.finalAccuracy.median, 'data-at-epochs': b.accuracyAtCommonEpochs?.median ?? '' },
            el('th', { scope: 'row' }, String(b.batchSize)),
            el('td', {}, range(b.samplesPerSecond, 3)),
            el('td', {}, range(b.epochs, 2)),
            el('td', {}, range(b.finalAccuracy, 3)),
            el('td', {}, b.accuracyAtCommonEpochs === null ? '—' : range(b.accuracyAtCommonEpochs, 3)),
          ),
        ),
      ),
    );
    const count = new Set(runs.map((r) => r.repeat)).size;
    conclusion.textContent = running ? '' : t('tradeoff.note', { repeats: count, seconds: seconds.value });
  }

  function start(): void {
    if (running) return;
    running = true;
    runs = [];
    runButton.disabled = true;
    status.dataset.state = 'running';
    status.textContent = t('tradeoff.loading');
    worker ??= new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FromTradeoffWorker>) => {
      const m = event.data;
      if (m.type === 'progress') status.textContent = t('tradeoff.progress', { done: m.done + 1, total: m.total, size: m.batchSize, repeat: m.repeat + 1 });
      else if (m.type === 'run') {
        runs.push(m.run);
        show();
      } else if (m.type === 'done') {
        running = false;
        runButton.disabled = false;
        status.dataset.state = 'done';
        status.textContent = t('tradeoff.done', { runs: runs.length });
        show();
      } else if (m.type === 'error') {
        running = false;
        runButton.disabled = false;
        status.dataset.state = 'error';
        status.textContent = t('tradeoff.error', { message: m.message });
      }
    };
    const message: ToTradeoffWorker = { type: 'run', repeats: Number(repeats.value), secondsEach: Number(seconds.value) };
    worker.postMessage(message);
  }

  runButton.addEventListener('click', start);
  repeats.onChange(() => show());
  onLanguageChange(() => show());
}
