/** Binary cross-entropy (curves for y = 1 and y = 0) and categorical cross-entropy (softmax bars). */
import { binaryCrossentropy, categoricalCrossentropy, noGrad, oneHot, softmax, tensor } from '../../../src/index.js';
import { LineChart } from '../common/chart.js';
import { classColor, okabeIto } from '../common/colors.js';
import { select, slider, type Slider } from '../common/controls.js';
import { el, fmt } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';
import { renderMath } from '../common/math.js';
import { choiceParam, numberListParam, numberParam, readParams, updateParams } from '../common/url-state.js';
import { linspace, lossCurve } from './curves.js';
import { markPoint } from './marker.js';

const PROBABILITIES = linspace(0.001, 0.999, 300);
const CLASSES = 4;

export function mountBinary(host: HTMLElement): void {
  const params = readParams();
  const yPred = slider({ id: 'bce-yhat', label: 'loss.yPred', min: 0.01, max: 0.99, step: 0.01, value: numberParam(params, 'bce_p', 0.2, 0.01, 0.99) });
  const truth = select<'1' | '0'>({
    id: 'bce-truth',
    label: 'loss.bce.truth',
    choices: [
      { value: '1', label: 'loss.bce.class1' },
      { value: '0', label: 'loss.bce.class0' },
    ],
    value: choiceParam(params, 'bce_y', ['1', '0'] as const, '1'),
  });
  const chartHost = el('div');
  const readout = el('p', { class: 'readout', id: 'bce-readout', 'aria-live': 'polite' });
  const formula = el('div', { class: 'formula' });
  host.append(el('div', { class: 'controls' }, yPred.root, truth.root), chartHost, readout, formula);
  renderMath(formula, 'L = -\\left[\\, y \\log \\hat{y} + (1 - y) \\log(1 - \\hat{y}) \\,\\right], \\qquad \\frac{dL}{d\\hat{y}} = \\frac{\\hat{y} - y}{\\hat{y}\\,(1 - \\hat{y})}');

  const bce = (y: number) => lossCurve((t, p) => binaryCrossentropy(t, p, { reduction: 'none' }), y, PROBABILITIES);
  const curves = { one: bce(1), zero: bce(0) };
  let marker = { x: 0, value: 0 };
  const chart = new LineChart(chartHost, {
    xLabel: () => 'ŷ',
    yLabel: () => 'L',
    series: [
      { label: () => t('loss.bce.y1'), color: okabeIto.blue },
      { label: () => t('loss.bce.y0'), color: okabeIto.vermillion, dash: [6, 4] },
    ],
    height: 220,
    yRange: [0, 7],
    xRange: [0, 1],
    draw: (u) => markPoint(u, marker.x, marker.value, okabeIto.orange),
    description: () => t('loss.chart.description'),
    onClickX: (x) => {
      yPred.value = Math.min(0.99, Math.max(0.01, Number(x.toFixed(2))));
      update();
    },
  });

  function update(): void {
    const y = Number(truth.value);
    const here = lossCurve((t, p) => binaryCrossentropy(t, p, { reduction: 'none' }), y, [yPred.value]);
    marker = { x: yPred.value, value: here.values[0]! };
    chart.setData(PROBABILITIES, [curves.one.values, curves.zero.values]);
    readout.textContent = `${t('loss.value', { value: fmt(here.values[0]!, 4) })} · ${t('loss.slope', { value: fmt(here.slopes[0]!, 4) })}`;
    readout.dataset.loss = String(here.values[0]);
    updateParams({ bce_p: String(yPred.value), bce_y: truth.value });
  }
  yPred.onChange(update);
  truth.onChange(update);
  onLanguageChange(update, false);
  update();
}

export function mountCategorical(host: HTMLElement): void {
  const logits: Slider[] = [];
  const params = readParams();
  // The four logits travel as one comma-separated list (cce_z=2,1,-0.5,0.2).
  const initial = numberListParam(params, 'cce_z', [2, 1, -0.5, 0.2], -4, 4);
  for (let k = 0; k < CLASSES; k++) {
    const s = slider({ id: `cce-z${k}`, label: 'loss.cce.logit', min: -4, max: 4, step: 0.1, value: initial[k]! });
    // The label needs the class number, so update() writes it rather than the page translator.
    s.root.querySelector('label')!.removeAttribute('data-i18n');
    logits.push(s);
  }
  const truth = select<string>({
    id: 'cce-truth',
    label: 'loss.cce.truth',
    choices: Array.from({ length: CLASSES }, (_, k) => ({ value: String(k), label: 'loss.cce.class' as const })),
    value: choiceParam(params, 'cce_y', Array.from({ length: CLASSES }, (_, k) => String(k)), '1'),
  });
  const bars = el('div', { class: 'bars', id: 'cce-bars', role: 'img', 'data-i18n-aria-label': 'loss.cce.bars' });
  const readout = el('p', { class: 'readout', id: 'cce-readout', 'aria-live': 'polite' });
  const formula = el('div', { class: 'formula' });
  host.append(el('div', { class: 'controls' }, ...logits.map((s) => s.root), truth.root), bars, readout, formula);
  renderMath(formula, '\\hat{y}_c = \\frac{e^{z_c}}{\\sum_j e^{z_j}}, \\qquad L = -\\sum_{c} y_c \\log \\hat{y}_c, \\qquad \\frac{\\partial L}{\\partial z_c} = \\hat{y}_c - y_c');

  function label(k: number): string {
    return t('loss.cce.class', { k: k + 1 });
  }

  function update(): void {
    // Class names in the selects carry the class number, which the message template needs.
    truth.select.querySelectorAll('option').forEach((o, k) => (o.textContent = label(k)));
    logits.forEach((s, k) => (s.root.querySelector('label')!.textContent = t('loss.cce.logit', { k: k + 1 })));
    const z = tensor(logits.map((s) => s.value), [1, CLASSES], { requiresGrad: true });
    const k = Number(truth.value);
    const loss = categoricalCrossentropy(oneHot([k], CLASSES), z, { fromLogits: true });
    loss.backward();
    const p = noGrad(() => softmax(z)).data;
    const g = z.grad!.data;
    const row = (kind: 'p' | 'g', c: number, v: number): HTMLElement => {
      const width = kind === 'p' ? v * 100 : Math.abs(v) * 50;
      const left = kind === 'p' ? 0 : v < 0 ? 50 - width : 50;
      return el(
        'div',
        { class: 'bar-row' },
        el('span', { class: 'bar-label' }, label(c) + (c === k ? ' ✓' : '')),
        el('span', { class: 'bar-track' + (kind === 'g' ? ' centred' : '') }, el('span', { class: 'bar', style: `left:${left}%;width:${width}%;background:${classColor(c)}` })),
        el('span', { class: 'bar-value' }, fmt(v, 3)),
      );
    };
    bars.replaceChildren(
      el('h4', {}, t('loss.cce.probabilities')),
      ...Array.from({ length: CLASSES }, (_, c) => row('p', c, p[c]!)),
      el('h4', {}, t('loss.cce.gradient')),
      ...Array.from({ length: CLASSES }, (_, c) => row('g', c, g[c]!)),
    );
    readout.textContent = t('loss.value', { value: fmt(loss.item(), 4) });
    readout.dataset.loss = String(loss.item());
    updateParams({ cce_z: logits.map((s) => String(s.value)).join(','), cce_y: truth.value });
  }
  for (const s of logits) s.onChange(update);
  truth.onChange(update);
  onLanguageChange(update);
}
