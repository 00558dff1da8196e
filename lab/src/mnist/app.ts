/**
 * The MNIST page: training runs in a Web Worker (messages carry progress back), the page
 * draws curves, a progress bar and a heartbeat that proves its own thread stays free.
 */
import { BarChart } from '../common/bars.js';
import { LineChart } from '../common/chart.js';
import { classColor, okabeIto } from '../common/colors.js';
import { button, select, slider, stat } from '../common/controls.js';
import { byId, el, fmt } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';
import { registerActions } from '../common/teacher.js';
import { choiceParam, numberParam, readParams, writeParams } from '../common/url-state.js';
import { DigitPad, paintDigit } from './draw.js';
import type { FromWorker, ToWorker, TrainConfig } from './protocol.js';

const THROUGHPUT_BATCHES = [1, 8, 32, 128, 512];
/** Batches averaged at each end of the run to judge whether the loss fell. */
const FALL_WINDOW = 20;
/** The loss "did not fall" when the last batches average more than this share of the first ones. */
const LOSS_FELL = 0.8;

/** Mean loss of the first and of the last FALL_WINDOW batches (null for too short a run). */
export function lossFall(values: readonly number[]): { first: number; last: number } | null {
  if (values.length < 2 * FALL_WINDOW) return null;
  const mean = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
  return { first: mean(values.slice(0, FALL_WINDOW)), last: mean(values.slice(-FALL_WINDOW)) };
}

export function mountMnist(): void {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const send = (message: ToWorker): void => worker.postMessage(message);

  // ---------------------------------------------------------------- training
  // The settings live in the URL (?hidden=128&lr=0.002&batch=32&epochs=1&opt=adam): a copied link reproduces them.
  const params = readParams();
  const hiddenSizes = ['32', '64', '128', '256'] as const;
  const batchSizes = THROUGHPUT_BATCHES.map(String);
  const hidden = select<string>({ id: 'mnist-hidden', label: 'mnist.hidden', choices: hiddenSizes.map((v) => ({ value: v, text: v })), value: choiceParam(params, 'hidden', hiddenSizes, '128') });
  const lr = slider({ id: 'mnist-lr', label: 'control.learningRate', min: 0.0001, max: 0.1, step: 0.01, value: numberParam(params, 'lr', 0.002, 0.0001, 0.1), log: true });
  const batch = select<string>({ id: 'mnist-batch', label: 'mnist.batchSize', choices: batchSizes.map((b) => ({ value: b, text: b })), value: choiceParam(params, 'batch', batchSizes, '32') });
  const epochs = slider({ id: 'mnist-epochs', label: 'mnist.epochs', min: 1, max: 10, step: 1, value: Math.round(numberParam(params, 'epochs', 1, 1, 10)), format: (v) => String(v) });
  const optimizer = select<TrainConfig['optimizer']>({
    id: 'mnist-optimizer',
    label: 'control.optimizer',
    choices: [
      { value: 'adam', label: 'optimizer.adam' },
      { value: 'momentum', label: 'optimizer.momentum' },
      { value: 'sgd', label: 'optimizer.sgd' },
    ],
    value: choiceParam(params, 'opt', ['adam', 'momentum', 'sgd'] as const, 'adam'),
  });
  const saveSettings = (): void =>
    writeParams({ hidden: hidden.value, lr: String(lr.value), batch: batch.value, epochs: String(epochs.value), opt: optimizer.value });
  for (const control of [hidden, batch, optimizer]) control.onChange(saveSettings);
  for (const control of [lr, epochs]) control.onChange(saveSettings);
  const trainButton = button({ id: 'mnist-train', label: 'mnist.train', kind: 'primary' });
  const stopButton = button({ id: 'mnist-stop', label: 'mnist.stop' });
  const architecture = el('p', { class: 'note', id: 'mnist-architecture' });
  const progress = el('progress', { id: 'mnist-progress', max: 1, value: 0, 'data-i18n-aria-label': 'mnist.progress' });
  const status = el('p', { class: 'status', id: 'mnist-status', role: 'status', 'aria-live': 'polite' });
  const stats = {
    epoch: stat('mnist-epoch', 'mnist.stat.epoch'),
    iteration: stat('mnist-iteration', 'mnist.stat.iteration'),
    loss: stat('mnist-loss', 'mnist.stat.loss'),
    accuracy: stat('mnist-test-accuracy', 'mnist.stat.testAccuracy'),
  };
  const heartbeatBar = el('div', { class: 'heartbeat-dot', 'aria-hidden': 'true' });
  const heartbeatText = el('span', { id: 'mnist-fps' });
  const lossHost = el('div', { id: 'mnist-loss-chart' });
  const accuracyHost = el('div', { id: 'mnist-accuracy-chart' });
  byId('mnist-train-card').append(
    el('div', { class: 'controls' }, hidden.root, lr.root, batch.root, epochs.root, optimizer.root),
    architecture,
    el('div', { class: 'buttons' }, trainButton, stopButton),
    progress,
    status,
    el('div', { class: 'stats' }, ...Object.values(stats).map((s) => s.root)),
    el('div', { class: 'heartbeat', role: 'img', 'data-i18n-aria-label': 'mnist.heartbeat.label' }, el('div', { class: 'heartbeat-track' }, heartbeatBar), heartbeatText),
    el('div', { class: 'grid even' }, el('div', {}, el('h3', { 'data-i18n': 'mnist.chart.loss' }), lossHost), el('div', {}, el('h3', { 'data-i18n': 'mnist.chart.accuracy' }), accuracyHost)),
  );
  const lossChart = new LineChart(lossHost, {
    xLabel: () => t('chart.iteration'),
    yLabel: () => t('chart.loss'),
    series: [{ label: () => t('mnist.chart.batchLoss'), color: okabeIto.blue, width: 1.5 }],
    height: 220,
    description: () => t('mnist.chart.lossDescription'),
  });
  const accuracyChart = new LineChart(accuracyHost, {
    xLabel: () => t('chart.iteration'),
    yLabel: () => t('chart.accuracy'),
    series: [{ label: () => t('mnist.chart.testAccuracy'), color: okabeIto.vermillion }],
    height: 220,
    yRange: [0, 1],
    description: () => t('mnist.chart.accuracyDescription'),
  });

  let trained = false;
  let training = false;
  let loaded: Extract<FromWorker, { type: 'loaded' }> | null = null;
  let lastStatus: () => string = () => t('mnist.status.loading');
  const losses: { x: number[]; y: number[] } = { x: [], y: [] };
  const accuracies: { x: number[]; y: number[] } = { x: [], y: [] };
  let config: TrainConfig | null = null;

  /** The status is a live region: while training it is rewritten at most once a second. */
  let statusAt = -Infinity;
  function setStatus(text: () => string, state: string, throttle = false): void {
    lastStatus = text;
    const now = performance.now();
    if (throttle && state === status.dataset.state && now - statusAt < 1000) return;
    statusAt = now;
    status.textContent = text();
    status.dataset.state = state;
  }

  function showArchitecture(): void {
    architecture.textContent = t('mnist.architecture', { hidden: hidden.value });
  }

  function setTraining(on: boolean): void {
    training = on;
    trainButton.disabled = on;
    stopButton.disabled = !on;
    measureButton.disabled = on;
  }

  trainButton.addEventListener('click', () => {
    config = { hidden: Number(hidden.value), learningRate: lr.value, batchSize: Number(batch.value), epochs: epochs.value, optimizer: optimizer.value };
    losses.x = [];
    losses.y = [];
    accuracies.x = [];
    accuracies.y = [];
    progress.value = 0;
    stats.accuracy.value.textContent = '—';
    delete stats.accuracy.value.dataset.value;
    setTraining(true);
    send({ type: 'train', config });
  });
  stopButton.addEventListener('click', () => send({ type: 'stop' }));
  // Space starts training or stops it; [ and ] move η through its slider (teacher.ts).
  registerActions({ playPause: () => (training ? stopButton.click() : trainButton.disabled ? undefined : trainButton.click()) });
  hidden.onChange(showArchitecture);

  // ---------------------------------------------------------------- drawing
  const padCanvas = el('canvas', { class: 'digit-pad', id: 'mnist-pad', 'data-i18n-aria-label': 'mnist.draw.canvas', role: 'img' });
  const clearButton = button({ id: 'mnist-clear', label: 'mnist.draw.clear' });
  // Drawing needs a pointer; a real test digit is the keyboard's way to try the network.
  const sampleButton = button({ id: 'mnist-sample', label: 'mnist.draw.sample' });
  const sampleLabel = el('p', { class: 'note', id: 'mnist-sample-label' });
  // The readout changes several times a second while a digit is drawn; screen readers hear only
  // the answer for the finished stroke (a separate live region), not every intermediate guess.
  const predictionText = el('p', { class: 'readout', id: 'mnist-prediction' });
  const announcement = el('p', { class: 'visually-hidden', id: 'mnist-announce', 'aria-live': 'polite' });
  const bars = el('div', { class: 'bars', id: 'mnist-probabilities' });
  // What the network receives: the drawing fitted into 20 × 20 and centred by mass in 28 × 28.
  const inputPreview = el('canvas', { class: 'digit-preview', id: 'mnist-input', width: 28, height: 28, role: 'img', 'data-i18n-aria-label': 'mnist.draw.input' });
  byId('mnist-draw-card').append(
    el(
      'div',
      { class: 'grid even' },
      el('div', {}, padCanvas, el('div', { class: 'buttons' }, clearButton, sampleButton), sampleLabel),
      el('div', {}, el('figure', { class: 'digit-input' }, inputPreview, el('figcaption', { class: 'note', 'data-i18n': 'mnist.draw.inputCaption' })), predictionText, announcement, bars),
    ),
  );
  let probabilities: number[] | null = null;
  let lastPredict = 0;
  /** Whether the prediction on its way answers a finished stroke (the one worth announcing). */
  let announceNext = false;
  const pad = new DigitPad(padCanvas, (final) => {
    const now = performance.now();
    if (!final && now - lastPredict < 120) return;
    lastPredict = now;
    announceNext = final;
    const pixels = pad.pixels();
    paintDigit(inputPreview, pixels);
    send({ type: 'predict', pixels });
  });
  let sampleShown: number | null = null;
  clearButton.addEventListener('click', () => {
    pad.clear();
    paintDigit(inputPreview, pad.pixels());
    probabilities = null;
    sampleShown = null;
    showSample();
    showPrediction();
  });
  sampleButton.addEventListener('click', () => send({ type: 'sample' }));
  padCanvas.addEventListener('pointerdown', () => {
    sampleShown = null;
    showSample();
  });
  function showSample(): void {
    sampleLabel.textContent = sampleShown === null ? '' : t('mnist.draw.sampleLabel', { digit: sampleShown });
  }

  function showPrediction(): void {
    if (probabilities === null || !pad.hasInk) {
      predictionText.textContent = t('mnist.draw.empty');
      predictionText.dataset.digit = '';
      bars.replaceChildren();
      return;
    }
    const p = probabilities;
    const best = p.indexOf(Math.max(...p));
    predictionText.textContent = (trained ? '' : t('mnist.draw.untrained') + ' ') + t('mnist.draw.prediction', { digit: best, p: fmt(p[best]!, 3) });
    predictionText.dataset.digit = String(best);
    if (announceNext) {
      announcement.textContent = predictionText.textContent;
      announceNext = false;
    }
    bars.replaceChildren(
      el('h4', {}, t('mnist.draw.probabilities')),
      ...p.map((v, k) =>
        el(
          'div',
          { class: 'bar-row' },
          el('span', { class: 'bar-label' }, t('mnist.draw.digit', { k }) + (k === best ? ' ◀' : '')),
          el('span', { class: 'bar-track' }, el('span', { class: 'bar', style: `left:0;width:${v * 100}%;background:${k === best ? classColor(1) : classColor(0)}` })),
          el('span', { class: 'bar-value' }, fmt(v, 3)),
        ),
      ),
    );
  }

  // ---------------------------------------------------------------- throughput
  const measureButton = button({ id: 'mnist-measure', label: 'mnist.throughput.run', kind: 'primary' });
  const throughputCanvas = el('canvas', { class: 'plot', id: 'mnist-throughput-chart', role: 'img' });
  const throughputStatus = el('p', { class: 'status', id: 'mnist-throughput-status', 'aria-live': 'polite' });
  const throughputTable = el('table', { class: 'matrix', id: 'mnist-throughput-table' });
  byId('mnist-throughput-card').append(el('div', { class: 'buttons' }, measureButton), throughputStatus, el('div', { class: 'grid' }, el('div', {}, throughputCanvas), throughputTable));
  const throughputChart = new BarChart(throughputCanvas, 0.5);
  const rates = new Map<number, { samplesPerSecond: number; iterations: number }>();

  function showThroughput(): void {
    const sizes = THROUGHPUT_BATCHES.filter((b) => rates.has(b));
    throughputChart.set({
      categories: sizes.map(String),
      series: [{ label: t('mnist.throughput.series'), color: okabeIto.blue, values: sizes.map((b) => rates.get(b)!.samplesPerSecond) }],
      xLabel: t('mnist.throughput.x'),
      yLabel: t('mnist.throughput.y'),
      log: true,
    });
    throughputTable.replaceChildren(
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('mnist.throughput.colBatch')), el('th', { scope: 'col' }, t('mnist.throughput.colRate')), el('th', { scope: 'col' }, t('mnist.throughput.colIterations')))),
      el(
        'tbody',
        {},
        ...sizes.map((b) => el('tr', { 'data-batch': b, 'data-rate': rates.get(b)!.samplesPerSecond }, el('th', { scope: 'row' }, String(b)), el('td', {}, fmt(rates.get(b)!.samplesPerSecond, 4)), el('td', {}, String(rates.get(b)!.iterations)))),
      ),
    );
  }

  measureButton.addEventListener('click', () => {
    rates.clear();
    showThroughput();
    measureButton.disabled = true;
    trainButton.disabled = true;
    throughputStatus.dataset.state = 'running';
    throughputStatus.textContent = t('mnist.throughput.running', { size: THROUGHPUT_BATCHES[0]! });
    send({ type: 'throughput', batchSizes: THROUGHPUT_BATCHES, secondsEach: 0.8 });
  });

  function throughputSummary(): void {
    const one = rates.get(1)?.samplesPerSecond;
    if (one === undefined) return;
    let best = 1;
    for (const [b, r] of rates) if (r.samplesPerSecond > rates.get(best)!.samplesPerSecond) best = b;
    throughputStatus.dataset.state = 'done';
    throughputStatus.textContent = t('mnist.throughput.done', { best, ratio: fmt(rates.get(best)!.samplesPerSecond / one, 3) });
  }

  // ---------------------------------------------------------------- messages
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const m = event.data;
    switch (m.type) {
      case 'loading':
        // The bar shows the bytes as they arrive; the status (a live region) is not rewritten for each.
        progress.max = m.total || 1;
        progress.value = m.total ? m.received : 0;
        progress.dataset.phase = 'loading';
        break;
      case 'loaded':
        loaded = m;
        progress.max = 1;
        progress.value = 0;
        progress.dataset.phase = 'ready';
        // From the page's start to data ready in the worker (the lab benchmark reads it).
        document.body.dataset.mnistReadyMs = String(Math.round(performance.now()));
        trainButton.disabled = false;
        measureButton.disabled = false;
        setStatus(() => t('mnist.status.loaded', { seconds: fmt(m.seconds, 2), train: m.trainSize, test: m.testSize, backend: `${m.backend}${m.threads > 1 ? ` × ${m.threads}` : ''}` }), 'idle');
        break;
      case 'progress': {
        progress.max = m.totalIterations;
        progress.value = m.iteration;
        m.losses.forEach((loss, k) => {
          losses.x.push(m.iteration - m.losses.length + 1 + k);
          losses.y.push(loss);
        });
        lossChart.setData(losses.x, [losses.y]);
        stats.epoch.value.textContent = String(m.epoch + 1);
        stats.iteration.value.textContent = String(m.iteration);
        stats.loss.value.textContent = fmt(m.loss, 3);
        const c = config!;
        setStatus(() => t('mnist.status.training', { epoch: m.epoch + 1, epochs: c.epochs, iteration: m.iteration, total: m.totalIterations }), 'running', true);
        break;
      }
      case 'evaluated':
        accuracies.x.push(m.iteration);
        accuracies.y.push(m.testAccuracy);
        accuracyChart.setData(accuracies.x, [accuracies.y]);
        stats.accuracy.value.textContent = fmt(m.testAccuracy, 3);
        stats.accuracy.value.dataset.value = String(m.testAccuracy);
        break;
      case 'done':
        trained = true;
        setTraining(false);
        progress.value = m.stopped ? progress.value : progress.max;
        {
          const fall = lossFall(losses.y);
          const c = config!;
          if (!m.stopped && fall !== null && fall.last > LOSS_FELL * fall.first) {
            // Named, not just "done": a run whose loss did not fall has a cause the reader can change.
            setStatus(() => t('mnist.status.notFalling', { first: fmt(fall.first, 3), last: fmt(fall.last, 3), lr: fmt(c.learningRate, 3), optimizer: t(`optimizer.${c.optimizer}`), accuracy: fmt(m.testAccuracy, 3) }), 'diverged');
          } else {
            setStatus(
              () => (m.stopped ? t('mnist.status.stopped', { accuracy: fmt(m.testAccuracy, 3) }) : t('mnist.status.done', { seconds: fmt(m.seconds, 3), rate: fmt(m.samplesPerSecond, 3), accuracy: fmt(m.testAccuracy, 3) })),
              'done',
            );
          }
        }
        if (pad.hasInk) send({ type: 'predict', pixels: pad.pixels() });
        break;
      case 'sample':
        sampleShown = m.label;
        predictionText.dataset.digit = '';
        showSample();
        pad.showImage(m.pixels);
        break;
      case 'prediction':
        probabilities = m.probabilities;
        showPrediction();
        break;
      case 'throughput': {
        rates.set(m.batchSize, { samplesPerSecond: m.samplesPerSecond, iterations: m.iterations });
        showThroughput();
        const next = THROUGHPUT_BATCHES[THROUGHPUT_BATCHES.indexOf(m.batchSize) + 1];
        if (next !== undefined) throughputStatus.textContent = t('mnist.throughput.running', { size: next });
        break;
      }
      case 'throughputDone':
        measureButton.disabled = training;
        trainButton.disabled = training;
        throughputSummary();
        break;
      case 'error':
        setTraining(false);
        setStatus(() => t('mnist.status.error', { message: m.message }), 'error');
        break;
    }
  };
  worker.onerror = (event) => setStatus(() => t('mnist.status.error', { message: event.message }), 'error');

  // ---------------------------------------------------------------- heartbeat
  // Frames the page's own thread draws per second: stays near 60 while the worker trains.
  let frames = 0;
  let windowStart = performance.now();
  let fps = 0;
  const beat = (now: number): void => {
    frames++;
    if (now - windowStart >= 1000) {
      fps = (frames * 1000) / (now - windowStart);
      frames = 0;
      windowStart = now;
      heartbeatText.textContent = t('mnist.heartbeat', { fps: Math.round(fps) });
      heartbeatText.dataset.fps = String(fps);
    }
    heartbeatBar.style.transform = `translateX(${((now / 1000) % 2 < 1 ? (now / 1000) % 1 : 1 - ((now / 1000) % 1)) * 100}%)`;
    requestAnimationFrame(beat);
  };
  requestAnimationFrame(beat);

  onLanguageChange(() => {
    showArchitecture();
    status.textContent = lastStatus();
    showPrediction();
    showSample();
    showThroughput();
    throughputSummary();
    if (fps > 0) heartbeatText.textContent = t('mnist.heartbeat', { fps: Math.round(fps) });
  });
  trainButton.disabled = true;
  stopButton.disabled = true;
  measureButton.disabled = true;
  setStatus(() => t('mnist.status.loading'), 'running');
  void loaded;
  send({ type: 'load' });
}
