/**
 * The outlier experiment: the same points fitted with MSE and with MAE by the engine, live.
 * Dragging the outlier restarts a short annealed run of Adam for each line from where it is,
 * so the lines glide to their new optimum.
 */
import { Adam, meanAbsoluteError, meanSquaredError, tensor, type Tensor } from '../../../src/index.js';
import { fitCanvas, linearScale } from '../common/canvas.js';
import { okabeIto } from '../common/colors.js';
import { button } from '../common/controls.js';
import { el, fmt } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';
import { readParams, updateParams } from '../common/url-state.js';

const X_RANGE: [number, number] = [0, 10];
const Y_RANGE: [number, number] = [0, 14];
// Points near y = 0.6·x + 2 (fixed jitter so every visit looks the same) and one outlier.
const BASE_X = [0.5, 1.2, 2.0, 2.7, 3.5, 4.1, 5.0, 5.8, 6.4, 7.3, 8.0, 8.8, 9.5];
const JITTER = [0.3, -0.4, 0.2, 0.5, -0.3, 0.1, -0.5, 0.4, -0.2, 0.3, -0.4, 0.2, -0.1];
const OUTLIER_HOME: [number, number] = [8.5, 1.0];
/** The outlier's position is kept to this many decimals, so the link holds exactly what is drawn. */
const DECIMALS = 2;
const STEPS_PER_FRAME = 25;
const RUN_LENGTH = 900;

interface Line {
  name: 'MSE' | 'MAE';
  slope: Tensor;
  intercept: Tensor;
  optimizer: Adam;
  loss: (yTrue: Tensor, yPred: Tensor) => Tensor;
}

function makeLine(name: Line['name']): Line {
  const slope = tensor([0], [1, 1], { requiresGrad: true });
  const intercept = tensor([5], [1], { requiresGrad: true });
  return {
    name,
    slope,
    intercept,
    optimizer: new Adam([slope, intercept], { learningRate: 0.05 }),
    loss: name === 'MSE' ? meanSquaredError : meanAbsoluteError,
  };
}

export function mountOutlier(host: HTMLElement): void {
  const canvas = el('canvas', { class: 'plot', id: 'outlier-canvas', tabindex: 0, role: 'application', 'data-i18n-aria-label': 'loss.outlier.canvas' });
  const readout = el('div', { class: 'readout', id: 'outlier-readout', 'aria-live': 'polite' });
  const reset = button({ id: 'outlier-reset', label: 'loss.outlier.reset' });
  const legend = el(
    'p',
    { class: 'legend' },
    el('span', {}, el('span', { class: 'swatch', style: `background:${okabeIto.blue}` }), el('span', { 'data-i18n': 'loss.outlier.mseLine' })),
    el('span', {}, el('span', { class: 'swatch', style: `background:${okabeIto.vermillion}` }), el('span', { 'data-i18n': 'loss.outlier.maeLine' }), ' (- - -)'),
    el('span', {}, el('span', { class: 'swatch', style: `background:${okabeIto.orange};border-radius:50%` }), el('span', { 'data-i18n': 'loss.outlier.point' })),
  );
  host.append(el('div', { class: 'card' }, canvas, legend, readout, el('div', { class: 'buttons' }, reset)));

  let outlier: [number, number] = outlierFromParams(readParams());
  const lines = [makeLine('MSE'), makeLine('MAE')];
  let stepsLeft = RUN_LENGTH;
  let dragging = false;
  let running = false;
  const sized = fitCanvas(canvas, 0.55, () => draw(), 420);

  function data(): { x: Tensor; y: Tensor } {
    const xs = [...BASE_X.map((x) => (x - 5) / 5), (outlier[0] - 5) / 5];
    const ys = [...BASE_X.map((x, i) => 0.6 * x + 2 + JITTER[i]!), outlier[1]];
    // x is rescaled to [-1, 1] so both parameters learn at a similar pace.
    return { x: tensor(xs, [xs.length, 1]), y: tensor(ys, [ys.length, 1]) };
  }

  function train(): void {
    const { x, y } = data();
    for (let s = 0; s < STEPS_PER_FRAME && stepsLeft > 0; s++, stepsLeft--) {
      // Anneal the step so MAE's ±1 gradients settle instead of rattling around the optimum.
      const lr = 0.002 + 0.06 * (stepsLeft / RUN_LENGTH) ** 2;
      for (const line of lines) {
        line.optimizer.learningRate = lr;
        const loss = line.loss(y, x.matmul(line.slope).add(line.intercept));
        line.optimizer.zeroGrad();
        loss.backward();
        line.optimizer.step();
      }
    }
  }

  function frame(): void {
    train();
    draw();
    if (stepsLeft > 0 || dragging) requestAnimationFrame(frame);
    else running = false;
  }

  function kick(): void {
    stepsLeft = RUN_LENGTH;
    if (!running) {
      running = true;
      requestAnimationFrame(frame);
    }
  }

  /** Slope and intercept in the plot's units (the model sees x rescaled to [-1, 1]). */
  function lineInPlotUnits(line: Line): { slope: number; intercept: number } {
    const a = line.slope.item();
    const b = line.intercept.item();
    return { slope: a / 5, intercept: b - a };
  }

  function draw(): void {
    const { ctx, width, height } = sized;
    const sx = linearScale(X_RANGE, [36, width - 10]);
    const sy = linearScale(Y_RANGE, [height - 26, 10]);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#333';
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (let v = 0; v <= 10; v += 2) ctx.fillText(String(v), sx(v), height - 8);
    ctx.textAlign = 'right';
    for (let v = 0; v <= 14; v += 2) ctx.fillText(String(v), 30, sy(v) + 4);
    ctx.strokeStyle = '#ccc';
    ctx.strokeRect(36, 10, width - 46, height - 36);
    ctx.fillStyle = okabeIto.blue;
    BASE_X.forEach((x, i) => {
      ctx.beginPath();
      ctx.arc(sx(x), sy(0.6 * x + 2 + JITTER[i]!), 5, 0, 2 * Math.PI);
      ctx.fill();
    });
    ctx.save();
    ctx.beginPath();
    ctx.rect(36, 10, width - 46, height - 36);
    ctx.clip();
    lines.forEach((line, k) => {
      const { slope, intercept } = lineInPlotUnits(line);
      ctx.strokeStyle = k === 0 ? okabeIto.blue : okabeIto.vermillion;
      ctx.setLineDash(k === 0 ? [] : [10, 6]);
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.moveTo(sx(X_RANGE[0]), sy(intercept + slope * X_RANGE[0]));
      ctx.lineTo(sx(X_RANGE[1]), sy(intercept + slope * X_RANGE[1]));
      ctx.stroke();
    });
    ctx.setLineDash([]);
    ctx.restore();
    ctx.fillStyle = okabeIto.orange;
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(sx(outlier[0]), sy(outlier[1]), 9, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    showReadout();
  }

  function showReadout(): void {
    readout.dataset.settled = String(stepsLeft === 0);
    readout.replaceChildren(
      ...lines.map((line) => {
        const { slope, intercept } = lineInPlotUnits(line);
        return el('div', { 'data-loss': line.name, 'data-slope': String(slope) }, t('loss.outlier.fit', { loss: line.name, slope: fmt(slope, 3), intercept: fmt(intercept, 3) }));
      }),
    );
  }

  /** Move the outlier (clamped to the plot, rounded as the link keeps it) and refit. */
  function place(x: number, y: number, remember: boolean): void {
    outlier = [roundTo(Math.min(X_RANGE[1], Math.max(X_RANGE[0], x))), roundTo(Math.min(Y_RANGE[1], Math.max(Y_RANGE[0], y)))];
    canvas.dataset.outlier = outlier.join(',');
    // The link is written when a move ends, not on every pointer event of a drag (browsers
    // throttle a page that replaces its URL hundreds of times a second).
    if (remember) rememberOutlier();
    kick();
  }

  function rememberOutlier(): void {
    updateParams({ outlier: outlier.join(',') });
  }

  function moveTo(px: number, py: number, remember: boolean): void {
    const sx = linearScale(X_RANGE, [36, sized.width - 10]);
    const sy = linearScale(Y_RANGE, [sized.height - 26, 10]);
    place(sx.invert(px), sy.invert(py), remember);
  }

  canvas.addEventListener('pointerdown', (e) => {
    dragging = true;
    canvas.setPointerCapture(e.pointerId);
    const r = canvas.getBoundingClientRect();
    moveTo(e.clientX - r.left, e.clientY - r.top, false);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!dragging) return;
    const r = canvas.getBoundingClientRect();
    moveTo(e.clientX - r.left, e.clientY - r.top, false);
  });
  const release = (): void => {
    if (dragging) rememberOutlier();
    dragging = false;
  };
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);
  canvas.addEventListener('keydown', (e) => {
    const moves: Record<string, [number, number]> = { ArrowLeft: [-0.25, 0], ArrowRight: [0.25, 0], ArrowUp: [0, 0.4], ArrowDown: [0, -0.4] };
    const m = moves[e.key];
    if (m === undefined) return;
    e.preventDefault();
    place(outlier[0] + m[0], outlier[1] + m[1], true);
  });
  reset.addEventListener('click', () => place(OUTLIER_HOME[0], OUTLIER_HOME[1], true));
  canvas.dataset.outlier = outlier.join(',');
  onLanguageChange(showReadout, false);
  kick();
}

function roundTo(v: number): number {
  return Number(v.toFixed(DECIMALS));
}

/**
 * The outlier from a link (`outlier=x,y`, inside the plot), or its home position when absent or
 * malformed: a copied link shows the point where its sender left it.
 */
export function outlierFromParams(params: URLSearchParams): [number, number] {
  const raw = params.get('outlier');
  if (raw === null) return [...OUTLIER_HOME];
  const parts = raw.split(',').map((v) => (v.trim() === '' ? Number.NaN : Number(v)));
  const [x, y] = parts;
  const inside = parts.length === 2 && x !== undefined && y !== undefined && x >= X_RANGE[0] && x <= X_RANGE[1] && y >= Y_RANGE[0] && y <= Y_RANGE[1];
  return inside ? [roundTo(x), roundTo(y)] : [...OUTLIER_HOME];
}
