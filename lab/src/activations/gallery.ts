/** f(z) and f′(z) for the common activations, from the engine's own definitions. */
import { activationDerivatives, activationValues } from '../../../src/index.js';
import { LineChart } from '../common/chart.js';
import { okabeIto } from '../common/colors.js';
import { slider } from '../common/controls.js';
import { el, fmt } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';
import { markPoint } from '../loss-functions/marker.js';
import { numberParam, readParams, updateParams } from '../common/url-state.js';

type Plotted = 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'elu' | 'gelu' | 'swish';
const shown: { name: Plotted; title: string; options?: { alpha: number } }[] = [
  { name: 'sigmoid', title: 'Sigmoid' },
  { name: 'tanh', title: 'Tanh' },
  { name: 'relu', title: 'ReLU' },
  { name: 'leakyRelu', title: 'Leaky ReLU', options: { alpha: 0.1 } },
  { name: 'elu', title: 'ELU' },
  { name: 'gelu', title: 'GELU' },
  { name: 'swish', title: 'Swish' },
];
const ZS = Float64Array.from({ length: 241 }, (_, i) => -6 + (12 * i) / 240);

export function mountGallery(host: HTMLElement): void {
  const z = slider({ id: 'act-z', label: 'act.z', min: -6, max: 6, step: 0.1, value: numberParam(readParams(), 'z', 1, -6, 6) });
  const gallery = el('div', { class: 'gallery' });
  host.append(el('div', { class: 'controls' }, z.root), gallery);
  const cards = shown.map(({ name, title, options }) => {
    const chartHost = el('div');
    const readout = el('p', { class: 'readout', id: `act-${name}-readout` });
    gallery.append(el('div', { class: 'card' }, el('h3', {}, title), chartHost, readout, ...(name === 'leakyRelu' ? [el('p', { class: 'note', 'data-i18n': 'act.leakyNote' })] : [])));
    const f = activationValues(name, ZS, options);
    const df = activationDerivatives(name, ZS, options);
    let marker = { z: 0, f: 0, df: 0 };
    const chart = new LineChart(chartHost, {
      xLabel: () => 'z',
      yLabel: () => '',
      series: [
        { label: () => t('act.f'), color: okabeIto.blue },
        { label: () => t('act.df'), color: okabeIto.vermillion, dash: [6, 4] },
      ],
      height: 180,
      yRange: [-1.5, 3],
      draw: (u) => {
        markPoint(u, marker.z, marker.f, okabeIto.blue);
        markPoint(u, marker.z, marker.df, okabeIto.vermillion);
      },
      description: () => `${title}: ${t('act.chart.description')}`,
      onClickX: (x) => {
        z.value = Number(x.toFixed(1));
        update();
      },
    });
    return {
      setData: () => chart.setData(ZS, [f, df]),
      show(value: number): void {
        const fz = activationValues(name, [value], options)[0]!;
        const dfz = activationDerivatives(name, [value], options)[0]!;
        marker = { z: value, f: fz, df: dfz };
        chart.redraw();
        readout.textContent = t('act.readout', { z: fmt(value, 3), f: fmt(fz, 3), df: fmt(dfz, 3) });
        readout.dataset.derivative = String(dfz);
      },
    };
  });
  function update(): void {
    for (const c of cards) c.show(z.value);
    updateParams({ z: String(z.value) });
  }
  z.onChange(update);
  onLanguageChange(() => {
    for (const c of cards) c.setData();
    update();
  });
}
