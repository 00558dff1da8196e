/**
 * The vanishing-gradient experiment: two deep, narrow networks that differ only in the
 * activation, trained side by side; bars show ‖∂L/∂W‖ of every layer as they learn.
 */
import { binaryCrossentropy, circles, DataLoader, Dense, manualSeed, Sequential, SGD, type Tensor } from '../../../src/index.js';
import { BarChart } from '../common/bars.js';
import { LineChart } from '../common/chart.js';
import { okabeIto } from '../common/colors.js';
import { button, slider } from '../common/controls.js';
import { el, fmt } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';

const WIDTH = 8;
const FRAME_BUDGET_MS = 9;
type Kind = 'sigmoid' | 'relu';

interface Run {
  kind: Kind;
  model: Sequential;
  optimizer: SGD;
  loader: DataLoader;
  batches: Iterator<{ x: Tensor; y: Tensor | null }>;
  /** Smoothed gradient norm per layer (an average over recent iterations reads steadier). */
  gradNorms: number[];
  losses: number[];
}

function makeRun(kind: Kind, depth: number, x: Tensor, y: Tensor): Run {
  manualSeed(11);
  const layers: Dense[] = [];
  for (let l = 0; l < depth; l++) {
    layers.push(new Dense(WIDTH, { activation: kind, inputDim: l === 0 ? 2 : WIDTH, kernelInitializer: kind === 'relu' ? 'heUniform' : 'glorotUniform' }));
  }
  layers.push(new Dense(1, { activation: 'sigmoid', inputDim: WIDTH }));
  const model = new Sequential(layers);
  const loader = new DataLoader(x, y, { batchSize: 32, shuffle: true, seed: 5 });
  return {
    kind,
    model,
    optimizer: new SGD(model.parameters(), { learningRate: 0.05, momentum: 0.9 }),
    loader,
    batches: loader[Symbol.iterator](),
    gradNorms: layers.map(() => Number.NaN),
    losses: [],
  };
}

function norm(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! * values[i]!;
  return Math.sqrt(s);
}

/** One iteration (or only the gradients, with update = false). */
function iterate(run: Run, update: boolean): void {
  let next = run.batches.next();
  if (next.done) {
    run.batches = run.loader[Symbol.iterator]();
    next = run.batches.next();
  }
  const { x, y } = next.value as { x: Tensor; y: Tensor };
  const loss = binaryCrossentropy(y.reshape([-1, 1]), run.model.forward(x));
  run.optimizer.zeroGrad();
  loss.backward();
  (run.model.layers as Dense[]).forEach((layer, l) => {
    const g = norm(layer.kernel!.grad!.data);
    const old = run.gradNorms[l]!;
    run.gradNorms[l] = Number.isNaN(old) ? g : 0.9 * old + 0.1 * g;
  });
  if (update) {
    run.optimizer.step();
    run.losses.push(loss.item());
  }
}

export function mountVanishing(host: HTMLElement): void {
  const depth = slider({ id: 'van-depth', label: 'act.vanishing.depth', min: 3, max: 12, step: 1, value: 10, format: (v) => String(v) });
  const play = button({ id: 'van-play', label: 'control.play', kind: 'primary' });
  const reset = button({ id: 'van-reset', label: 'control.reset' });
  const barCanvas = el('canvas', { class: 'plot', id: 'van-bars', role: 'img' });
  const lossHost = el('div', { id: 'van-loss' });
  const status = el('p', { class: 'status', id: 'van-status', 'aria-live': 'polite' });
  host.append(
    el('div', { class: 'controls' }, depth.root, el('div', { class: 'buttons' }, play, reset)),
    el('p', { class: 'note', 'data-i18n': 'act.vanishing.width' }),
    el('div', { class: 'grid even' }, el('div', { class: 'card' }, el('h3', { 'data-i18n': 'act.vanishing.bars' }), barCanvas), el('div', { class: 'card' }, el('h3', { 'data-i18n': 'act.vanishing.lossChart' }), lossHost)),
    status,
  );
  const bars = new BarChart(barCanvas, 0.6);
  const lossChart = new LineChart(lossHost, {
    xLabel: () => t('chart.iteration'),
    yLabel: () => t('chart.loss'),
    series: [
      { label: () => t('act.vanishing.sigmoid'), color: okabeIto.orange },
      { label: () => t('act.vanishing.relu'), color: okabeIto.blue, dash: [6, 4] },
    ],
    height: 240,
  });

  const data = circles({ n: 240, noise: 0.08, seed: 3 });
  let runs: Run[] = [];
  let playing = false;

  function restart(): void {
    playing = false;
    setPlayLabel();
    runs = (['sigmoid', 'relu'] as const).map((kind) => makeRun(kind, depth.value, data.x, data.y));
    // Gradients before any update, so the bars show the problem from the first moment.
    for (const run of runs) iterate(run, false);
    show();
  }

  function setPlayLabel(): void {
    play.dataset.i18n = playing ? 'control.pause' : 'control.play';
    play.textContent = t(playing ? 'control.pause' : 'control.play');
  }

  function show(): void {
    const [sig, rel] = runs as [Run, Run];
    bars.set({
      categories: sig.gradNorms.map((_, l) => String(l + 1)),
      series: [
        { label: t('act.vanishing.sigmoid'), color: okabeIto.orange, values: sig.gradNorms },
        { label: t('act.vanishing.relu'), color: okabeIto.blue, values: rel.gradNorms },
      ],
      xLabel: t('act.vanishing.layer'),
      yLabel: '‖∂L/∂W‖',
      log: true,
    });
    const n = Math.max(sig.losses.length, rel.losses.length);
    // Every iteration up to a few thousand; beyond that a stride keeps the chart light.
    const stride = Math.max(1, Math.ceil(n / 1500));
    const xs: number[] = [];
    const a: (number | null)[] = [];
    const b: (number | null)[] = [];
    for (let i = 0; i < n; i += stride) {
      xs.push(i + 1);
      a.push(sig.losses[i] ?? null);
      b.push(rel.losses[i] ?? null);
    }
    lossChart.setData(xs, [a, b]);
    const last = (r: Run): string => (r.losses.length ? fmt(r.losses.at(-1)!, 3) : '—');
    status.textContent =
      t('act.vanishing.status', { iteration: sig.losses.length, sigmoid: last(sig), relu: last(rel), gs: fmt(sig.gradNorms[0]!, 2), gr: fmt(rel.gradNorms[0]!, 2) }) +
      ' ' +
      t('act.vanishing.ratio', { ratio: fmt(sig.gradNorms.at(-1)! / sig.gradNorms[0]!, 2) });
    status.dataset.firstLayerSigmoid = String(sig.gradNorms[0]);
    status.dataset.firstLayerRelu = String(rel.gradNorms[0]);
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
  onLanguageChange(() => runs.length > 0 && show(), false);
  restart();
}
