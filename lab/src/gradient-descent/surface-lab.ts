/**
 * The 2-D section: choose a surface, an optimizer and η; step, play, pause, reset; watch the
 * path, the −∇L arrow, the update with its numbers and the loss per iteration.
 */
import type { OptimizerName } from '../../../src/index.js';
import { LineChart } from '../common/chart.js';
import { okabeIto } from '../common/colors.js';
import { button, select, slider, stat, type Choice } from '../common/controls.js';
import { el, fmt } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';
import { renderMath, texNumber } from '../common/math.js';
import { choiceParam, numberParam, readParams, writeParams } from '../common/url-state.js';
import { defaultKnobs, Descent, lossAndGradient, type BatchMode, type StepRecord } from './descent.js';
import { FitView } from './fit-view.js';
import { lossGrid, type LossGrid } from './heatmap.js';
import { SurfaceView } from './surface-view.js';
import { surfaceIds, surfaces, type Surface, type SurfaceId } from './surfaces.js';
import { compareSoFar, compareWithPlainDescent, finalOutcomes, type Comparison } from './trajectory.js';

const optimizerIds = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam'] as const satisfies readonly OptimizerName[];
type OptimizerId = (typeof optimizerIds)[number];
const batchModes: readonly BatchMode[] = ['batch', 'minibatch', 'stochastic'];
const speeds = ['slow', 'normal', 'fast', 'turbo'] as const;
type Speed = (typeof speeds)[number];
/** Steps per second (slow, normal) or per animation frame (fast, turbo). */
const stepsPer: Record<Speed, { perSecond?: number; perFrame?: number }> = {
  slow: { perSecond: 5 },
  normal: { perSecond: 20 },
  fast: { perFrame: 1 },
  turbo: { perFrame: 10 },
};
const MAX_ITERATIONS = 5000;

export function mountSurfaceLab(host: HTMLElement): void {
  const params = readParams();
  const surfaceSelect = select<SurfaceId>({
    id: 'gd-surface',
    label: 'gd.surface',
    choices: surfaceIds.map((id) => ({ value: id, label: surfaces[id].label })),
    value: choiceParam(params, 'surface', surfaceIds, 'bowl'),
  });
  const optimizerSelect = select<OptimizerId>({
    id: 'gd-optimizer',
    label: 'control.optimizer',
    choices: optimizerIds.map((id): Choice<OptimizerId> => ({ value: id, label: `optimizer.${id}` })),
    value: choiceParam(params, 'opt', optimizerIds, 'sgd'),
  });
  // Three digits, so the text's «pruebe 1.05» can be set (two digits jump from 1 to 1.1).
  const lr = slider({ id: 'gd-lr', label: 'control.learningRate', min: 0.001, max: 3, step: 0.01, value: numberParam(params, 'lr', surfaces[surfaceSelect.value].learningRate, 0.001, 3), log: true, digits: 3 });
  // The knobs on the figure: momentum's μ (momentum, Nesterov) and Adam's β₁, shown with their optimizer.
  const mu = slider({ id: 'gd-mu', label: 'gd.knob.momentum', min: 0, max: 0.99, step: 0.01, value: numberParam(params, 'mu', defaultKnobs.momentum, 0.01, 0.99), format: (v) => fmt(v, 2) });
  const beta1 = slider({ id: 'gd-beta1', label: 'gd.knob.beta1', min: 0, max: 0.999, step: 0.001, value: numberParam(params, 'beta1', defaultKnobs.beta1, 0, 0.999), format: (v) => fmt(v, 3) });
  const beta2 = slider({ id: 'gd-beta2', label: 'gd.knob.beta2', min: 0.5, max: 0.9999, step: 0.0001, value: numberParam(params, 'beta2', defaultKnobs.beta2!, 0.5, 0.9999), format: (v) => fmt(v, 4) });
  mu.input.min = '0.01';
  const batchSelect = select<BatchMode>({
    id: 'gd-batch',
    label: 'gd.batchMode',
    choices: batchModes.map((m) => ({ value: m, label: `gd.batch.${m}` })),
    value: choiceParam(params, 'batch', batchModes, 'batch'),
  });
  const speedSelect = select<Speed>({ id: 'gd-speed', label: 'control.speed', choices: speeds.map((s) => ({ value: s, label: `gd.speed.${s}` })), value: choiceParam(params, 'speed', speeds, 'normal') });
  const playButton = button({ id: 'gd-play', label: 'control.play', kind: 'primary' });
  const stepButton = button({ id: 'gd-step', label: 'control.step' });
  const resetButton = button({ id: 'gd-reset', label: 'control.reset' });

  const canvas = el('canvas', { class: 'plot', id: 'gd-canvas', tabindex: 0, role: 'img', 'data-i18n-aria-label': 'gd.canvas' });
  const about = el('p', { class: 'note', id: 'gd-about' });
  const status = el('p', { class: 'status', id: 'gd-status', role: 'status', 'aria-live': 'polite' });
  // What momentum (or Adam) did here against plain gradient descent from the same start and η.
  const verdict = el('p', { class: 'note', id: 'gd-verdict', 'aria-live': 'polite' });
  const stats = {
    iteration: stat('gd-iteration', 'gd.stat.iteration'),
    epoch: stat('gd-epoch', 'gd.stat.epoch'),
    loss: stat('gd-loss', 'gd.stat.loss'),
    grad: stat('gd-grad', 'gd.stat.gradNorm'),
    point: stat('gd-point', 'gd.stat.point'),
  };
  const formula = el('div', { class: 'formula', id: 'gd-formula' });
  const formulaNote = el('p', { class: 'note', id: 'gd-formula-note' });
  const chartHost = el('div', { id: 'gd-chart' });
  const fitCanvas = el('canvas', { class: 'plot', id: 'gd-fit', role: 'img', 'data-i18n-aria-label': 'gd.fit.canvas' });
  const fitCard = el('div', { class: 'card', id: 'gd-fit-card' }, el('h3', { 'data-i18n': 'gd.fit.title' }), fitCanvas);
  const legend = el(
    'p',
    { class: 'legend' },
    el('span', {}, el('span', { class: 'swatch', style: 'background:#fff;border:1px solid #000' }), el('span', { 'data-i18n': 'gd.legend.path' })),
    el('span', {}, el('span', { class: 'swatch', style: `background:${okabeIto.sky};border:1px solid #000` }), el('span', { 'data-i18n': 'gd.legend.start' })),
    el('span', {}, el('span', { class: 'swatch', style: `background:${okabeIto.orange};border-radius:50%;border:1px solid #000` }), el('span', { 'data-i18n': 'gd.legend.current' })),
    el('span', {}, el('span', { class: 'swatch', style: `background:${okabeIto.orange}` }), el('span', { 'data-i18n': 'gd.legend.arrow' })),
    el('span', {}, '✕ ', el('span', { 'data-i18n': 'gd.legend.min' })),
  );

  host.append(
    el(
      'div',
      { class: 'grid' },
      // μ, β₁ and β₂ sit on the figure's own edge, right under the path they shape (not in the
      // side panel): move one and watch the path and the caption below change, without covering the path.
      el('div', { class: 'card' }, canvas, el('div', { class: 'controls figure-knobs', id: 'gd-figure-knobs' }, mu.root, beta1.root, beta2.root), legend, el('div', { class: 'buttons' }, playButton, stepButton, resetButton), status, verdict),
      el(
        'div',
        { class: 'card' },
        el('div', { class: 'controls' }, surfaceSelect.root, optimizerSelect.root, lr.root, batchSelect.root, speedSelect.root),
        about,
        el('div', { class: 'stats' }, ...Object.values(stats).map((s) => s.root)),
        el('h3', { 'data-i18n': 'gd.update.title' }),
        formula,
        formulaNote,
        el('h3', { 'data-i18n': 'gd.chart.title' }),
        chartHost,
      ),
    ),
    fitCard,
  );

  const chart = new LineChart(chartHost, {
    xLabel: () => t('chart.iteration'),
    yLabel: () => t('chart.loss'),
    // The noisy batch losses first, so the full loss is drawn on top of them.
    series: [
      { label: () => t('gd.chart.batch'), color: okabeIto.vermillion, pointsOnly: true },
      { label: () => t('gd.chart.full'), color: okabeIto.blue, width: 2.5 },
    ],
    height: 200,
    description: () => t('gd.chart.description'),
  });
  const view = new SurfaceView(canvas, (w) => {
    start = w;
    restart();
  });
  const fitView = new FitView(fitCanvas);

  let surface: Surface = surfaces[surfaceSelect.value];
  let grid: LossGrid = lossGrid(surface, surface.data ? 90 : 140);
  let start: [number, number] = [
    numberParam(params, 'w1', surface.start[0], surface.domain[0][0], surface.domain[0][1]),
    numberParam(params, 'w2', surface.start[1], surface.domain[1][0], surface.domain[1][1]),
  ];
  let descent: Descent;
  /** Plain gradient descent from the same start with the same η, run out of sight (for the captions). */
  let plain: { outcome: Descent['outcome']; iterations: number; losses: readonly number[] } | null = null;
  let playing = false;
  let pending = 0;
  let lastTime = 0;

  function saveUrl(): void {
    writeParams({
      surface: surface.id,
      opt: optimizerSelect.value,
      lr: String(lr.value),
      ...(usesMomentum() ? { mu: String(mu.value) } : {}),
      ...(optimizerSelect.value === 'adam' ? { beta1: String(beta1.value), beta2: String(beta2.value) } : {}),
      ...(surface.data ? { batch: batchSelect.value } : {}),
      speed: speedSelect.value,
      w1: String(start[0]),
      w2: String(start[1]),
    });
  }

  function usesMomentum(): boolean {
    return optimizerSelect.value === 'momentum' || optimizerSelect.value === 'nesterov';
  }

  function knobs(): { momentum: number; beta1: number; beta2: number } {
    return { momentum: mu.value, beta1: beta1.value, beta2: beta2.value };
  }

  function restart(): void {
    setPlaying(false);
    mu.root.hidden = !usesMomentum();
    beta1.root.hidden = optimizerSelect.value !== 'adam';
    beta2.root.hidden = optimizerSelect.value !== 'adam';
    descent = new Descent(surface, start, optimizerSelect.value, lr.value, batchSelect.value, [grid.min, grid.max], 1, knobs());
    plain = null;
    saveUrl();
    render(null);
  }

  /**
   * Once a momentum or Adam path has ended, the same start and η with plain gradient descent
   * (run out of sight; a 2-D surface takes milliseconds), so the caption says which was better.
   */
  function comparable(): boolean {
    const name = descent.optimizerName;
    return surface.data === undefined && (name === 'momentum' || name === 'nesterov' || name === 'adam');
  }

  function plainReference(): NonNullable<typeof plain> {
    if (plain === null) {
      const reference = new Descent(surface, descent.path[0]!, 'sgd', descent.learningRate, 'batch', [grid.min, grid.max]);
      reference.runToEnd(MAX_ITERATIONS);
      plain = { outcome: reference.outcome, iterations: reference.iteration, losses: reference.losses };
    }
    return plain;
  }

  function comparison(): { kind: Comparison; plainIterations: number } | null {
    if (!comparable()) return null;
    if (!finalOutcomes.has(descent.outcome) && descent.iteration < MAX_ITERATIONS) return null;
    const reference = plainReference();
    return { kind: compareWithPlainDescent({ outcome: descent.outcome, iterations: descent.iteration }, reference), plainIterations: reference.iterations };
  }

  function changeSurface(id: SurfaceId): void {
    surface = surfaces[id];
    grid = lossGrid(surface, surface.data ? 90 : 140);
    start = [surface.start[0], surface.start[1]];
    lr.value = surface.learningRate;
    view.setSurface(surface, grid);
    batchSelect.root.hidden = surface.data === undefined;
    fitCard.hidden = surface.data === undefined;
    restart();
  }

  function setPlaying(on: boolean): void {
    playing = on;
    playButton.dataset.i18n = on ? 'control.pause' : 'control.play';
    playButton.textContent = t(on ? 'control.pause' : 'control.play');
    playButton.setAttribute('aria-pressed', String(on));
    if (on) {
      lastTime = performance.now();
      pending = 0;
      requestAnimationFrame(tick);
    } else if (descent !== undefined) {
      status.textContent = statusText();
      status.dataset.state = descent.outcome === 'running' ? 'idle' : descent.outcome;
    }
  }

  function finished(): boolean {
    return finalOutcomes.has(descent.outcome) || descent.iteration >= MAX_ITERATIONS;
  }

  function tick(now: number): void {
    if (!playing) return;
    const speed = stepsPer[speedSelect.value];
    if (speed.perFrame !== undefined) pending += speed.perFrame;
    else pending += (Math.min(now - lastTime, 250) / 1000) * speed.perSecond!;
    lastTime = now;
    let last: StepRecord | null = null;
    while (pending >= 1 && !finished()) {
      last = descent.step();
      pending -= 1;
    }
    if (last !== null) render(last);
    if (finished()) {
      setPlaying(false);
      render(descent.steps.at(-1) ?? null);
      return;
    }
    requestAnimationFrame(tick);
  }

  function render(last: StepRecord | null): void {
    const point = descent.point;
    const here = lossAndGradient(surface, point);
    view.setPath({ path: descent.path, gradient: here.gradient });
    about.textContent = t(surface.about);
    stats.iteration.value.textContent = String(descent.iteration);
    stats.epoch.value.textContent = surface.data ? fmt(descent.iteration / descent.iterationsPerEpoch, 3) : '—';
    stats.loss.value.textContent = fmt(here.loss, 4);
    stats.grad.value.textContent = fmt(Math.hypot(...here.gradient), 3);
    stats.point.value.textContent = `(${fmt(point[0], 3)}, ${fmt(point[1], 3)})`;
    status.dataset.state = descent.outcome === 'running' ? (playing ? 'running' : 'idle') : descent.outcome;
    status.dataset.w1 = String(point[0]);
    status.dataset.w2 = String(point[1]);
    status.dataset.iteration = String(descent.iteration);
    status.textContent = statusText();
    renderUpdate(last);
    renderVerdict();
    const xs = descent.losses.map((_, k) => k);
    const batchLosses = surface.data && batchSelect.value !== 'batch' ? [null, ...descent.steps.map((s) => s.batchLoss)] : descent.losses.map(() => null);
    chart.setData(xs, [batchLosses, descent.losses.map((v) => (Number.isFinite(v) ? v : null))]);
    if (surface.data) fitView.setLine(point[0], point[1]);
  }

  function statusText(): string {
    const values = { iteration: descent.iteration, lr: fmt(lr.value, 3), loss: fmt(descent.losses.at(-1)!, 4), min: fmt(grid.min, 4) };
    switch (descent.outcome) {
      case 'diverged': return t('gd.status.diverged', values);
      case 'converged': return t('gd.status.converged', values);
      case 'flat': return t('gd.status.flat', values);
      case 'oscillating': return t('gd.status.oscillating', values);
      case 'hovering': return t('gd.status.hovering', { ...values, optimizer: t(`optimizer.${descent.optimizerName as OptimizerId}`) });
      case 'stalled': return t('gd.status.stalled', values);
      case 'noisy': return t('gd.status.noisy', values);
      case 'running':
        if (descent.iteration >= MAX_ITERATIONS) return t('gd.status.limit', values);
        if (descent.iteration === 0) return t('gd.status.ready');
        return t(playing ? 'gd.status.running' : 'gd.status.paused', values);
    }
  }

  function renderVerdict(): void {
    const result = comparison();
    const knob = descent.optimizerName === 'adam' ? `β₁ = ${fmt(beta1.value, 3)}, β₂ = ${fmt(beta2.value, 4)}` : `μ = ${fmt(mu.value, 2)}`;
    verdict.dataset.comparison = result?.kind ?? 'none';
    delete verdict.dataset.live;
    if (result === null && comparable() && descent.iteration > 0) {
      // While it plays: against plain descent at the same iteration, and an overshoot named as
      // soon as it costs the lead (momentum's loss may rise once and still win).
      const live = compareSoFar(descent.losses, plainReference().losses, [grid.min, grid.max]);
      const values = { optimizer: t(`optimizer.${descent.optimizerName as OptimizerId}`), iteration: descent.iteration, lr: fmt(lr.value, 3), knob, loss: fmt(descent.losses.at(-1)!, 4), plainLoss: fmt(live.plainLoss, 4) };
      const overshooting = live.standing === 'behind' && live.firstRise !== null;
      verdict.dataset.live = overshooting ? 'overshooting' : live.standing;
      verdict.textContent =
        t(`gd.live.${live.standing}`, values) + (overshooting ? ' ' + t('gd.live.overshooting', { rise: live.firstRise!, knobName: descent.optimizerName === 'adam' ? 'β₁' : 'μ' }) : '');
      return;
    }
    if (result === null || result.kind === 'none') {
      verdict.textContent = '';
      return;
    }
    const values = { optimizer: t(`optimizer.${descent.optimizerName as OptimizerId}`), iterations: descent.iteration, plain: result.plainIterations, lr: fmt(lr.value, 3), knob };
    verdict.textContent = t(`gd.verdict.${result.kind}`, values);
  }

  function vector(a: number, b: number): string {
    return `\\begin{pmatrix} ${texNumber(a, 3)} \\\\ ${texNumber(b, 3)} \\end{pmatrix}`;
  }

  function renderUpdate(last: StepRecord | null): void {
    if (last === null) {
      formula.textContent = t('gd.update.none');
      formulaNote.textContent = '';
      return;
    }
    const { before, after, gradient, learningRate } = last;
    // One line per equation, so the formula fits a side panel (and a phone).
    const rule: Record<OptimizerId, string[]> = {
      sgd: ['\\mathbf{w} \\leftarrow \\mathbf{w} - \\eta\\,\\nabla L(\\mathbf{w})'],
      momentum: [`\\mathbf{v} \\leftarrow \\mu\\mathbf{v} + \\nabla L \\quad (\\mu = ${texNumber(descent.knobs.momentum)})`, '\\mathbf{w} \\leftarrow \\mathbf{w} - \\eta\\,\\mathbf{v}'],
      nesterov: [`\\mathbf{v} \\leftarrow \\mu\\mathbf{v} + \\nabla L \\quad (\\mu = ${texNumber(descent.knobs.momentum)})`, '\\mathbf{w} \\leftarrow \\mathbf{w} - \\eta\\,(\\nabla L + \\mu\\mathbf{v})'],
      rmsprop: ['\\mathbf{s} \\leftarrow \\rho\\,\\mathbf{s} + (1-\\rho)\\,(\\nabla L)^2', '\\mathbf{w} \\leftarrow \\mathbf{w} - \\eta\\,\\nabla L / (\\sqrt{\\mathbf{s}} + \\epsilon)'],
      adam: [
        `\\mathbf{m} \\leftarrow \\beta_1\\mathbf{m} + (1-\\beta_1)\\nabla L \\quad (\\beta_1 = ${texNumber(descent.knobs.beta1)})`,
        `\\mathbf{v} \\leftarrow \\beta_2\\mathbf{v} + (1-\\beta_2)(\\nabla L)^2 \\quad (\\beta_2 = ${texNumber(descent.knobs.beta2 ?? 0.999)})`,
        '\\mathbf{w} \\leftarrow \\mathbf{w} - \\eta\\,\\hat{\\mathbf{m}} / (\\sqrt{\\hat{\\mathbf{v}}} + \\epsilon)',
      ],
    };
    const numbers =
      descent.optimizerName === 'sgd'
        ? [`${vector(...after)} = ${vector(...before)} - ${texNumber(learningRate)} ${vector(...gradient)}`]
        : [`\\nabla L = ${vector(...gradient)}`, `${vector(...after)} = ${vector(...before)} + ${vector(after[0] - before[0], after[1] - before[1])}`];
    renderMath(formula, `\\begin{gathered} ${[...rule[descent.optimizerName as OptimizerId], ...numbers].join(' \\\\ ')} \\end{gathered}`);
    formulaNote.textContent =
      surface.data && batchSelect.value !== 'batch' ? t('gd.update.batchNote', { size: last.batchSize, total: surface.data.x.shape[0]! }) : '';
  }

  surfaceSelect.onChange(changeSurface);
  optimizerSelect.onChange(restart);
  lr.onChange(restart);
  mu.onChange(restart);
  beta1.onChange(restart);
  beta2.onChange(restart);
  batchSelect.onChange(restart);
  speedSelect.onChange(saveUrl);
  resetButton.addEventListener('click', restart);
  stepButton.addEventListener('click', () => {
    setPlaying(false);
    if (!finished()) render(descent.step());
  });
  playButton.addEventListener('click', () => {
    if (playing) return setPlaying(false);
    if (finished()) restart();
    setPlaying(true);
  });
  onLanguageChange(() => descent !== undefined && render(descent.steps.at(-1) ?? null), false);

  view.setSurface(surface, grid);
  batchSelect.root.hidden = surface.data === undefined;
  fitCard.hidden = surface.data === undefined;
  restart();
}
