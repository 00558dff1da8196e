/** The confusion matrix on the test set: rows are the true class, columns the predicted one. */
import { el } from '../common/dom.js';
import { t } from '../common/i18n.js';

export function renderConfusion(host: HTMLElement, matrix: number[][] | null, classNames: readonly string[]): void {
  if (matrix === null) {
    host.replaceChildren(el('p', { class: 'note' }, t('pg.confusion.regression')));
    return;
  }
  const max = Math.max(1, ...matrix.flat());
  const name = (k: number): string => classNames[k] ?? String(k);
  host.replaceChildren(
    el(
      'table',
      { class: 'matrix', id: 'pg-confusion-table' },
      el('caption', {}, t('pg.confusion.caption')),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('pg.confusion.corner')), ...matrix.map((_, k) => el('th', { scope: 'col' }, name(k))))),
      el(
        'tbody',
        {},
        ...matrix.map((row, i) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, name(i)),
            ...row.map((count, j) => {
              // Shade by count; the diagonal (right answers) in blue, mistakes in orange.
              const alpha = (0.15 + 0.75 * (count / max)).toFixed(2);
              const colour = i === j ? `rgba(0,114,178,${alpha})` : `rgba(230,159,0,${alpha})`;
              return el('td', { style: count > 0 ? `background:${colour}` : '' }, String(count));
            }),
          ),
        ),
      ),
    ),
  );
}
