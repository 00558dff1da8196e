/**
 * The first intuition: L(w) = w², a ball at w, and plain gradient descent moving it with
 * the engine (L.backward() gives L′(w) = 2w; the SGD optimizer takes the step).
 */
import { SGD, sum, square, tensor } from '../../../src/index.js';
import { drawArrow, fitCanvas, linearScale } from '../common/canvas.js';
import { okabeIto } from '../common/colors.js';
import { button, slider } from '../common/controls.js';
import { el, fmt } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';
import { renderMath, texNumber } from '../common/math.js';
import { parabolaFinished, parabolaState } from './trajectory.js';

const RANGE: [number, number] = [-3, 3];

export function mountOneD(host: HTMLElement): void {
  const canvas = el('canvas', { class: 'plot', id: 'oned-canvas', tabindex: 0, 'data-i18n-aria-label': 'gd.oneD.canvas', role: 'img' });
  const lr = slider({ id: 'oned-lr', label: 'control.learningRate', min: 0.01, max: 1.2, step: 0.01, value: 0.1, log: true, digits: 3 });
  const stepButton = button({ id: 'oned-step', label: 'control.step', kind: 'primary' });
  const playButton = button({ id: 'oned-play', label: 'control.play' });
  const resetButton = button({ id: 'oned-reset', label: 'control.reset' });
  const formula = el('div', { class: 'formula', id: 'oned-formula', 'aria-live': 'polite' });
  const status = el('p', { class: 'status', id: 'oned-status' });
  host.append(
    el('div', { class: 'grid' }, el('div', { class: 'card' }, canvas), el('div', { class: 'card' }, lr.root, el('div', { class: 'buttons' }, stepButton, playButton, resetButton), formula, status)),
  );

  let start = 2.5;
  let trail: number[] = [];
  let w = tensor([start], [1], { requiresGrad: true });
  let optimizer = new SGD([w], { learningRate: lr.value });
  let last: { before: number; grad: number; after: number; lr: number } | null = null;
  let timer: number | null = null;

  const sized = fitCanvas(canvas, 0.5, () => draw(), 320);

  function reset(at = start): void {
    start = at;
    w = tensor([at], [1], { requiresGrad: true });
    optimizer = new SGD([w], { learningRate: lr.value });
    trail = [at];
    last = null;
    stop();
    show();
  }

  function step(): void {
    const before = w.item();
    if (!Number.isFinite(before) || Math.abs(before) > 1e6) return stop();
    // Once converged, at the edge or off the picture, more steps change nothing worth watching.
    if (parabolaFinished(parabolaState(trail)) && trail.length > 1) return stop();
    optimizer.learningRate = lr.value;
    const loss = sum(square(w));
    optimizer.zeroGrad();
    loss.backward();
    const grad = w.grad!.item();
    optimizer.step();
    last = { before, grad, after: w.item(), lr: lr.value };
    trail.push(w.item());
    show();
  }

  function stop(): void {
    if (timer !== null) clearInterval(timer);
    timer = null;
    playButton.dataset.i18n = 'control.play';
    playButton.textContent = t('control.play');
    playButton.setAttribute('aria-pressed', 'false');
  }

  function show(): void {
    draw();
    if (last === null) {
      renderMath(formula, `w = ${texNumber(w.item())}, \\quad L(w) = w^2 = ${texNumber(w.item() ** 2)}`);
    } else {
      const { before, grad, after, lr: eta } = last;
      renderMath(formula, `w \\leftarrow w - \\eta\\,L'(w) = ${texNumber(before)} - ${texNumber(eta)} \\cdot (${texNumber(grad)}) = ${texNumber(after)}`);
    }
    const x = w.item();
    const state = parabolaState(trail);
    status.dataset.state = state === 'diverged' || state === 'converged' || state === 'oscillating' ? state : 'running';
    status.dataset.steps = String(trail.length - 1);
    status.textContent =
      state === 'diverged'
        ? t('gd.oneD.diverged', { lr: fmt(lr.value, 3) })
        : state === 'converged'
          ? t('gd.oneD.converged', { steps: trail.length - 1 })
          : state === 'oscillating'
            ? t('gd.oneD.oscillating', { lr: fmt(lr.value, 3) })
            : state === 'bouncing'
              ? t('gd.oneD.bouncing')
              : t('gd.oneD.position', { w: fmt(x, 3), loss: fmt(x * x, 3) });
    if (trail.length > 1 && parabolaFinished(state)) stop();
  }

  function draw(): void {
    const { ctx, width, height } = sized;
    const sx = linearScale(RANGE, [30, width - 10]);
    const sy = linearScale([0, 9.5], [height - 24, 10]);
    ctx.clearRect(0, 0, width, height);
    ctx.strokeStyle = '#999';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(sx(RANGE[0]), sy(0));
    ctx.lineTo(sx(RANGE[1]), sy(0));
    ctx.moveTo(sx(0), sy(0));
    ctx.lineTo(sx(0), sy(9.5));
    ctx.stroke();
    ctx.fillStyle = '#333';
    ctx.font = 'italic 13px system-ui, sans-serif';
    ctx.fillText('w', width - 20, sy(0) - 6);
    ctx.fillText('L(w) = w²', sx(0) + 6, 22);
    ctx.strokeStyle = okabeIto.blue;
    ctx.lineWidth = 3;
    ctx.beginPath();
    for (let k = 0; k <= 200; k++) {
      const x = RANGE[0] + ((RANGE[1] - RANGE[0]) * k) / 200;
      if (k === 0) ctx.moveTo(sx(x), sy(x * x));
      else ctx.lineTo(sx(x), sy(x * x));
    }
    ctx.stroke();
    // Earlier positions, joined in order: the jumps across the minimum show when η is too large.
    const visible = trail.filter((x) => Number.isFinite(x) && Math.abs(x) <= RANGE[1]);
    ctx.setLineDash([4, 4]);
    ctx.strokeStyle = '#555';
    ctx.lineWidth = 1;
    ctx.beginPath();
    visible.forEach((x, k) => (k === 0 ? ctx.moveTo(sx(x), sy(x * x)) : ctx.lineTo(sx(x), sy(x * x))));
    ctx.stroke();
    ctx.setLineDash([]);
    visible.forEach((x, k) => {
      ctx.fillStyle = `rgba(0,0,0,${0.15 + (0.5 * (k + 1)) / visible.length})`;
      ctx.beginPath();
      ctx.arc(sx(x), sy(x * x), 3, 0, 2 * Math.PI);
      ctx.fill();
    });
    const x = w.item();
    if (Number.isFinite(x) && Math.abs(x) <= RANGE[1]) {
      const slope = 2 * x;
      if (Math.abs(slope) > 1e-6) {
        ctx.strokeStyle = okabeIto.orange;
        ctx.fillStyle = okabeIto.orange;
        ctx.lineWidth = 3;
        drawArrow(ctx, sx(x), sy(x * x) - 12, sx(x) - Math.sign(slope) * 40, sy(x * x) - 12, 8);
      }
      ctx.fillStyle = okabeIto.vermillion;
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(sx(x), sy(x * x) - 8, 8, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }

  const pick = (px: number): void => {
    const x = linearScale(RANGE, [30, sized.width - 10]).invert(px);
    reset(Number(Math.min(RANGE[1], Math.max(RANGE[0], x)).toFixed(2)));
  };
  canvas.addEventListener('pointerdown', (e) => pick(e.clientX - canvas.getBoundingClientRect().left));
  canvas.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    reset(Number(Math.min(RANGE[1], Math.max(RANGE[0], start + (e.key === 'ArrowLeft' ? -0.1 : 0.1))).toFixed(2)));
  });
  stepButton.addEventListener('click', step);
  resetButton.addEventListener('click', () => reset());
  playButton.addEventListener('click', () => {
    if (timer !== null) return stop();
    if (trail.length > 1 && parabolaFinished(parabolaState(trail))) reset();
    timer = window.setInterval(step, 250);
    playButton.dataset.i18n = 'control.pause';
    playButton.textContent = t('control.pause');
    playButton.setAttribute('aria-pressed', 'true');
  });
  lr.onChange(() => reset());
  onLanguageChange(() => show());
  reset();
}
