/** MSE, MAE and Huber side by side: move y and ŷ, see each loss and its slope. */
import { huber, meanAbsoluteError, meanSquaredError } from '../../../src/index.js';
import { LineChart } from '../common/chart.js';
import { okabeIto } from '../common/colors.js';
import { slider } from '../common/controls.js';
import { el, fmt } from '../common/dom.js';
import { onLanguageChange, t, type MessageKey } from '../common/i18n.js';
import { renderMath } from '../common/math.js';
import { numberParam, readParams, updateParams } from '../common/url-state.js';
import { linspace, lossCurve, type PerSampleLoss } from './curves.js';
import { markPoint } from './marker.js';

const RANGE: [number, number] = [-3, 3];
const XS = linspace(RANGE[0], RANGE[1], 241);

interface Card {
  id: string;
  title: MessageKey;
  /** The formula in TeX (a function: Huber's has a word in it, in the page's language). */
  tex: () => string;
  loss: (delta: number) => PerSampleLoss;
  /** A remark under the formula (MAE's corner). */
  note?: MessageKey;
}

const cards: Card[] = [
  {
    id: 'mse',
    title: 'loss.mse',
    tex: () => 'L = (y - \\hat{y})^2, \\qquad \\frac{dL}{d\\hat{y}} = 2(\\hat{y} - y)',
    loss: () => (y, p) => meanSquaredError(y, p, { reduction: 'none' }),
  },
  {
    id: 'mae',
    title: 'loss.mae',
    tex: () => 'L = |y - \\hat{y}|, \\qquad \\frac{dL}{d\\hat{y}} = \\operatorname{sign}(\\hat{y} - y)',
    loss: () => (y, p) => meanAbsoluteError(y, p, { reduction: 'none' }),
    note: 'loss.mae.corner',
  },
  {
    id: 'huber',
    title: 'loss.huber',
    tex: () =>
      `L = \\begin{cases} \\tfrac12 (y - \\hat{y})^2 & |y - \\hat{y}| \\le \\delta \\\\ \\delta\\,(|y - \\hat{y}| - \\tfrac12\\delta) & \\text{${t('loss.otherwise')}} \\end{cases}`,
    loss: (delta) => (y, p) => huber(y, p, { delta, reduction: 'none' }),
  },
];

export function mountRegression(host: HTMLElement): void {
  // y, ŷ and δ come from the URL when a link carries them (copy link reproduces the cards).
  const params = readParams();
  const yTrue = slider({ id: 'loss-y', label: 'loss.yTrue', min: -2, max: 2, step: 0.05, value: numberParam(params, 'y', 0.5, -2, 2) });
  const yPred = slider({ id: 'loss-yhat', label: 'loss.yPred', min: RANGE[0], max: RANGE[1], step: 0.01, value: numberParam(params, 'yhat', 2, RANGE[0], RANGE[1]) });
  const delta = slider({ id: 'loss-delta', label: 'loss.delta', min: 0.1, max: 2, step: 0.05, value: numberParam(params, 'delta', 1, 0.1, 2) });
  host.append(el('div', { class: 'controls' }, yTrue.root, yPred.root, delta.root), el('p', { class: 'note', 'data-i18n': 'loss.chartClick' }));
  const gallery = el('div', { class: 'grid three' });
  host.append(gallery);

  const updates = cards.map((card) => {
    const formula = el('div', { class: 'formula' });
    const readout = el('p', { class: 'readout', id: `loss-${card.id}-readout`, 'aria-live': 'polite' });
    const chartHost = el('div');
    const note = card.note ? [el('p', { class: 'note', id: `loss-${card.id}-note`, 'data-i18n': card.note })] : [];
    gallery.append(el('div', { class: 'card' }, el('h3', { 'data-i18n': card.title }), chartHost, readout, formula, ...note));
    onLanguageChange(() => renderMath(formula, card.tex()));
    let marker = { x: 0, value: 0 };
    const chart = new LineChart(chartHost, {
      xLabel: () => 'ŷ',
      yLabel: () => 'L',
      series: [
        { label: () => t('loss.curve'), color: okabeIto.blue },
        { label: () => t('loss.derivative'), color: okabeIto.vermillion, dash: [6, 4] },
      ],
      height: 200,
      draw: (u) => markPoint(u, marker.x, marker.value, okabeIto.orange),
      description: () => t('loss.chart.description'),
      onClickX: (x) => {
        yPred.value = Math.min(RANGE[1], Math.max(RANGE[0], Number(x.toFixed(2))));
        refresh(false)();
      },
    });
    return {
      update(full: boolean): void {
        if (full) {
          const curve = lossCurve(card.loss(delta.value), yTrue.value, XS);
          chart.setData(XS, [curve.values, curve.slopes]);
        }
        const here = lossCurve(card.loss(delta.value), yTrue.value, [yPred.value]);
        marker = { x: yPred.value, value: here.values[0]! };
        chart.redraw();
        readout.textContent = `${t('loss.value', { value: fmt(here.values[0]!, 4) })} · ${t('loss.slope', { value: fmt(here.slopes[0]!, 4) })}`;
        readout.dataset.loss = String(here.values[0]);
        readout.dataset.slope = String(here.slopes[0]);
      },
    };
  });

  const refresh = (full: boolean) => () => {
    updates.forEach((u) => u.update(full));
    updateParams({ y: String(yTrue.value), yhat: String(yPred.value), delta: String(delta.value) });
  };
  yTrue.onChange(refresh(true));
  delta.onChange(refresh(true));
  yPred.onChange(refresh(false));
  // The charts are rebuilt in the new language: give them their data again.
  onLanguageChange(refresh(true), false);
  refresh(true)();
}
