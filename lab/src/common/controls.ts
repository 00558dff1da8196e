/**
 * Labelled controls (native inputs, so keyboard and screen readers work as usual). Labels are
 * message keys, translated with the rest of the page.
 */
import { el, fmt } from './dom.js';
import { onLanguageChange, t, type MessageKey } from './i18n.js';

export interface Slider {
  readonly root: HTMLElement;
  readonly input: HTMLInputElement;
  value: number;
  onChange(fn: (value: number) => void): void;
}

export interface SliderOptions {
  id: string;
  label: MessageKey;
  min: number;
  max: number;
  step: number;
  value: number;
  /** Slide over log10 of the value (learning rates): equal moves multiply by equal factors. */
  log?: boolean;
  /**
   * Significant digits a log slider rounds to (default 2). With 3, a position within 1 % of a
   * two-digit value still lands on it (1.5, 0.1), and the others keep a third digit (1.05).
   */
  digits?: 2 | 3;
  format?: (v: number) => string;
}

export function slider(options: SliderOptions): Slider {
  const { id, log = false, digits = 2 } = options;
  const toInput = (v: number): number => (log ? Math.log10(v) : v);
  // Two significant digits on a log slider: its 1 % steps are finer than that anyway, and it
  // lands on the round values people type (0.1, 1.5, 0.03).
  const fromInput = (v: number): number => {
    if (!log) return v;
    const raw = Math.pow(10, v);
    const two = Number(raw.toPrecision(2));
    return digits === 2 || Math.abs(two / raw - 1) < 0.01 ? two : Number(raw.toPrecision(3));
  };
  const input = el('input', {
    type: 'range',
    id,
    min: toInput(options.min),
    max: toInput(options.max),
    step: log ? 0.01 : options.step,
    value: toInput(options.value),
    // How the position maps to the value: the keyboard shortcuts for η (teacher.ts) read it.
    'data-scale': log ? 'log' : 'linear',
  });
  const output = el('output', { for: id });
  const label = el('label', { for: id, 'data-i18n': options.label });
  const root = el('div', { class: 'control slider' }, label, output, input);
  const format = options.format ?? ((v: number) => fmt(v, 3));
  let current = options.value;
  const listeners: ((v: number) => void)[] = [];
  const show = (): void => {
    output.textContent = format(current);
    input.setAttribute('aria-valuetext', format(current));
  };
  input.addEventListener('input', () => {
    current = fromInput(Number(input.value));
    show();
    for (const fn of listeners) fn(current);
  });
  show();
  return {
    root,
    input,
    get value() {
      return current;
    },
    set value(v: number) {
      current = v;
      input.value = String(toInput(v));
      show();
    },
    onChange: (fn) => void listeners.push(fn),
  };
}

/** An option labelled by a message key, or by its own text where there is nothing to translate (a number). */
export type Choice<V extends string> = { value: V; label: MessageKey } | { value: V; text: string };

export interface Select<V extends string> {
  readonly root: HTMLElement;
  readonly select: HTMLSelectElement;
  value: V;
  onChange(fn: (value: V) => void): void;
  setChoices(choices: readonly Choice<V>[]): void;
}

export function select<V extends string>(options: { id: string; label: MessageKey; choices: readonly Choice<V>[]; value: V }): Select<V> {
  const sel = el('select', { id: options.id });
  let choices = options.choices;
  const render = (): void => {
    const keep = sel.value || options.value;
    sel.replaceChildren(...choices.map((c) => el('option', { value: c.value }, 'text' in c ? c.text : t(c.label))));
    if (choices.length > 0) sel.value = choices.some((c) => c.value === keep) ? keep : choices[0]!.value;
  };
  onLanguageChange(render);
  sel.value = options.value;
  const root = el('div', { class: 'control select' }, el('label', { for: options.id, 'data-i18n': options.label }), sel);
  const listeners: ((v: V) => void)[] = [];
  sel.addEventListener('change', () => {
    for (const fn of listeners) fn(sel.value as V);
  });
  return {
    root,
    select: sel,
    get value() {
      return sel.value as V;
    },
    set value(v: V) {
      sel.value = v;
    },
    onChange: (fn) => void listeners.push(fn),
    setChoices(next) {
      choices = next;
      render();
    },
  };
}

export function checkbox(options: { id: string; label: MessageKey; checked: boolean }): { root: HTMLElement; input: HTMLInputElement } {
  const input = el('input', { type: 'checkbox', id: options.id, checked: options.checked });
  const root = el('div', { class: 'control check' }, input, el('label', { for: options.id, 'data-i18n': options.label }));
  return { root, input };
}

/** A button whose text is a message key. */
export function button(options: { id: string; label: MessageKey; kind?: 'primary' | 'plain' }): HTMLButtonElement {
  return el('button', { type: 'button', id: options.id, class: options.kind ?? 'plain', 'data-i18n': options.label });
}

/** A labelled read-only figure (loss, accuracy, iteration): the page writes into `value`. */
export function stat(id: string, label: MessageKey): { root: HTMLElement; value: HTMLElement } {
  const value = el('span', { class: 'value', id });
  return { root: el('div', { class: 'stat' }, el('span', { class: 'label', 'data-i18n': label }), value), value };
}
