/**
 * BCE against MSE from a confidently wrong start, side by side: ŷ per iteration for both, the
 * first gradient of each, and how many iterations each needs to get the sample right.
 */
import { LineChart } from '../common/chart.js';
import { okabeIto } from '../common/colors.js';
import { slider } from '../common/controls.js';
import { el, fmt } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';
import { numberParam, readParams, updateParams } from '../common/url-state.js';
import { defaultRace, race, type RaceRun } from './race.js';

export function mountRace(host: HTMLElement): void {
  const params = readParams();
  const startZ = slider({ id: 'race-z', label: 'loss.race.startZ', min: -8, max: -1, step: 0.5, value: numberParam(params, 'race_z', defaultRace.startZ, -8, -1) });
  const lr = slider({ id: 'race-lr', label: 'control.learningRate', min: 0.05, max: 2, step: 0.05, value: numberParam(params, 'race_lr', defaultRace.learningRate, 0.05, 2) });
  const chartHost = el('div', { id: 'race-chart' });
  const summary = el('ul', { class: 'summary', id: 'race-summary', 'aria-live': 'polite' });
  host.append(el('div', { class: 'controls' }, startZ.root, lr.root), el('div', { class: 'card' }, chartHost, summary));
  const chart = new LineChart(chartHost, {
    xLabel: () => t('chart.iteration'),
    yLabel: () => 'ŷ',
    series: [
      { label: () => t('loss.race.bce'), color: okabeIto.blue, width: 2.5 },
      { label: () => t('loss.race.mse'), color: okabeIto.vermillion, dash: [6, 4], width: 2.5 },
    ],
    height: 240,
    description: () => t('loss.race.description'),
  });

  function line(name: string, run: RaceRun, id: string): HTMLElement {
    const reached = run.reachedAt === null ? t('loss.race.never', { goal: defaultRace.goal, iterations: defaultRace.iterations }) : t('loss.race.reached', { goal: defaultRace.goal, iterations: run.reachedAt });
    return el(
      'li',
      { id, 'data-reached': run.reachedAt === null ? 'never' : String(run.reachedAt), 'data-gradient': String(run.firstGradient) },
      t('loss.race.line', { name, gradient: fmt(run.firstGradient, 3), reached }),
    );
  }

  function update(): void {
    const options = { ...defaultRace, startZ: startZ.value, learningRate: lr.value };
    const bce = race('bce', options);
    const mse = race('mse', options);
    const xs = bce.predictions.map((_, k) => k);
    chart.setData(xs, [bce.predictions, mse.predictions]);
    summary.replaceChildren(
      el('li', {}, t('loss.race.start', { yhat: fmt(bce.predictions[0]!, 3), z: fmt(startZ.value, 2) })),
      line(t('loss.race.bce'), bce, 'race-bce'),
      line(t('loss.race.mse'), mse, 'race-mse'),
    );
    updateParams({ race_z: String(startZ.value), race_lr: String(lr.value) });
  }

  startZ.onChange(update);
  lr.onChange(update);
  onLanguageChange(update, false);
  update();
}
