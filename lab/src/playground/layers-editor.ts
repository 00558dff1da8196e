/**
 * The hidden layers: add, remove, set units (no cap beyond what a browser can train) and
 * an activation per layer. The output layer follows from the data and the loss.
 * The list is rebuilt only when layers are added or removed (or the language changes): a
 * select the reader has open, or an input with focus, stays as it is while the network trains.
 */
import { el } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';
import { hiddenActivations, MAX_LAYERS, MAX_UNITS, type HiddenActivation, type HiddenLayer } from './state.js';

const activationNames: Record<HiddenActivation, string> = {
  relu: 'ReLU',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  leakyRelu: 'Leaky ReLU',
  elu: 'ELU',
  gelu: 'GELU',
  swish: 'Swish',
  linear: 'Linear',
};

export class LayersEditor {
  readonly root: HTMLElement;
  private layers: HiddenLayer[] = [];
  private output = '';
  private readonly list = el('ol', { class: 'layers', id: 'pg-layers' });
  private readonly outputRow = el('p', { class: 'note', id: 'pg-output-layer' });
  private readonly addButton = el('button', { type: 'button', id: 'pg-add-layer', 'data-i18n': 'pg.layers.add' });

  constructor(private readonly onChange: (layers: HiddenLayer[]) => void) {
    this.root = el('fieldset', { class: 'layers-editor' }, el('legend', { 'data-i18n': 'pg.layers.title' }), this.list, this.addButton, this.outputRow);
    this.addButton.addEventListener('click', () => {
      const last = this.layers.at(-1);
      this.layers.push({ units: last?.units ?? 4, activation: last?.activation ?? 'relu' });
      this.changed(true);
    });
    onLanguageChange(() => this.render(), false);
  }

  /** Times the list was rebuilt (the tests check training does not rebuild it). */
  renders = 0;

  set(layers: readonly HiddenLayer[], output: string): void {
    const same = layers.length === this.layers.length && layers.every((l, i) => l.units === this.layers[i]!.units && l.activation === this.layers[i]!.activation);
    if (output !== this.output) {
      this.output = output;
      this.outputRow.textContent = output;
    }
    if (same && this.renders > 0) return;
    this.layers = layers.map((l) => ({ ...l }));
    this.render();
  }

  /** A value changed in place (the inputs already show it); `structure` when rows came or went. */
  private changed(structure = false): void {
    if (structure) this.render();
    this.onChange(this.layers.map((l) => ({ ...l })));
  }

  private render(): void {
    this.renders++;
    this.list.replaceChildren(
      ...this.layers.map((layer, i) => {
        const unitsId = `pg-units-${i}`;
        const actId = `pg-activation-${i}`;
        const units = el('input', { type: 'number', id: unitsId, min: 1, max: MAX_UNITS, step: 1, value: layer.units, inputmode: 'numeric' });
        units.addEventListener('change', () => {
          const n = Math.round(Number(units.value));
          if (!Number.isFinite(n) || n < 1) units.value = String(layer.units);
          else {
            layer.units = Math.min(MAX_UNITS, n);
            units.value = String(layer.units);
            this.changed();
          }
        });
        const activation = el('select', { id: actId }, ...hiddenActivations.map((a) => el('option', { value: a }, activationNames[a])));
        activation.value = layer.activation;
        activation.addEventListener('change', () => {
          layer.activation = activation.value as HiddenActivation;
          this.changed();
        });
        const remove = el('button', { type: 'button', class: 'remove', 'aria-label': t('pg.layers.remove', { k: i + 1 }) }, '×');
        remove.addEventListener('click', () => {
          this.layers.splice(i, 1);
          this.changed(true);
        });
        return el(
          'li',
          {},
          el('span', { class: 'layer-name' }, t('pg.layers.hidden', { k: i + 1 })),
          el('label', { for: unitsId, class: 'inline' }, t('pg.layers.units')),
          units,
          el('label', { for: actId, class: 'inline' }, t('pg.layers.activation')),
          activation,
          remove,
        );
      }),
    );
    this.addButton.disabled = this.layers.length >= MAX_LAYERS;
    this.outputRow.textContent = this.output;
  }
}
