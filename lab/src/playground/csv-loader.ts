/**
 * Loading a CSV the reader drops or picks: the header gives the columns, the reader picks
 * the one to predict, and the library's parseCsv reads the rest (its errors name the line
 * and the column). Nothing leaves the browser.
 */
import { parseCsv, type TableDataset } from '../../../src/index.js';
import { el } from '../common/dom.js';
import { t } from '../common/i18n.js';

export const MAX_CSV_CLASSES = 12;
export const MIN_CSV_ROWS = 10;

/** Column names from the first line (quoted names may hold commas). */
export function headerColumns(text: string, delimiter = ','): string[] {
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const columns: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      columns.push(current.trim());
      current = '';
    } else current += ch;
  }
  columns.push(current.trim());
  return columns;
}

export interface LoadedCsv {
  name: string;
  text: string;
  columns: string[];
  target: string;
  table: TableDataset;
}

/** Parse with `target` as the column to predict; throws an Error with a message for the reader. */
export function readCsv(name: string, text: string, target?: string): LoadedCsv {
  const columns = headerColumns(text);
  if (columns.length < 2) throw new Error(t('pg.csv.tooFewColumns', { name }));
  const chosen = target !== undefined && columns.includes(target) ? target : columns.at(-1)!;
  let table: TableDataset;
  try {
    table = parseCsv(text, { target: chosen }, name);
  } catch (error) {
    throw new Error(t('pg.csv.parseError', { message: error instanceof Error ? error.message : String(error) }));
  }
  const rows = table.x.shape[0]!;
  if (rows < MIN_CSV_ROWS) throw new Error(t('pg.csv.tooFewRows', { name, rows, min: MIN_CSV_ROWS }));
  if (table.task === 'classification' && table.numClasses > MAX_CSV_CLASSES) {
    throw new Error(t('pg.csv.tooManyClasses', { column: chosen, classes: table.numClasses, max: MAX_CSV_CLASSES }));
  }
  if (table.task === 'classification' && table.numClasses < 2) throw new Error(t('pg.csv.oneClass', { column: chosen }));
  return { name, text, columns, target: chosen, table };
}

/** The file picker and drop zone; calls onText with the file's name and contents. */
export function csvPicker(onText: (name: string, text: string) => void): HTMLElement {
  const input = el('input', { type: 'file', id: 'pg-csv-file', accept: '.csv,text/csv' });
  const zone = el('div', { class: 'dropzone', id: 'pg-csv-drop' }, el('label', { for: 'pg-csv-file', 'data-i18n': 'pg.csv.pick' }), input, el('p', { class: 'note', 'data-i18n': 'pg.csv.drop' }));
  const read = async (file: File | undefined): Promise<void> => {
    if (file === undefined) return;
    onText(file.name, await file.text());
  };
  input.addEventListener('change', () => void read(input.files?.[0]));
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    void read(e.dataTransfer?.files[0]);
  });
  return zone;
}
