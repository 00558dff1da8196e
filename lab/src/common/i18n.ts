/**
 * Spanish and English for every word of the lab. The language comes from `?lang=`, then the
 * reader's last choice, then the browser's languages; the switch in the header changes it
 * live. Text in HTML carries `data-i18n` keys; text built in code calls t().
 */
import { messages, type MessageKey } from '../strings/index.js';

export type Lang = 'es' | 'en';
export const languages: readonly Lang[] = ['es', 'en'];
export type { MessageKey };

const STORAGE_KEY = 'gradiente-lab-lang';
let lang: Lang = detectLanguage();
const listeners = new Set<(lang: Lang) => void>();

function isLang(value: unknown): value is Lang {
  return value === 'es' || value === 'en';
}

function detectLanguage(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (isLang(fromUrl)) return fromUrl;
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    // Storage can be blocked (private mode, sandboxed frames): fall back to the browser.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLang(primary)) return primary;
  }
  return 'en';
}

export function currentLang(): Lang {
  return lang;
}

/** The message for a key, with `{name}` placeholders filled from params. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template: string = messages[lang][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function setLang(next: Lang): void {
  if (next === lang) return;
  lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered across pages then; the switch still works on this one.
  }
  const url = new URL(location.href);
  if (url.searchParams.has('lang')) {
    url.searchParams.set('lang', next);
    history.replaceState(history.state, '', url);
  }
  translateDom();
  for (const fn of listeners) fn(next);
}

/** Run fn now and again on every language change (for text built in code). */
export function onLanguageChange(fn: (lang: Lang) => void, runNow = true): void {
  listeners.add(fn);
  if (runNow) fn(lang);
}

const attributeKeys = [
  ['data-i18n-aria-label', 'aria-label'],
  ['data-i18n-title', 'title'],
  ['data-i18n-placeholder', 'placeholder'],
  ['data-i18n-alt', 'alt'],
] as const;

function asKey(value: string | null | undefined): MessageKey | null {
  return value != null && value in messages.en ? (value as MessageKey) : null;
}

/** Fill every element marked with data-i18n (text) and data-i18n-<attribute> keys. */
export function translateDom(root: ParentNode = document): void {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = asKey(el.dataset.i18n);
    if (key === null) throw new Error(`lab i18n: unknown key '${el.dataset.i18n}' on <${el.tagName.toLowerCase()}>`);
    el.textContent = t(key);
  }
  for (const [data, attribute] of attributeKeys) {
    for (const el of root.querySelectorAll<HTMLElement>(`[${data}]`)) {
      const key = asKey(el.getAttribute(data));
      if (key === null) throw new Error(`lab i18n: unknown key '${el.getAttribute(data)}' in ${data}`);
      el.setAttribute(attribute, t(key));
    }
  }
  const titleKey = asKey(document.body?.dataset.titleKey);
  if (titleKey !== null) document.title = `${t(titleKey)} · gradiente lab`;
}
