/**
 * The training playground: data, network, loss, optimizer, schedule, batch size, L2, dropout,
 * early stopping; play / pause / one step / one epoch; the decision boundary, live curves,
 * confusion matrix, a comparison with the previous run, the whole setup in the URL, and
 * export of the trained model in TensorFlow.js format.
 */
import type { Sequential } from '../../../src/index.js';
import { button, checkbox, select, slider, stat, type Choice } from '../common/controls.js';
import { byId, el, fmt } from '../common/dom.js';
import { currentLang, onLanguageChange, t } from '../common/i18n.js';
import { registerActions, registerFigure } from '../common/teacher.js';
import { readParams, writeParams } from '../common/url-state.js';
import { BoundaryView } from './boundary.js';
import { GridEvaluator } from './grid-client.js';
import type { GridResult } from './grid-eval.js';
import { IterationChart, TrainingCharts } from './charts.js';
import { smoothed } from './smoothing.js';
import { renderConfusion } from './confusion.js';
import { formatMacs, gridSide, judgeCost, mapGridSide, runCost, type CostVerdict } from './cost.js';
import { CsvReader, csvPicker, SupersededError, type LoadedCsv } from './csv-loader.js';
import { lossMismatch, prepare, rawData, type PreparedData, type RawData } from './data.js';
import { exportModelJson, exportPreprocessing, exportWeights } from './export.js';
import { LayersEditor } from './layers-editor.js';
import { buildModel, buildOptimizer, learningRate as learningRateOf, lossFunctions, SCHEDULE_EPOCHS } from './model.js';
import { NetworkView } from './network-view.js';
import { presets } from './presets.js';
import {
  dataSets,
  defaultNoise,
  lossIds,
  optimizerIds,
  scheduleIds,
  stateFromParams,
  stateToParams,
  type DataSetId,
  type LossId,
  type OptimizerId,
  type PlaygroundState,
  type ScheduleId,
} from './state.js';
import { FrameBudget, trainSlice } from './frame-budget.js';
import { Trainer } from './trainer.js';

/**
 * The figures (decision map, network diagram, iteration curve) take at most about this share
 * of the time: after a redraw that took d ms the next waits at least d / FIGURE_SHARE ms, so a
 * small network redraws every frame and a wide one every few frames instead of stalling them.
 */
const FIGURE_SHARE = 0.25;
/** Screen readers hear a changed status at most this often while training plays. */
const ANNOUNCE_EVERY_MS = 1000;

/** Write text only when it changed: an unchanged frame touches nothing in the page. */
function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}
const speeds = ['iteration', 'epoch', 'fast'] as const;
type Speed = (typeof speeds)[number];

export function mountPlayground(): void {
  const state: PlaygroundState = stateFromParams(readParams());
  let csv: LoadedCsv | null = null;
  if (state.data === 'csv') state.data = 'xor'; // A link cannot carry the reader's file.

  // ---------------------------------------------------------------- controls
  const dataSelect = select<DataSetId>({ id: 'pg-data', label: 'pg.data', choices: dataSets.map((d) => ({ value: d, label: `pg.data.${d}` })), value: state.data });
  const samples = slider({ id: 'pg-samples', label: 'pg.samples', min: 50, max: 1000, step: 10, value: state.samples, format: (v) => String(v) });
  const noise = slider({ id: 'pg-noise', label: 'pg.noise', min: 0, max: 1, step: 0.01, value: state.noise });
  const classes = slider({ id: 'pg-classes', label: 'pg.classes', min: 2, max: 6, step: 1, value: state.classes, format: (v) => String(v) });
  const testFraction = slider({ id: 'pg-test', label: 'pg.testFraction', min: 0.1, max: 0.9, step: 0.05, value: state.testFraction, format: (v) => `${Math.round(v * 100)} %` });
  const seed = el('input', { type: 'number', id: 'pg-seed', min: 0, step: 1, value: state.seed });
  const seedControl = el('div', { class: 'control' }, el('label', { for: 'pg-seed', 'data-i18n': 'pg.seed' }), seed);
  const csvError = el('p', { class: 'error', id: 'pg-csv-error', role: 'alert', hidden: true });
  const csvTarget = select<string>({ id: 'pg-csv-target', label: 'pg.csv.target', choices: [], value: '' });
  const csvInfo = el('p', { class: 'note', id: 'pg-csv-info' });
  const csvProgress = el('progress', { id: 'pg-csv-progress', hidden: true, 'data-i18n-aria-label': 'pg.csv.reading' });
  const csvDecisions = el('ul', { class: 'note decisions', id: 'pg-csv-decisions' });
  const picker = csvPicker(onCsvText);
  const csvBox = el('div', { class: 'csv' }, picker.root, csvProgress, csvError, csvTarget.root, csvInfo, csvDecisions);
  const csvReader = new CsvReader();
  csvTarget.root.hidden = true;

  const layersEditor = new LayersEditor((layers) => {
    state.layers = layers;
    rebuild();
  });
  const lossSelect = select<LossId>({ id: 'pg-loss', label: 'pg.loss', choices: lossIds.map((l) => ({ value: l, label: `pg.loss.${l}` })), value: state.loss });
  const optimizerSelect = select<OptimizerId>({
    id: 'pg-optimizer',
    label: 'control.optimizer',
    choices: optimizerIds.map((o): Choice<OptimizerId> => ({ value: o, label: `optimizer.${o}` })),
    value: state.optimizer,
  });
  // Up to η = 10, so too large a step can be tried and seen to fail (the status names it).
  const lr = slider({ id: 'pg-lr', label: 'control.learningRate', min: 0.0001, max: 10, step: 0.01, value: state.learningRate, log: true });
  const scheduleSelect = select<ScheduleId>({ id: 'pg-schedule', label: 'pg.schedule', choices: scheduleIds.map((s) => ({ value: s, label: `pg.schedule.${s}` })), value: state.schedule });
  const batchInput = el('input', { type: 'number', id: 'pg-batch', min: 1, step: 1, value: state.batchSize || 1, inputmode: 'numeric' });
  const batchKind = el('span', { class: 'note', id: 'pg-batch-kind' });
  const batchButtons = (['full', 'stochastic', 'mini'] as const).map((kind) => {
    const b = el('button', { type: 'button', id: `pg-batch-${kind}`, 'data-i18n': `pg.batch.${kind}` });
    b.addEventListener('click', () => {
      state.batchSize = kind === 'full' ? 0 : kind === 'stochastic' ? 1 : 32;
      rebuild();
    });
    return b;
  });
  const batchControl = el(
    'div',
    { class: 'control batch' },
    el('label', { for: 'pg-batch', 'data-i18n': 'pg.batchSize' }),
    el('div', { class: 'buttons' }, batchInput, ...batchButtons),
    batchKind,
  );
  const l2 = slider({ id: 'pg-l2', label: 'pg.l2', min: 0, max: 0.05, step: 0.001, value: state.l2 });
  const dropout = slider({ id: 'pg-dropout', label: 'pg.dropout', min: 0, max: 0.6, step: 0.05, value: state.dropout });
  const earlyStop = checkbox({ id: 'pg-early', label: 'pg.earlyStopping', checked: state.earlyStopping });
  const patience = el('input', { type: 'number', id: 'pg-patience', min: 1, step: 1, value: state.patience, inputmode: 'numeric' });
  const patienceControl = el('div', { class: 'control' }, el('label', { for: 'pg-patience', 'data-i18n': 'pg.patience' }), patience);
  const compare = checkbox({ id: 'pg-compare', label: 'pg.compare', checked: false });

  const speed = select<Speed>({ id: 'pg-speed', label: 'control.speed', choices: speeds.map((v) => ({ value: v, label: `pg.speed.${v}` })), value: 'epoch' });
  const playButton = button({ id: 'pg-play', label: 'control.play', kind: 'primary' });
  const stepButton = button({ id: 'pg-step', label: 'control.step' });
  const epochButton = button({ id: 'pg-epoch', label: 'control.epoch' });
  const resetButton = button({ id: 'pg-reset', label: 'control.reset' });
  const exportJson = button({ id: 'pg-export-json', label: 'pg.export.json' });
  const exportBin = button({ id: 'pg-export-bin', label: 'pg.export.bin' });
  const exportPrep = button({ id: 'pg-export-prep', label: 'pg.export.prep' });

  const epochCounter = el('strong', { id: 'pg-epoch-count' });
  const iterationCounter = el('strong', { id: 'pg-iteration-count' });
  const batchCounter = el('strong', { id: 'pg-batch-count' });
  const definitions = el('dl', { class: 'defs', id: 'pg-definitions' });
  const status = el('p', { class: 'status', id: 'pg-status', role: 'status', 'aria-live': 'polite' });
  const costNote = el('p', { class: 'status', id: 'pg-cost', 'data-state': 'diverged', hidden: true });
  const stats = {
    trainLoss: stat('pg-train-loss', 'pg.stat.trainLoss'),
    testLoss: stat('pg-test-loss', 'pg.stat.testLoss'),
    trainAccuracy: stat('pg-train-accuracy', 'pg.stat.trainAccuracy'),
    testAccuracy: stat('pg-test-accuracy', 'pg.stat.testAccuracy'),
    learningRate: stat('pg-current-lr', 'pg.stat.learningRate'),
    batchLoss: stat('pg-batch-loss', 'pg.stat.batchLoss'),
  };
  const canvas = el('canvas', { class: 'plot', id: 'pg-boundary', role: 'img', 'data-i18n-aria-label': 'pg.boundary.description' });
  const networkCanvas = el('canvas', { class: 'plot', id: 'pg-network', role: 'img', 'data-i18n-aria-label': 'pg.network.description' });
  const iterationHost = el('div', { id: 'pg-iteration-chart' });
  const networkNote = el('p', { class: 'note', id: 'pg-network-note', hidden: true });
  const boundaryNote = el('p', { class: 'note', id: 'pg-boundary-note' });
  const confusionHost = el('div', { id: 'pg-confusion' });
  const lossHost = el('div', { id: 'pg-loss-chart' });
  const accuracyHost = el('div', { id: 'pg-accuracy-chart' });
  const accuracyCard = el('div', { class: 'card' }, el('h3', { 'data-i18n': 'pg.chart.accuracy' }), accuracyHost);

  byId('pg-toolbar').append(
    el(
      'div',
      { class: 'toolbar' },
      el('div', { class: 'buttons' }, playButton, stepButton, epochButton, resetButton),
      // η sits with the play controls: the setting a class changes most while it watches.
      lr.root,
      speed.root,
    ),
    el(
      'div',
      { class: 'toolbar-info' },
      el(
        'div',
        { class: 'counters' },
        el('span', { class: 'counter' }, el('span', { 'data-i18n': 'pg.counter.epoch' }), ' ', epochCounter),
        el('span', { class: 'counter' }, el('span', { 'data-i18n': 'pg.counter.iteration' }), ' ', iterationCounter),
        el('span', { class: 'counter' }, el('span', { 'data-i18n': 'pg.counter.batch' }), ' ', batchCounter),
      ),
      status,
    ),
    costNote,
  );
  byId('pg-data-card').append(dataSelect.root, samples.root, noise.root, classes.root, testFraction.root, seedControl, csvBox);
  byId('pg-model-card').append(
    layersEditor.root,
    el('div', { class: 'controls' }, lossSelect.root, optimizerSelect.root, scheduleSelect.root),
    el('p', { class: 'note', id: 'pg-schedule-note' }),
    batchControl,
    el('div', { class: 'controls' }, l2.root, dropout.root),
    el('div', { class: 'controls' }, earlyStop.root, patienceControl, compare.root),
    el('h3', { 'data-i18n': 'pg.export.title' }),
    el('div', { class: 'buttons' }, exportJson, exportBin, exportPrep),
    el('p', { class: 'note', 'data-i18n': 'pg.export.note' }),
  );
  byId('pg-view').append(canvas, boundaryNote, el('div', { class: 'stats' }, ...Object.values(stats).map((s) => s.root)), el('p', { class: 'legend', 'data-i18n': 'pg.boundary.legend' }));
  byId('pg-network-card').append(
    networkCanvas,
    el('div', { class: 'pg-curves' }, el('div', {}, el('h3', { 'data-i18n': 'pg.chart.iteration' }), iterationHost), el('div', {}, el('h3', { 'data-i18n': 'pg.chart.loss' }), lossHost)),
    networkNote,
    el('p', { class: 'legend', 'data-i18n': 'pg.network.legend' }),
  );
  byId('pg-charts').append(accuracyCard, el('div', { class: 'card' }, el('h3', { 'data-i18n': 'pg.confusion.title' }), confusionHost), el('div', { class: 'card' }, el('h3', { 'data-i18n': 'pg.definitions' }), definitions));
  byId('pg-presets').append(
    el(
      'ul',
      { class: 'presets' },
      ...presets.map((p) => el('li', {}, el('a', { href: `?${p.query}`, id: `pg-preset-${p.id}`, 'data-i18n': p.title }), ' — ', el('span', { 'data-i18n': p.caption }))),
    ),
  );

  const boundary = new BoundaryView(canvas, 340);
  // 140 px: room for a curve's title to take two lines beside its export buttons at 1280 × 720.
  const charts = new TrainingCharts(lossHost, accuracyHost, 140);
  const iterationChart = new IterationChart(iterationHost, 140);
  const network = new NetworkView(
    networkCanvas,
    () => data?.featureNames ?? [],
    () => (data === null ? '' : `${data.outputUnits} · ${data.outputActivation}`),
  );
  // While it plays, an answer waits for the next frame (drawn there, within its budget).
  const gridEvaluator = new GridEvaluator((result) => {
    if (playing) pendingGrids = result;
    else showGrids(result);
  });
  let pendingGrids: GridResult | null = null;
  let frameBudget = new FrameBudget();

  // ---------------------------------------------------------------- the run
  let raw: RawData | null = null;
  let rawKey = '';
  let data: PreparedData | null = null;
  let model: Sequential | null = null;
  let trainer: Trainer | null = null;
  let problem: string | null = null;
  let playing = false;
  let verdict: CostVerdict = { level: 'ok' };
  /** When the figures were last drawn and how long that took (the cadence follows it). */
  let figuresAt = -Infinity;
  let figuresCost = 0;
  let announcedAt = -Infinity;
  let staticKey = '';
  /** What the epoch charts and the confusion matrix last showed (they redraw only on change). */
  let chartedEpochs = -1;
  let chartedConfusion: number[][] | null = null;

  function dataKey(): string {
    return JSON.stringify([state.data, state.samples, state.noise, state.classes, state.seed, csv?.name, csv?.target]);
  }

  /** Start a new run from the state (the previous one is kept for comparison if asked). */
  function rebuild(): void {
    setPlaying(false);
    if (compare.input.checked && trainer !== null && trainer.epochs.length > 1) charts.setPrevious(trainer.epochs);
    else if (!compare.input.checked) charts.setPrevious(null);
    syncControls();
    writeParams(stateToParams(state));
    problem = null;
    trainer = null;
    try {
      const key = dataKey();
      if (raw === null || key !== rawKey) {
        raw = rawData(state, csv?.table ?? null);
        rawKey = key;
      }
      const mismatch = lossMismatch(raw.task, raw.numClasses, state.loss);
      if (mismatch !== null) {
        problem = mismatch.key === 'pg.error.bceClasses' ? t(mismatch.key, { classes: mismatch.classes }) : t(mismatch.key, { loss: t(`pg.loss.${mismatch.loss}`) });
      } else {
        const prepared = prepare(state, raw);
        const nTrain = prepared.xTrain.shape[0]!;
        const batch = state.batchSize === 0 ? nTrain : Math.min(state.batchSize, nTrain);
        const cost = runCost(prepared.xTrain.shape[1]!, state.layers, prepared.outputUnits, batch, nTrain + prepared.xTest.shape[0]!);
        verdict = judgeCost(cost);
        showCost(batch);
        if (verdict.level === 'refuse') {
          // Refused before anything is built: nothing would run but a frozen page.
          data = null;
          model = null;
        } else {
          data = prepared;
          model = buildModel(state, data);
          const iterationsPerEpoch = Math.ceil(nTrain / batch);
          trainer = new Trainer(model, buildOptimizer(state, model, iterationsPerEpoch), lossFunctions[state.loss], data, state.batchSize, state.seed + 2, state.earlyStopping ? state.patience : null);
          if (BoundaryView.canShow(data)) boundary.setData(data, model, gridSide(cost.macsPerSample));
          network.setData(data, model, mapGridSide(cost.macsPerSample));
        }
      }
    } catch (error) {
      problem = t('pg.error.generic', { message: error instanceof Error ? error.message : String(error) });
    }
    iterationChart.reset();
    // A new network: what its pieces of work cost is measured afresh.
    frameBudget = new FrameBudget();
    staticKey = '';
    figuresAt = -Infinity;
    chartedEpochs = -1;
    chartedConfusion = null;
    render();
  }

  /** Say how heavy the setting is when it is too heavy, and what to lower. */
  function showCost(batch: number): void {
    costNote.hidden = verdict.level === 'ok';
    if (verdict.level === 'ok') return;
    costNote.dataset.level = verdict.level;
    const values = {
      macs: formatMacs(verdict.macs),
      layers: state.layers.length,
      widest: Math.max(0, ...state.layers.map((l) => l.units)),
      batch,
      samples: state.samples,
    };
    const key = verdict.level === 'refuse' ? (verdict.what === 'iteration' ? 'pg.cost.refuseIteration' : 'pg.cost.refuseEvaluation') : verdict.what === 'iteration' ? 'pg.cost.warnIteration' : 'pg.cost.warnEvaluation';
    costNote.textContent = t(key, values);
    if (verdict.level === 'refuse') problem = t('pg.cost.refused');
  }

  function syncControls(): void {
    dataSelect.value = state.data;
    const synthetic = state.data !== 'csv';
    for (const c of [samples, noise]) c.root.hidden = !synthetic;
    classes.root.hidden = !(state.data === 'spiral' || state.data === 'gaussians');
    seedControl.hidden = false;
    csvTarget.root.hidden = csv === null;
    lossSelect.value = state.loss;
    optimizerSelect.value = state.optimizer;
    scheduleSelect.value = state.schedule;
    batchInput.value = String(state.batchSize === 0 ? Math.max(1, Math.round(state.samples * (1 - state.testFraction))) : state.batchSize);
    earlyStop.input.checked = state.earlyStopping;
    patienceControl.hidden = !state.earlyStopping;
    const task = raw?.task;
    const output =
      data === null || task === undefined
        ? ''
        : t('pg.layers.output', {
            units: data.outputUnits,
            activation: data.outputActivation,
          });
    layersEditor.set(state.layers, output);
  }

  // ---------------------------------------------------------------- drawing
  /**
   * Draw the run. What changes only with the setup (definitions, layer list, notes) is written
   * when the setup changes; counters and numbers only when their text changes; the figures at
   * the cadence their cost allows (`force` draws them now: a step, a reset, a pause).
   */
  function render(force = true): void {
    const hasRun = trainer !== null && data !== null;
    renderSetup(hasRun);
    if (!hasRun) {
      status.dataset.state = 'error';
      setText(status, problem ?? '');
      // Nothing of the previous run stays on screen to be mistaken for this setting's.
      iterationChart.update([]);
      if (chartedEpochs !== 0) charts.update([]);
      chartedEpochs = 0;
      chartedConfusion = null;
      confusionHost.replaceChildren();
      delete confusionHost.dataset.classes;
      for (const s of Object.values(stats)) {
        setText(s.value, '—');
        s.value.dataset.value = '';
      }
      return;
    }
    const tr = trainer!;
    const d = data!;
    setText(epochCounter, String(tr.epoch));
    setText(iterationCounter, String(tr.iteration));
    setText(batchCounter, `${tr.batchInEpoch} / ${tr.iterationsPerEpoch}`);
    const now = performance.now();
    const current = tr.current;
    const show = (s: { value: HTMLElement }, v: number | null, digits = 4): void => {
      setText(s.value, v === null ? '—' : fmt(v, digits));
      const raw = v === null ? '' : String(v);
      if (s.value.dataset.value !== raw) s.value.dataset.value = raw;
    };
    show(stats.trainLoss, current.trainLoss);
    show(stats.testLoss, current.testLoss);
    show(stats.trainAccuracy, current.trainAccuracy, 3);
    show(stats.testAccuracy, current.testAccuracy, 3);
    show(stats.learningRate, tr.optimizer.currentLearningRate, 3);
    show(stats.batchLoss, tr.batchLosses.at(-1) ?? null);
    const state_ = tr.stopped !== null ? (tr.stopped.kind === 'diverged' ? 'diverged' : 'done') : tr.growing !== null ? 'diverged' : playing ? 'running' : 'idle';
    const text = statusText(tr);
    // While playing, a changed status is announced at most once a second (it is a live region).
    if (text !== status.textContent && (force || !playing || now - announcedAt >= ANNOUNCE_EVERY_MS)) {
      status.textContent = text;
      status.dataset.state = state_;
      announcedAt = now;
    }
    if (force || now - figuresAt >= figuresCost / FIGURE_SHARE) {
      const start = performance.now();
      drawFigures(tr, d, force);
      figuresAt = performance.now();
      figuresCost = figuresAt - start;
    }
  }

  /** Text and visibility that depend only on the setup and the language. */
  function renderSetup(hasRun: boolean): void {
    const tr = trainer;
    const d = data;
    const batch = tr?.loader.batchSize ?? 0;
    const n = d?.xTrain.shape[0] ?? 0;
    const key = JSON.stringify([hasRun, batch, n, tr?.iterationsPerEpoch, state.layers, d?.outputUnits, d?.outputActivation, d?.task, state.schedule, d?.scaling == null, currentLang()]);
    if (key === staticKey) return;
    staticKey = key;
    for (const b of [playButton, stepButton, epochButton, exportJson, exportBin]) b.disabled = !hasRun;
    exportPrep.hidden = d?.scaling == null;
    networkCanvas.hidden = !hasRun;
    if (!hasRun) canvas.hidden = true;
    const output = d === null ? '' : t('pg.layers.output', { units: d.outputUnits, activation: d.outputActivation });
    layersEditor.set(state.layers, output);
    if (!hasRun || tr === null || d === null) return;
    setText(batchKind, t(batch === n ? 'pg.batch.isFull' : batch === 1 ? 'pg.batch.isStochastic' : 'pg.batch.isMini', { size: batch, n }));
    definitions.replaceChildren(
      el('dt', {}, t('pg.counter.epoch')),
      el('dd', {}, t('pg.define.epoch', { n })),
      el('dt', {}, t('pg.counter.iteration')),
      el('dd', {}, t('pg.define.iteration')),
      el('dt', {}, t('pg.counter.batch')),
      el('dd', {}, t('pg.define.batch', { size: batch, iterations: tr.iterationsPerEpoch })),
    );
    accuracyCard.hidden = d.task !== 'classification';
    setText(byId('pg-schedule-note'), t(`pg.schedule.${state.schedule}.about`, { epochs: SCHEDULE_EPOCHS }));
    if (BoundaryView.canShow(d)) {
      canvas.hidden = false;
      setText(boundaryNote, '');
    } else {
      canvas.hidden = true;
      setText(boundaryNote, t('pg.boundary.unavailable', { features: d.xTrain.shape[1]! }));
    }
  }

  /**
   * The figures. While training plays, the decision map and the neuron maps are evaluated in the
   * grid worker (the answer is drawn when it comes, a frame or so later), so an animation frame
   * only trains and draws; a step, an epoch or a pause (`force`) evaluates here and now, so what
   * is shown after a click is that click's network.
   */
  function drawFigures(tr: Trainer, d: PreparedData, force: boolean): void {
    const showBoundary = BoundaryView.canShow(d);
    if (force || gridEvaluator.failed !== null) {
      gridEvaluator.invalidate();
      if (showBoundary) {
        boundary.setModel(tr.model);
        boundary.draw();
      }
      network.setModel(tr.model);
      network.draw();
      showDeadNeurons();
    } else {
      gridEvaluator.request(tr.model, showBoundary ? boundary.gridPoints : null, network.gridPoints);
    }
    iterationChart.update(tr.batchLosses);
    if (tr.epochs.length !== chartedEpochs) {
      chartedEpochs = tr.epochs.length;
      charts.update(tr.epochs);
    }
    if (tr.confusion !== chartedConfusion) {
      chartedConfusion = tr.confusion;
      renderConfusion(confusionHost, tr.confusion, d.classNames);
    }
  }

  /** The grid worker's answer for the weights it was sent: draw the maps and the diagram. */
  function showGrids(result: GridResult): void {
    if (trainer === null || data === null) return;
    if (result.boundary !== null && BoundaryView.canShow(data)) boundary.showPredictions(result.boundary);
    network.setModel(trainer.model);
    if (result.maps !== null) network.showOutputs(result.maps);
    showDeadNeurons();
    // How many pictures the worker has drawn (a test checks the maps keep coming while it plays).
    canvas.dataset.gridWorker = String(gridEvaluator.answered);
  }

  function showDeadNeurons(): void {
    const dead = network.deadNeurons ?? 0;
    if (networkNote.hidden !== (dead === 0)) networkNote.hidden = dead === 0;
    setText(networkNote, dead === 0 ? '' : t('pg.network.dead', { count: dead }));
    if (networkNote.dataset.dead !== String(dead)) networkNote.dataset.dead = String(dead);
  }

  function statusText(tr: Trainer): string {
    const s = tr.stopped;
    if (s?.kind === 'diverged') return t('pg.status.diverged', { iteration: s.iteration, lr: fmt(state.learningRate, 3) });
    if (s?.kind === 'earlyStopping') return t('pg.status.earlyStopped', { epoch: tr.epoch, best: s.bestEpoch, loss: fmt(s.best, 4), patience: state.patience });
    const growing = tr.growing;
    if (growing !== null) return t('pg.status.growing', { from: fmt(growing.from, 3), to: fmt(growing.to, 3), lr: fmt(state.learningRate, 3), lower: fmt(state.learningRate / 10, 3) });
    if (tr.iteration === 0) return t('pg.status.ready');
    return t(playing ? 'pg.status.training' : 'pg.status.paused');
  }

  // ---------------------------------------------------------------- playing
  function setPlaying(on: boolean): void {
    // A pause never shows an epoch whose iterations are done but whose end is not.
    if (!on) trainer?.finishEpoch();
    pendingGrids = null;
    playing = on && trainer !== null && trainer.stopped === null;
    playButton.dataset.i18n = playing ? 'control.pause' : 'control.play';
    playButton.textContent = t(playing ? 'control.pause' : 'control.play');
    playButton.setAttribute('aria-pressed', String(playing));
    if (playing) requestAnimationFrame(frame);
    else render();
  }

  function frame(): void {
    if (!playing || trainer === null) return;
    // Train for what the frame's budget leaves after drawing, then draw: the page stays smooth
    // while it learns (frame-budget.ts decides which pieces of work fit).
    const slice = trainSlice(trainer, frameBudget, () => performance.now(), speed.value === 'fast' ? 'budget' : speed.value);
    if (slice.stopped) {
      setPlaying(false);
      return;
    }
    const drawStart = performance.now();
    // The grid worker's latest answer is drawn here, in the frame, so its cost is the frame's.
    if (pendingGrids !== null) {
      const result = pendingGrids;
      pendingGrids = null;
      showGrids(result);
    }
    render(false);
    // The charts commit their redraw in a microtask queued during render(): this one runs after
    // it, so the drawing cost the budget learns includes theirs.
    queueMicrotask(() => frameBudget.record('drawing', performance.now() - drawStart));
    requestAnimationFrame(frame);
  }

  /** One iteration, then the numbers of the weights as they are now (they visibly change). */
  function oneStep(): void {
    setPlaying(false);
    if (trainer === null) return;
    trainer.step();
    trainer.measureNow();
    render();
  }

  // ---------------------------------------------------------------- events
  /**
   * Parse a file (or the same file for another target) in the worker; the page and any run keep
   * going meanwhile, with a progress bar and a line saying what is being read.
   */
  async function loadCsv(name: string, text: string, target?: string): Promise<void> {
    csvProgress.hidden = false;
    csvProgress.removeAttribute('value');
    csvError.hidden = true;
    setText(picker.chosen, t('pg.csv.readingFile', { name, size: (text.length / 1e6).toFixed(1) }));
    try {
      const loaded = await csvReader.read(name, text, target, () => setText(picker.chosen, t('pg.csv.parsing', { name, size: (text.length / 1e6).toFixed(1) })));
      csv = loaded;
      setText(picker.chosen, name);
      // Column names are the file's own words: shown as they are, in either language.
      csvTarget.setChoices(loaded.columns.map((c) => ({ value: c, text: c })));
      csvTarget.value = loaded.target;
      state.data = 'csv';
      showCsvInfo();
      rebuild();
    } catch (error) {
      if (error instanceof SupersededError) return;
      setText(picker.chosen, name);
      csvError.hidden = false;
      csvError.textContent = error instanceof Error ? error.message : String(error);
    } finally {
      csvProgress.hidden = true;
    }
  }

  function onCsvText(name: string, text: string): void {
    void loadCsv(name, text);
  }

  function showCsvInfo(): void {
    if (csv === null) return;
    const tb = csv.table;
    csvInfo.textContent = t(tb.task === 'classification' ? 'pg.csv.infoClasses' : 'pg.csv.infoRegression', {
      name: csv.name,
      rows: tb.x.shape[0]!,
      features: tb.featureNames.length,
      target: csv.target,
      classes: tb.numClasses,
    });
    // Never decided silently: how the file was read, in the library's own (English) words.
    csvDecisions.replaceChildren(...csv.decisions.map((d) => el('li', {}, d)));
  }

  csvTarget.onChange((target) => {
    if (csv !== null) void loadCsv(csv.name, csv.text, target);
  });
  dataSelect.onChange((id) => {
    if (id === 'csv' && csv === null) {
      dataSelect.value = state.data;
      csvError.hidden = false;
      csvError.textContent = t('pg.csv.none');
      return;
    }
    state.data = id;
    if (id !== 'csv') {
      state.noise = defaultNoise[id];
      noise.value = state.noise;
      // Regression sets need a regression loss; classification sets a classification one.
      if ((id === 'line' || id === 'plane') && (state.loss === 'bce' || state.loss === 'cce')) state.loss = 'mse';
      if ((id === 'spiral' || (id === 'gaussians' && state.classes > 2)) && state.loss === 'bce') state.loss = 'cce';
    }
    rebuild();
  });
  samples.onChange((v) => ((state.samples = v), rebuild()));
  noise.onChange((v) => ((state.noise = v), rebuild()));
  classes.onChange((v) => ((state.classes = v), rebuild()));
  testFraction.onChange((v) => ((state.testFraction = v), rebuild()));
  seed.addEventListener('change', () => {
    const v = Math.round(Number(seed.value));
    if (Number.isFinite(v) && v >= 0) state.seed = v;
    seed.value = String(state.seed);
    rebuild();
  });
  lossSelect.onChange((v) => ((state.loss = v), rebuild()));
  optimizerSelect.onChange((v) => ((state.optimizer = v), rebuild()));
  lr.onChange(setLearningRate);

  /**
   * η changes the running optimizer in place (the run goes on), so a class can raise it mid-run
   * and watch the loss react; the link follows.
   */
  function setLearningRate(v: number): void {
    state.learningRate = Math.min(10, Math.max(1e-4, Number(v.toPrecision(2))));
    lr.value = state.learningRate;
    writeParams(stateToParams(state));
    if (trainer !== null) trainer.optimizer.learningRate = learningRateOf(state.schedule, state.learningRate, trainer.iterationsPerEpoch);
    render();
  }
  scheduleSelect.onChange((v) => ((state.schedule = v), rebuild()));
  batchInput.addEventListener('change', () => {
    const v = Math.round(Number(batchInput.value));
    if (Number.isFinite(v) && v >= 1) state.batchSize = v;
    rebuild();
  });
  l2.onChange((v) => ((state.l2 = v), rebuild()));
  dropout.onChange((v) => ((state.dropout = v), rebuild()));
  earlyStop.input.addEventListener('change', () => ((state.earlyStopping = earlyStop.input.checked), rebuild()));
  patience.addEventListener('change', () => {
    const v = Math.round(Number(patience.value));
    if (Number.isFinite(v) && v >= 1) state.patience = v;
    patience.value = String(state.patience);
    rebuild();
  });
  compare.input.addEventListener('change', () => {
    if (!compare.input.checked) {
      charts.setPrevious(null);
      chartedEpochs = -1;
      render();
    }
  });
  playButton.addEventListener('click', () => setPlaying(!playing));
  stepButton.addEventListener('click', oneStep);
  epochButton.addEventListener('click', () => {
    setPlaying(false);
    trainer?.runEpoch();
    render();
  });
  resetButton.addEventListener('click', rebuild);
  registerActions({
    playPause: () => setPlaying(!playing),
    step: oneStep,
    epoch: () => epochButton.click(),
    reset: rebuild,
    scaleLearningRate: (factor) => setLearningRate(state.learningRate * factor),
  });
  registerFigure({ id: 'playground-boundary', element: canvas, host: byId('pg-view') });
  registerFigure({ id: 'playground-network', element: networkCanvas, host: byId('pg-network-card') });
  registerFigure({
    id: 'playground-loss-per-iteration',
    element: iterationHost,
    host: iterationHost.parentElement!,
    csv: () => {
      const losses = trainer?.batchLosses ?? [];
      const smooth = smoothed(losses);
      return [['iteration', 'batch_loss', 'smoothed'], ...losses.map((v, i) => [i + 1, v, smooth[i]!])];
    },
  });

  exportJson.addEventListener('click', () => model && exportModelJson(model));
  exportBin.addEventListener('click', () => model && exportWeights(model));
  exportPrep.addEventListener('click', () => data && exportPreprocessing(data));
  onLanguageChange(() => {
    showCsvInfo();
    // The confusion matrix's caption and headers are words: rebuild it in the new language.
    chartedConfusion = null;
    delete confusionHost.dataset.classes;
    if (problem !== null) rebuild();
    else render();
  }, false);

  rebuild();
}
