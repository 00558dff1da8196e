/**
 * Every page's frame: a skip link, the header with the page list and the language switch,
 * and a footer naming the engine's backend. Call setupPage() first thing on each page.
 */
import { el } from './dom.js';
import { initEngine, threadsAllowed } from './engine.js';
import { currentLang, languages, onLanguageChange, setLang, t, translateDom, type MessageKey } from './i18n.js';
import { mountTeacherTools } from './teacher.js';
import './style.css';

export type PageId = 'home' | 'gradientDescent' | 'losses' | 'activations' | 'backprop' | 'playground' | 'mnist';

export const pages: { id: PageId; href: string; label: MessageKey }[] = [
  { id: 'home', href: './index.html', label: 'nav.home' },
  { id: 'gradientDescent', href: './gradient_descent.html', label: 'nav.gradientDescent' },
  { id: 'losses', href: './loss_functions.html', label: 'nav.losses' },
  { id: 'activations', href: './activations.html', label: 'nav.activations' },
  { id: 'backprop', href: './backprop.html', label: 'nav.backprop' },
  { id: 'playground', href: './playground.html', label: 'nav.playground' },
  { id: 'mnist', href: './mnist.html', label: 'nav.mnist' },
];

function header(current: PageId): HTMLElement {
  const links = pages.map((p) =>
    el('li', {}, el('a', { href: p.href, 'data-i18n': p.label, ...(p.id === current ? { 'aria-current': 'page' } : {}) })),
  );
  const switchButtons = languages.map((lang) => {
    const b = el('button', { type: 'button', lang, 'data-lang': lang, 'data-i18n-title': `lang.${lang}` }, lang.toUpperCase());
    b.addEventListener('click', () => setLang(lang));
    return b;
  });
  onLanguageChange((lang) => {
    for (const b of switchButtons) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  });
  // On a phone the page list folds behind a menu button (the header would otherwise fill the screen).
  const nav = el('nav', { id: 'site-nav', 'data-i18n-aria-label': 'nav.label' }, el('ul', {}, ...links));
  const menu = el('button', { type: 'button', class: 'menu-button', id: 'site-menu', 'aria-expanded': 'false', 'aria-controls': 'site-nav', 'data-i18n': 'nav.menu' });
  menu.addEventListener('click', () => {
    const open = menu.getAttribute('aria-expanded') !== 'true';
    menu.setAttribute('aria-expanded', String(open));
    nav.dataset.open = String(open);
  });
  return el(
    'header',
    { class: 'site-header' },
    el('a', { class: 'skip', href: '#main', 'data-i18n': 'site.skip' }),
    el('a', { class: 'brand', href: './index.html', 'data-i18n': 'site.name' }),
    menu,
    nav,
    el('div', { class: 'lang-switch', role: 'group', 'data-i18n-aria-label': 'lang.label', id: 'lang-switch' }, ...switchButtons),
  );
}

/** Build the frame, translate the page and start the engine; resolves with the backend name. */
export async function setupPage(current: PageId): Promise<string> {
  document.head.append(el('link', { rel: 'icon', type: 'image/svg+xml', href: FAVICON }));
  document.body.prepend(header(current));
  const footerText = el('p', { id: 'engine-info' });
  document.body.append(el('footer', { class: 'site-footer' }, footerText, el('p', { 'data-i18n': 'footer.offline' })));
  translateDom();
  const engine = await initEngine();
  document.body.dataset.backend = engine.backend;
  onLanguageChange(() => {
    const backend = engine.simd === null ? engine.backend : `${engine.backend}, ${engine.simd}`;
    footerText.textContent = t('footer.engine', {
      backend,
      threads: threadsAllowed() ? t('footer.threads.isolated', { threads: engine.threads }) : t('footer.threads.single'),
    });
  });
  document.documentElement.lang = currentLang();
  return engine.backend;
}

/** A descending path on a dark square: gradient descent, drawn inline (no request, any host path). */
const FAVICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1b1b1f"/><path d="M5 7 Q11 26 27 25" fill="none" stroke="#56b4e9" stroke-width="3"/><circle cx="20" cy="23.2" r="3.6" fill="#e69f00"/></svg>',
  );

/** Mark the page as ready (tests and screenshots wait for this). */
export function pageReady(): void {
  mountTeacherTools();
  // Parts built in code after setupPage() carry data-i18n keys too: translate them now.
  translateDom();
  document.body.dataset.ready = 'true';
}
