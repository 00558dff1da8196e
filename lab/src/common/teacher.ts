/**
 * Tools for teaching with any page: keyboard shortcuts (listed with `?`), presenter mode
 * (larger type, prose hidden, optional high contrast, one figure full screen), export of every
 * registered figure (PNG from a canvas, SVG from an SVG) and curve (CSV), and a "copy link"
 * button for the page's settings, which live in the URL.
 *
 * Pages register what they have: registerFigure() for each figure, registerActions() for what
 * the keys do. mountTeacherTools() (called by pageReady) adds the buttons.
 */
import { download, el, svg } from './dom.js';
import { onLanguageChange, t, type MessageKey } from './i18n.js';

export interface FigureSpec {
  /** Short name used in file names: `${id}.png`, `${id}.csv`. */
  id: string;
  /** The figure: a canvas, an SVG, or an element holding one (a uPlot chart). */
  element: HTMLElement | SVGSVGElement;
  /** What to put next to the buttons; usually the card holding the figure (default: the parent). */
  host?: HTMLElement;
  /** The card that goes full screen (default: host). */
  frame?: HTMLElement;
  /** The numbers behind a curve: a header row, then one row per point. */
  csv?: () => (string | number | null)[][];
}

/** What the shortcuts do on this page; keys whose action is missing do nothing. */
export interface PageActions {
  playPause?: () => void;
  step?: () => void;
  epoch?: () => void;
  reset?: () => void;
  /** Multiply the learning rate by `factor` (½ or 2). */
  scaleLearningRate?: (factor: number) => void;
}

const figures: FigureSpec[] = [];
let actions: PageActions = {};

export function registerFigure(spec: FigureSpec): void {
  figures.push(spec);
  if (mounted) addFigureTools(spec);
}

export function registerActions(next: PageActions): void {
  actions = { ...actions, ...next };
}

const shortcuts: { keys: string; label: MessageKey; action: keyof PageActions | 'help' }[] = [
  { keys: 'Space', label: 'teacher.key.play', action: 'playPause' },
  { keys: '→', label: 'teacher.key.step', action: 'step' },
  { keys: 'E', label: 'teacher.key.epoch', action: 'epoch' },
  { keys: 'R', label: 'teacher.key.reset', action: 'reset' },
  { keys: '[  ]', label: 'teacher.key.lr', action: 'scaleLearningRate' },
  { keys: '?', label: 'teacher.key.help', action: 'help' },
];

/** Whether a key press belongs to what has focus (typing, a slider, a canvas moved with arrows). */
function ownsKeys(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, select, textarea, [contenteditable=""], [contenteditable="true"], dialog')) return true;
  // A focusable canvas or neuron uses the arrow keys itself.
  if (key.startsWith('Arrow') && target.closest('[tabindex]:not(button):not(a)')) return true;
  // Space on a button or link presses it; let the browser do that.
  if (key === ' ' && target.closest('button, a, [role="button"]')) return true;
  return false;
}

/** The action a key press asks for, or null (exported for tests of the mapping). */
export function actionFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): { action: keyof PageActions | 'help'; factor?: number } | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case ' ': return { action: 'playPause' };
    case 'ArrowRight': return { action: 'step' };
    case 'e': case 'E': return { action: 'epoch' };
    case 'r': case 'R': return { action: 'reset' };
    case '[': return { action: 'scaleLearningRate', factor: 0.5 };
    case ']': return { action: 'scaleLearningRate', factor: 2 };
    case '?': return { action: 'help' };
    default: return null;
  }
}

let mounted = false;
let helpDialog: HTMLDialogElement | null = null;

function showHelp(): void {
  if (helpDialog === null) {
    const list = el('dl', { class: 'defs', id: 'teacher-shortcuts' });
    const close = el('button', { type: 'button', 'data-i18n': 'teacher.close' });
    helpDialog = el('dialog', { id: 'teacher-help', 'aria-labelledby': 'teacher-help-title' }, el('h2', { id: 'teacher-help-title', 'data-i18n': 'teacher.keys.title' }), list, el('p', { class: 'note', 'data-i18n': 'teacher.keys.note' }), close);
    close.addEventListener('click', () => helpDialog!.close());
    onLanguageChange(() => {
      list.replaceChildren(
        ...shortcuts.flatMap((s) => {
          const available = s.action === 'help' || actions[s.action] !== undefined || hasConventional(s.action);
          return [el('dt', {}, el('kbd', {}, s.keys)), el('dd', {}, t(s.label) + (available ? '' : ` ${t('teacher.key.notHere')}`))];
        }),
      );
      helpDialog!.querySelectorAll<HTMLElement>('[data-i18n]').forEach((node) => (node.textContent = t(node.dataset.i18n as MessageKey)));
    });
    document.body.append(helpDialog);
  }
  if (!helpDialog.open) helpDialog.showModal();
}

/** The first enabled, visible button showing one of `keys` (the pages' shared control labels). */
function controlButton(...keys: MessageKey[]): HTMLButtonElement | null {
  for (const b of document.querySelectorAll<HTMLButtonElement>(keys.map((k) => `main button[data-i18n="${k}"]`).join(', '))) {
    if (!b.disabled && b.offsetParent !== null) return b;
  }
  return null;
}

/**
 * What the keys do on a page that registered nothing: the page's first play, step, epoch and
 * reset buttons and its learning-rate slider (every page builds them from the same labelled
 * controls), so the shortcuts work on every page without each page wiring them.
 */
function conventionalAction(action: keyof PageActions, factor?: number): boolean {
  if (action === 'scaleLearningRate') {
    const label = document.querySelector<HTMLLabelElement>('main label[data-i18n="control.learningRate"]');
    const input = label?.htmlFor ? document.getElementById(label.htmlFor) : null;
    if (!(input instanceof HTMLInputElement) || input.disabled) return false;
    const v = Number(input.value);
    const next = input.dataset.scale === 'log' ? v + Math.log10(factor!) : v * factor!;
    input.value = String(Math.min(Number(input.max), Math.max(Number(input.min), next)));
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return true;
  }
  const keys: Record<Exclude<keyof PageActions, 'scaleLearningRate'>, MessageKey[]> = {
    playPause: ['control.play', 'control.pause'],
    step: ['control.step'],
    epoch: ['control.epoch'],
    reset: ['control.reset'],
  };
  const b = controlButton(...keys[action]);
  b?.click();
  return b !== null;
}

function onKey(event: KeyboardEvent): void {
  if (event.defaultPrevented || ownsKeys(event.target, event.key)) return;
  const wanted = actionFor(event);
  if (wanted === null) return;
  if (wanted.action === 'help') {
    event.preventDefault();
    showHelp();
    return;
  }
  const run = actions[wanted.action];
  if (run === undefined) {
    if (conventionalAction(wanted.action, wanted.factor)) event.preventDefault();
    return;
  }
  event.preventDefault();
  if (wanted.action === 'scaleLearningRate') actions.scaleLearningRate!(wanted.factor!);
  else (run as () => void)();
}

function hasConventional(action: keyof PageActions): boolean {
  if (action === 'scaleLearningRate') return document.querySelector('main label[data-i18n="control.learningRate"]') !== null;
  const key = { playPause: 'control.play', step: 'control.step', epoch: 'control.epoch', reset: 'control.reset' }[action];
  return document.querySelector(`main button[data-i18n="${key}"]`) !== null;
}

/** PNG of a canvas (or the canvas inside the element); SVG of an SVG. */
function exportImage(spec: FigureSpec): void {
  const node = spec.element;
  const svgNode = node instanceof SVGSVGElement ? node : node.querySelector('svg');
  const canvas = node instanceof HTMLCanvasElement ? node : node.querySelector('canvas');
  if (canvas !== null) {
    canvas.toBlob((blob) => {
      if (blob !== null) download(`${spec.id}.png`, blob, 'image/png');
    }, 'image/png');
  } else if (svgNode !== null) {
    const copy = svgNode.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    download(`${spec.id}.svg`, new XMLSerializer().serializeToString(copy), 'image/svg+xml');
  }
}

/** Rows as CSV: commas between fields, '.' as the decimal point, text quoted when needed. */
export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  const field = (v: string | number | null): string => {
    if (v === null) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  return rows.map((r) => r.map(field).join(',')).join('\n') + '\n';
}

function addFigureTools(spec: FigureSpec): void {
  const host = spec.host ?? spec.element.parentElement;
  if (host === null) return;
  const isImage = spec.element instanceof HTMLCanvasElement || spec.element instanceof SVGSVGElement || spec.element.querySelector('canvas, svg') !== null;
  const buttons: HTMLButtonElement[] = [];
  const make = (id: string, label: MessageKey, onClick: () => void, icon?: string): void => {
    // An icon's name is its title and aria-label (data-i18n would replace the icon with words).
    const named = icon === undefined ? { 'data-i18n': label } : { 'data-label': label, 'data-i18n-title': label, 'data-i18n-aria-label': label };
    const b = el('button', { type: 'button', class: icon === undefined ? 'tool' : 'tool icon', id: `${spec.id}-${id}`, ...named });
    if (icon !== undefined) b.append(svg('svg', { viewBox: '0 0 24 24', width: 14, height: 14, 'aria-hidden': 'true', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round' }, svg('path', { d: icon })));
    b.addEventListener('click', onClick);
    buttons.push(b);
  };
  if (isImage) make('png', spec.element instanceof SVGSVGElement || (!(spec.element instanceof HTMLCanvasElement) && spec.element.querySelector('canvas') === null) ? 'teacher.svg' : 'teacher.png', () => exportImage(spec));
  if (spec.csv) make('csv', 'teacher.csv', () => download(`${spec.id}.csv`, toCsv(spec.csv!()), 'text/csv'));
  const frame = spec.frame ?? host;
  // Full screen is an icon (named for screen readers and on hover): the bar stays short enough to share a heading's line.
  make(
    'full',
    'teacher.fullscreen',
    () => {
      if (document.fullscreenElement === frame) void document.exitFullscreen();
      else void frame.requestFullscreen?.().catch(() => frame.classList.toggle('pseudo-fullscreen'));
    },
    'M4 9V4h5 M15 4h5v5 M20 15v5h-5 M9 20H4v-5',
  );
  const bar = el('div', { class: 'figure-tools', role: 'group', 'data-i18n-aria-label': 'teacher.figureTools' }, ...buttons);
  registered.add(spec.element);
  placeTools(bar, host, spec.element);
  nameTools(bar);
}

/** Words on the buttons, or for an icon its name (title and aria-label), in the page's language. */
function nameTools(bar: HTMLElement): void {
  for (const b of bar.querySelectorAll<HTMLButtonElement>('button')) {
    const label = t((b.dataset.i18n ?? b.dataset.label) as MessageKey);
    if (b.classList.contains('icon')) {
      b.title = label;
      b.setAttribute('aria-label', label);
    } else b.textContent = label;
  }
  bar.setAttribute('aria-label', t('teacher.figureTools'));
}

/**
 * Put a figure's tool bar above the figure, never over it (it used to float over the figure's
 * top-right corner, and on a phone covered the corner of the backpropagation diagram): floated
 * right just before the heading over the figure, when there is one, so the two share a line and
 * the bar costs no height; and the figure clears it, so it starts below the bar whatever the
 * heading's length. `host` is the box that holds the figure (its card or container).
 */
function placeTools(bar: HTMLElement, host: HTMLElement, element: Element): void {
  // The figure's own box among host's children.
  let body: Element = element;
  while (body.parentElement !== null && body.parentElement !== host) body = body.parentElement;
  if (body.parentElement !== host) body = host.firstElementChild ?? host;
  const isHeading = (node: Element | null): node is HTMLElement => node !== null && /^H[1-6]$/.test(node.tagName);
  let anchor: Element = body;
  let clears: Element = body;
  if (isHeading(body.previousElementSibling)) anchor = body.previousElementSibling;
  else if (host.firstElementChild === body && isHeading(host.previousElementSibling) && host.parentElement !== null && getComputedStyle(host.parentElement).display === 'block') {
    // The heading is the host's own (a chart's container right under its title).
    anchor = host.previousElementSibling;
    clears = host;
  }
  if (anchor === host) host.prepend(bar);
  else anchor.before(bar);
  clears.classList.add('figure-body');
  bar.parentElement?.classList.add('has-figure-tools');
}

async function copyLink(button: HTMLButtonElement): Promise<void> {
  const url = location.href;
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    // No clipboard permission (an insecure origin, a locked-down browser): select it instead.
    const field = el('input', { type: 'text', value: url, readonly: true, 'aria-label': t('teacher.copyLink') });
    button.after(field);
    field.select();
    copied = document.execCommand?.('copy') ?? false;
    setTimeout(() => field.remove(), 4000);
  }
  button.dataset.copied = String(copied);
  const note = el('span', { class: 'teacher-note', role: 'status' }, t(copied ? 'teacher.copied' : 'teacher.copyFailed'));
  button.after(note);
  setTimeout(() => note.remove(), 2500);
}

/** A button showing a small line icon (an SVG path), named for screen readers and on hover. */
function iconButton(id: string, label: MessageKey, path: string): HTMLButtonElement {
  const icon = svg('svg', { viewBox: '0 0 24 24', width: 18, height: 18, 'aria-hidden': 'true', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }, svg('path', { d: path }));
  const b = el('button', { type: 'button', id, class: 'icon', 'data-label': label, title: t(label), 'aria-label': t(label) });
  b.append(icon);
  return b;
}

/** The header's teaching buttons, the shortcut keys and every registered figure's tools. */
export function mountTeacherTools(): void {
  if (mounted) return;
  mounted = true;
  // Icon buttons (named by aria-label and title) keep the header on one line at 1280 px.
  const copy = iconButton('teacher-copy-link', 'teacher.copyLink', 'M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1 M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1');
  copy.addEventListener('click', () => void copyLink(copy));
  const presenter = iconButton('teacher-presenter', 'teacher.presenter', 'M3 4h18v12H3z M12 16v4 M8 20h8');
  presenter.setAttribute('aria-pressed', 'false');
  // High contrast is an option of presenter mode (a projector washes colours out): shown with it.
  presenter.addEventListener('click', () => {
    const on = document.body.dataset.presenter !== 'true';
    document.body.dataset.presenter = String(on);
    presenter.setAttribute('aria-pressed', String(on));
    contrast.hidden = !on;
  });
  const contrast = iconButton('teacher-contrast', 'teacher.contrast', 'M12 3a9 9 0 1 0 0 18z M12 3a9 9 0 1 1 0 18');
  contrast.setAttribute('aria-pressed', 'false');
  contrast.addEventListener('click', () => {
    const on = document.body.dataset.contrast !== 'high';
    document.body.dataset.contrast = on ? 'high' : 'normal';
    contrast.setAttribute('aria-pressed', String(on));
  });
  contrast.hidden = true;
  const help = el('button', { type: 'button', id: 'teacher-keys', 'data-i18n-title': 'teacher.keys.title', 'aria-keyshortcuts': '?' }, '?');
  help.addEventListener('click', showHelp);
  const tools = el('div', { class: 'teacher-tools', role: 'group', 'data-i18n-aria-label': 'teacher.tools' }, copy, presenter, contrast, help);
  document.querySelector('.site-header')?.append(tools);
  onLanguageChange(() => {
    for (const b of [copy, presenter, contrast]) {
      b.title = t(b.dataset.label as MessageKey);
      b.setAttribute('aria-label', b.title);
    }
    help.title = t('teacher.keys.title');
    help.setAttribute('aria-label', t('teacher.keys.title'));
    tools.setAttribute('aria-label', t('teacher.tools'));
    document.querySelectorAll<HTMLElement>('.figure-tools').forEach(nameTools);
  });
  document.addEventListener('keydown', onKey);
  for (const spec of figures) addFigureTools(spec);
  // Every other figure on the page (canvases and network diagrams) can be exported and enlarged too.
  document.querySelectorAll<HTMLElement>('main canvas.plot, main svg.network').forEach((node, k) => {
    if (registered.has(node) || node.closest('.has-figure-tools .chart')) return;
    addFigureTools({ id: node.id || `${document.body.dataset.titleKey?.split('.')[0] ?? 'figure'}-${k + 1}`, element: node as HTMLElement });
  });
}

const registered = new Set<Element>();
