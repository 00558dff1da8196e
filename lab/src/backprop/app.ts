/**
 * Backpropagation with the numbers: one iteration of a 2 → 3 → 1 network, phase by phase
 * (→ next, ← previous), and "nudge a weight": the measured change of the loss next to the
 * gradient's prediction ∂L/∂w·Δw.
 */
import { button, select, slider } from '../common/controls.js';
import { el, fmt } from '../common/dom.js';
import { onLanguageChange, t, type MessageKey } from '../common/i18n.js';
import { renderMath, texNumber } from '../common/math.js';
import { registerActions } from '../common/teacher.js';
import { drawDiagram, edgeMeaning, type Orientation } from './diagram.js';
import { getWeight, initialWeights, nudge, phases, runPass, weightIds, type Pass, type Phase, type Weights, type WeightId } from './pass.js';

/** A weight's name as the lecture writes it: w¹ᵢⱼ joins input i to hidden neuron j, w²ⱼ hidden j to the output. */
function weightName(id: WeightId): string {
  const sub = '₁₂₃₄';
  const [layer, a, b] = id.split('.');
  return layer === 'w1' ? `w¹${sub[Number(a)]}${sub[Number(b)]}` : `w²${sub[Number(a)]}`;
}

export function mountBackprop(host: HTMLElement): void {
  const x1 = slider({ id: 'bp-x1', label: 'bp.x1', min: -2, max: 2, step: 0.1, value: 1 });
  const x2 = slider({ id: 'bp-x2', label: 'bp.x2', min: -2, max: 2, step: 0.1, value: -0.5 });
  const target = select<'1' | '0'>({ id: 'bp-y', label: 'bp.y', choices: [{ value: '1', text: 'y = 1' }, { value: '0', text: 'y = 0' }], value: '1' });
  const lr = slider({ id: 'bp-lr', label: 'control.learningRate', min: 0.1, max: 5, step: 0.1, value: 1 });
  const prev = button({ id: 'bp-prev', label: 'bp.prev' });
  const next = button({ id: 'bp-next', label: 'bp.next', kind: 'primary' });
  const reset = button({ id: 'bp-reset', label: 'control.reset' });
  const diagram = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  diagram.setAttribute('class', 'network');
  diagram.setAttribute('id', 'bp-diagram');
  diagram.setAttribute('role', 'img');
  diagram.setAttribute('tabindex', '0');
  diagram.setAttribute('data-i18n-aria-label', 'bp.diagram');
  const progress = el('ol', { class: 'bp-phases', id: 'bp-progress' });
  const title = el('h3', { id: 'bp-phase-title' });
  const explain = el('p', { id: 'bp-explain', 'aria-live': 'polite' });
  const formula = el('div', { class: 'formula', id: 'bp-formula' });
  const counter = el('p', { class: 'note', id: 'bp-iteration' });
  const edgeNote = el('p', { class: 'legend', id: 'bp-edge-note' });

  const weightSelect = select<WeightId>({ id: 'bp-weight', label: 'bp.nudge.weight', choices: weightIds.map((id) => ({ value: id, text: weightName(id) })), value: 'w2.0' });
  const delta = slider({ id: 'bp-delta', label: 'bp.nudge.delta', min: -0.5, max: 0.5, step: 0.01, value: 0.1, format: (v) => fmt(v, 2) });
  const nudgeOut = el('dl', { class: 'defs', id: 'bp-nudge', 'aria-live': 'polite' });
  const nudgeNote = el('p', { class: 'note', id: 'bp-nudge-note' });

  host.append(
    el(
      'div',
      { class: 'grid' },
      el('div', { class: 'card' }, diagram, edgeNote, el('div', { class: 'buttons' }, prev, next, reset), progress, counter),
      el('div', { class: 'card' }, title, explain, formula),
    ),
    el('div', { class: 'controls' }, x1.root, x2.root, target.root, lr.root),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'bp-nudge-title' },
      el('h2', { id: 'bp-nudge-title', 'data-i18n': 'bp.nudge.title' }),
      el('p', { 'data-i18n': 'bp.nudge.text' }),
      el('div', { class: 'controls' }, weightSelect.root, delta.root),
      nudgeOut,
      nudgeNote,
    ),
  );

  /** Weights at the start of each iteration so far (← can go back through them). */
  let history: Weights[] = [initialWeights()];
  let iteration = 0;
  let phaseIndex = 0;
  let pass: Pass;

  const sample = (): { x: [number, number]; y: number } => ({ x: [x1.value, x2.value], y: Number(target.value) });
  const phase = (): Phase => phases[phaseIndex]!;

  function compute(): void {
    pass = runPass(history[iteration]!, sample(), lr.value);
  }

  function go(step: 1 | -1): void {
    if (step === 1) {
      if (phaseIndex < phases.length - 1) phaseIndex++;
      else {
        // The update is done: the next iteration starts from the new weights.
        history = [...history.slice(0, iteration + 1), pass.after];
        iteration++;
        phaseIndex = 0;
        compute();
      }
    } else if (phaseIndex > 0) phaseIndex--;
    else if (iteration > 0) {
      iteration--;
      phaseIndex = phases.length - 1;
      compute();
    }
    render();
  }

  function restart(keepWeights: boolean): void {
    history = [keepWeights ? history[iteration]! : initialWeights()];
    iteration = 0;
    phaseIndex = 0;
    compute();
    render();
  }

  /** Tall under 480 px (a phone): drawn wide there, the diagram's numbers would shrink to 7 px. */
  const orientationFor = (width: number): Orientation => (width > 0 && width < 480 ? 'tall' : 'wide');
  let orientation: Orientation = 'wide';

  function render(): void {
    const p = phase();
    orientation = orientationFor(diagram.parentElement?.clientWidth ?? 0);
    drawDiagram(
      diagram,
      pass,
      p,
      weightSelect.value,
      (id) => {
        weightSelect.value = id;
        render();
      },
      orientation,
    );
    progress.replaceChildren(
      ...phases.map((name, k) => el('li', { ...(k === phaseIndex ? { 'aria-current': 'step' } : {}), class: k === phaseIndex ? 'current' : k < phaseIndex ? 'done' : '' }, t(`bp.phase.${name}` as MessageKey))),
    );
    title.textContent = t(`bp.phase.${p}` as MessageKey);
    edgeNote.textContent = t(edgeMeaning(p));
    counter.textContent = t('bp.iteration', { iteration: iteration + 1, loss: fmt(pass.loss, 4) });
    prev.disabled = iteration === 0 && phaseIndex === 0;
    explain.textContent = t(`bp.explain.${p}` as MessageKey, { eta: fmt(lr.value, 3) });
    renderFormula(p);
    renderNudge();
  }

  /** The phase's formula with this iteration's numbers, for the first hidden neuron and the output. */
  function renderFormula(p: Phase): void {
    const n = (v: number): string => texNumber(v, 3);
    const [x1v, x2v] = pass.sample.x;
    const w = pass.weights;
    const lines: Record<Phase, string[]> = {
      weights: [`x = (${n(x1v)},\\ ${n(x2v)}),\\quad y = ${n(pass.sample.y)}`],
      forwardHidden: [
        `z_1 = w^1_{11}x_1 + w^1_{21}x_2 + b_1 = ${n(w.w1[0]!)}\\cdot ${n(x1v)} + ${n(w.w1[3]!)}\\cdot ${n(x2v)} + ${n(w.b1[0]!)} = ${n(pass.zHidden[0]!)}`,
        `a_1 = \\sigma(z_1) = ${n(pass.aHidden[0]!)}`,
      ],
      forwardOutput: [`z = \\textstyle\\sum_j w^2_j a_j + b = ${n(pass.zOut)}`, `\\hat y = \\sigma(z) = ${n(pass.yHat)}`],
      loss: [`L = (\\hat y - y)^2 = (${n(pass.yHat)} - ${n(pass.sample.y)})^2 = ${n(pass.loss)}`],
      backwardOutput: [
        `\\frac{\\partial L}{\\partial z} = \\frac{\\partial L}{\\partial \\hat y}\\,\\sigma'(z) = ${n(pass.dLdyHat)}\\cdot ${n(pass.fPrimeOut)} = ${n(pass.dzOut)}`,
        `\\frac{\\partial L}{\\partial w^2_1} = a_1\\,\\frac{\\partial L}{\\partial z} = ${n(pass.aHidden[0]!)}\\cdot ${n(pass.dzOut)} = ${n(pass.grads.w2[0]!)}`,
      ],
      backwardHidden: [
        `\\frac{\\partial L}{\\partial z_1} = \\sigma'(z_1)\\,w^2_1\\,\\frac{\\partial L}{\\partial z} = ${n(pass.fPrimeHidden[0]!)}\\cdot ${n(w.w2[0]!)}\\cdot ${n(pass.dzOut)} = ${n(pass.dzHidden[0]!)}`,
        `\\frac{\\partial L}{\\partial w^1_{11}} = x_1\\,\\frac{\\partial L}{\\partial z_1} = ${n(x1v)}\\cdot ${n(pass.dzHidden[0]!)} = ${n(pass.grads.w1[0]!)}`,
      ],
      update: [
        `w^2_1 \\leftarrow w^2_1 - \\eta\\,\\frac{\\partial L}{\\partial w^2_1} = ${n(w.w2[0]!)} - ${n(pass.learningRate)}\\cdot ${n(pass.grads.w2[0]!)} = ${n(pass.after.w2[0]!)}`,
        `L: ${n(pass.loss)} \\to ${n(pass.lossAfter)}`,
      ],
    };
    renderMath(formula, `\\begin{gathered} ${lines[p].join(' \\\\ ')} \\end{gathered}`);
  }

  function renderNudge(): void {
    const id = weightSelect.value;
    const { measured, predicted } = nudge(pass, id, delta.value);
    const row = (label: string, value: string, rowId: string): HTMLElement[] => [el('dt', {}, label), el('dd', { id: rowId }, value)];
    nudgeOut.replaceChildren(
      ...row(t('bp.nudge.value', { name: weightName(id) }), `${fmt(getWeight(pass.weights, id), 4)} → ${fmt(getWeight(pass.weights, id) + delta.value, 4)}`, 'bp-nudge-w'),
      ...row(t('bp.nudge.gradient'), fmt(getWeight(pass.grads, id), 4), 'bp-nudge-grad'),
      ...row(t('bp.nudge.measured'), fmt(measured, 4), 'bp-nudge-measured'),
      ...row(t('bp.nudge.predicted'), fmt(predicted, 4), 'bp-nudge-predicted'),
    );
    nudgeOut.dataset.measured = String(measured);
    nudgeOut.dataset.predicted = String(predicted);
    const better = measured < 0;
    nudgeNote.textContent =
      delta.value === 0
        ? t('bp.nudge.zero')
        : t(better ? 'bp.nudge.better' : 'bp.nudge.worse', { gap: fmt(Math.abs(measured - predicted), 2) });
  }

  next.addEventListener('click', () => go(1));
  prev.addEventListener('click', () => go(-1));
  reset.addEventListener('click', () => restart(false));
  for (const s of [x1, x2, lr]) s.onChange(() => restart(true));
  target.onChange(() => restart(true));
  weightSelect.onChange(() => render());
  delta.onChange(() => renderNudge());
  // → is the lab's "one step" shortcut: here, the next phase (R resets, as everywhere).
  registerActions({ step: () => go(1), reset: () => restart(false) });
  // ← goes back a phase from anywhere on the page, except where arrows already mean something
  // (a slider, a list, a text field).
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowLeft' || event.defaultPrevented) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target as HTMLElement | null;
    if (target !== null && target.closest('input, select, textarea, [contenteditable="true"], [contenteditable=""], dialog') !== null) return;
    event.preventDefault();
    go(-1);
  });
  onLanguageChange(() => render(), false);
  compute();
  render();
  // Turning a phone or resizing the window can change which layout fits: redraw only then.
  new ResizeObserver(() => {
    if (orientationFor(diagram.parentElement?.clientWidth ?? 0) !== orientation) render();
  }).observe(diagram.parentElement!);
}
