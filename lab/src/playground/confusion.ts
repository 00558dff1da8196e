/** The confusion matrix on the test set: rows are the true class, columns the predicted one. */
import { el } from '../common/dom.js';
import { t } from '../common/i18n.js';

export function renderConfusion(host: HTMLElement, matrix: number[][] | null, classNames: readonly string[]): void {
  // Same classes as the table already shown: write the counts into its cells (nothing rebuilt
  // while training plays; an epoch per frame would otherwise rebuild the table every frame).
  const cells = host.querySelectorAll<HTMLTableCellElement>('#pg-confusion-table tbody td');
  if (matrix !== null && cells.length === matrix.length * matrix.length && host.dataset.classes === classNames.join('\u0000')) {
    const max = Math.max(1, ...matrix.flat());
    matrix.forEach((row, i) => row.forEach((count, j) => paintCell(cells[i * row.length + j]!, count, max, i === j)));
    return;
  }
  host.dataset.classes = classNames.join('\u0000');
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
            ...row.map((count, j) => paintCell(el('td', {}), count, max, i === j)),
          ),
        ),
      ),
    ),
  );
}

/** A cell's count and shade: the diagonal (right answers) in blue, mistakes in orange. */
function paintCell(td: HTMLTableCellElement, count: number, max: number, diagonal: boolean): HTMLTableCellElement {
  const text = String(count);
  if (td.textContent !== text) td.textContent = text;
  const alpha = (0.15 + 0.75 * (count / max)).toFixed(2);
  const background = count > 0 ? (diagonal ? `rgba(0,114,178,${alpha})` : `rgba(230,159,0,${alpha})`) : '';
  if (td.style.background !== background) td.style.background = background;
  return td;
}
