/**
 * The vanishing-gradient experiment: deep, narrow networks that differ only in the activation,
 * trained side by side; bars show each layer's ‖∂L/∂W‖ relative to the last hidden layer's (how
 * much of the gradient arrives down there), and each network's loss is named as falling or not.
 */
import { circles } from '../../../src/index.js';
import { BarChart } from '../common/bars.js';
import { LineChart } from '../common/chart.js';
import { okabeIto } from '../common/colors.js';
import { button, checkbox, slider } from '../common/controls.js';
import { el, fmt } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';
import { lossTrend } from '../common/loss-trend.js';
import { deepActivations, iterate, makeRun, relativeNorms, type DeepActivation, type DeepRun } from './deep-runs.js';
import { numberParam, readParams, updateParams } from '../common/url-state.js';

const FRAME_BUDGET_MS = 9;
const names: Record<DeepActivation, string> = { sigmoid: 'sigmoid', tanh: 'tanh', relu: 'ReLU', elu: 'ELU', gelu: 'GELU', swish: 'Swish' };
const colors: Record<DeepActivation, string> = {
  sigmoid: okabeIto.orange,
  tanh: okabeIto.vermillion,
  relu: okabeIto.blue,
  elu: okabeIto.green,
  gelu: okabeIto.purple,
  swish: okabeIto.sky,
};
const dashes: Record<DeepActivation, number[] | undefined> = { sigmoid: undefined, tanh: [2, 3], relu: [6, 4], elu: [10, 3, 2, 3], gelu: [1, 5], swish: [12, 6] };
const shownByDefault: readonly DeepActivation[] = ['sigmoid', 'tanh', 'relu'];

export function mountVanishing(host: HTMLElement): void {
  const params = readParams();
  // Which networks are shown travels as a comma-separated list (van=sigmoid,tanh,relu); unknown names are ignored.
  const fromUrl = (params.get('van') ?? '').split(',').filter((k): k is DeepActivation => (deepActivations as readonly string[]).includes(k));
  const initiallyShown = fromUrl.length > 0 ? fromUrl : shownByDefault;
  const depth = slider({ id: 'van-depth', label: 'act.vanishing.depth', min: 3, max: 12, step: 1, value: Math.round(numberParam(params, 'depth', 10, 3, 12)), format: (v) => String(v) });
  const play = button({ id: 'van-play', label: 'control.play', kind: 'primary' });
  const reset = button({ id: 'van-reset', label: 'control.reset' });
  const picks = deepActivations.map((kind) => {
    const box = checkbox({ id: `van-${kind}`, label: 'act.vanishing.include', checked: initiallyShown.includes(kind) });
    return { kind, ...box };
  });
  const barCanvas = el('canvas', { class: 'plot', id: 'van-bars', role: 'img' });
  const lossHost = el('div', { id: 'van-loss' });
  const summary = el('ul', { class: 'summary', id: 'van-summary', 'aria-live': 'polite' });
  const status = el('p', { class: 'status', id: 'van-status', 'aria-live': 'polite' });
  host.append(
    el('div', { class: 'controls' }, depth.root, el('div', { class: 'buttons' }, play, reset)),
    el('fieldset', { class: 'choices', style: 'display:flex;flex-wrap:wrap;gap:0.25rem 1.25rem' }, el('legend', { 'data-i18n': 'act.vanishing.compare' }), ...picks.map((p) => p.root)),
    el('p', { class: 'note', 'data-i18n': 'act.vanishing.width' }),
    el('div', { class: 'grid even' }, el('div', { class: 'card' }, el('h3', { 'data-i18n': 'act.vanishing.bars' }), barCanvas, el('p', { class: 'note', 'data-i18n': 'act.vanishing.barsNote' })), el('div', { class: 'card' }, el('h3', { 'data-i18n': 'act.vanishing.lossChart' }), lossHost)),
    summary,
    status,
  );
  const bars = new BarChart(barCanvas, 0.6);
  const lossChart = new LineChart(lossHost, {
    xLabel: () => t('chart.iteration'),
    yLabel: () => t('chart.loss'),
    series: deepActivations.map((kind) => ({ label: () => names[kind], color: colors[kind], ...(dashes[kind] ? { dash: dashes[kind] } : {}) })),
    height: 240,
  });

  const data = circles({ n: 240, noise: 0.08, seed: 3 });
  let runs: DeepRun[] = [];
  /** Relative first-layer gradient of each network before any update (the like-with-like start). */
  let atStart = new Map<DeepActivation, number>();
  let playing = false;

  function chosen(): DeepActivation[] {
    const kinds = picks.filter((p) => p.input.checked).map((p) => p.kind);
    return kinds.length > 0 ? kinds : ['sigmoid'];
  }

  function restart(): void {
    playing = false;
    setPlayLabel();
    runs = chosen().map((kind) => makeRun(kind, depth.value, data.x, data.y));
    updateParams({ depth: String(depth.value), van: chosen().join(',') });
    // Gradients before any update, so the bars show the problem from the first moment.
    for (const run of runs) iterate(run, false);
    atStart = new Map(runs.map((r) => [r.kind, relativeNorms(r)[0]!]));
    const sigmoid = runs.find((r) => r.kind === 'sigmoid');
    const relu = runs.find((r) => r.kind === 'relu');
    status.dataset.firstLayerSigmoid = sigmoid ? String(sigmoid.gradNorms[0]) : '';
    status.dataset.firstLayerRelu = relu ? String(relu.gradNorms[0]) : '';
    show();
  }

  function setPlayLabel(): void {
    play.dataset.i18n = playing ? 'control.pause' : 'control.play';
    play.textContent = t(playing ? 'control.pause' : 'control.play');
    play.setAttribute('aria-pressed', String(playing));
  }

  function show(): void {
    const relative = runs.map((r) => relativeNorms(r));
    bars.set({
      categories: relative[0]!.map((_, l) => String(l + 1)),
      series: runs.map((r, k) => ({ label: names[r.kind], color: colors[r.kind], values: relative[k]! })),
      xLabel: t('act.vanishing.layer'),
      yLabel: t('act.vanishing.relative'),
      log: true,
    });
    const n = Math.max(...runs.map((r) => r.losses.length));
    // Every iteration up to a few thousand; beyond that a stride keeps the chart light.
    const stride = Math.max(1, Math.ceil(n / 1500));
    const xs: number[] = [];
    for (let i = 0; i < n; i += stride) xs.push(i + 1);
    lossChart.setData(
      xs,
      deepActivations.map((kind) => {
        const run = runs.find((r) => r.kind === kind);
        return xs.map((x) => run?.losses[x - 1] ?? null);
      }),
    );
    summary.replaceChildren(
      ...runs.map((run, k) => {
        const trend = lossTrend(run.losses, { window: 50, minDrop: 0.2 });
        const first = relative[k]![0]!;
        const li = el(
          'li',
          { 'data-kind': run.kind, 'data-trend': trend, 'data-relative-first': String(first), 'data-relative-start': String(atStart.get(run.kind)) },
          el('span', { class: 'swatch', style: `background:${colors[run.kind]}` }),
          ' ',
          t('act.vanishing.line', {
            name: names[run.kind],
            start: fmt(atStart.get(run.kind)!, 2),
            now: fmt(first, 2),
            loss: run.losses.length ? fmt(run.losses.at(-1)!, 3) : '—',
          }),
          trend === 'tooEarly' ? '' : ' ' + t(`act.vanishing.trend.${trend}`),
        );
        return li;
      }),
    );
    status.textContent = t('act.vanishing.status', { iteration: runs[0]!.losses.length });
  }

  function frame(): void {
    if (!playing) return;
    const start = performance.now();
    do {
      for (const run of runs) iterate(run, true);
    } while (performance.now() - start < FRAME_BUDGET_MS);
    show();
    requestAnimationFrame(frame);
  }

  play.addEventListener('click', () => {
    playing = !playing;
    setPlayLabel();
    if (playing) requestAnimationFrame(frame);
  });
  reset.addEventListener('click', restart);
  depth.onChange(restart);
  for (const p of picks) p.input.addEventListener('change', restart);
  onLanguageChange(() => {
    // Each checkbox's label is the activation's own name (the same in both languages).
    for (const p of picks) p.root.querySelector('label')!.textContent = names[p.kind];
    if (runs.length > 0) show();
  }, false);
  for (const p of picks) {
    const label = p.root.querySelector('label')!;
    label.removeAttribute('data-i18n');
    label.textContent = names[p.kind];
  }
  restart();
}
