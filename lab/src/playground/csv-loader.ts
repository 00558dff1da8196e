/**
 * Loading a CSV the reader drops or picks: the file is parsed in a worker (csv-worker.ts, so a
 * large file does not freeze the page) with the separator and decimal mark detected, the reader
 * picks the column to predict, and problems are worded in the page's language. Nothing leaves
 * the browser.
 */
import { tensor, type TableDataset } from '../../../src/index.js';
import { el } from '../common/dom.js';
import { onLanguageChange, t } from '../common/i18n.js';
import type { CsvProblem, ParsedCsv } from './csv-parse.js';
import type { FromCsvWorker, ToCsvWorker } from './csv-worker.js';

export { MAX_CSV_CLASSES, MIN_CSV_ROWS } from './csv-parse.js';

/** The parts of a table the playground trains on. */
export type CsvTable = Pick<TableDataset, 'x' | 'y' | 'task' | 'numClasses' | 'featureNames' | 'classNames'>;

export interface LoadedCsv {
  name: string;
  text: string;
  columns: string[];
  target: string;
  table: CsvTable;
  /** How the file was read (separator, decimal mark, task, columns), in the library's words. */
  decisions: string[];
}

/** A problem as a sentence in the page's language. */
export function describeProblem(problem: CsvProblem): string {
  switch (problem.code) {
    case 'tooFewColumns': return t('pg.csv.tooFewColumns', { name: problem.name });
    case 'parseError': return t('pg.csv.parseError', { message: problem.message });
    case 'tooFewRows': return t('pg.csv.tooFewRows', { name: problem.name, rows: problem.rows, min: problem.min });
    case 'tooManyClasses': return t('pg.csv.tooManyClasses', { column: problem.column, classes: problem.classes, max: problem.max });
    case 'oneClass': return t('pg.csv.oneClass', { column: problem.column });
  }
}

function toLoaded(csv: ParsedCsv, text: string): LoadedCsv {
  const classification = csv.task === 'classification';
  return {
    name: csv.name,
    text,
    columns: csv.columns,
    target: csv.target,
    decisions: csv.decisions,
    table: {
      x: tensor(csv.x, [csv.rows, csv.featureNames.length]),
      y: tensor(csv.y, classification ? [csv.rows] : [csv.rows, 1]),
      task: csv.task,
      numClasses: csv.numClasses,
      featureNames: csv.featureNames,
      classNames: csv.classNames,
    },
  };
}

/** Parses files in one worker; a newer request makes the answer to an older one irrelevant. */
export class CsvReader {
  private worker: Worker | null = null;
  private latest = 0;
  private readonly waiting = new Map<number, { resolve: (c: LoadedCsv) => void; reject: (e: Error) => void; text: string; onParsing: () => void }>();

  /** Parse `text`; rejects with a message for the reader, or with null-message 'superseded'. */
  read(name: string, text: string, target: string | undefined, onParsing: () => void): Promise<LoadedCsv> {
    const id = ++this.latest;
    const worker = (this.worker ??= this.start());
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, text, onParsing });
      const message: ToCsvWorker = { id, name, text, ...(target !== undefined ? { target } : {}) };
      worker.postMessage(message);
    });
  }

  private start(): Worker {
    const worker = new Worker(new URL('./csv-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FromCsvWorker>) => {
      const m = event.data;
      const pending = this.waiting.get(m.id);
      if (pending === undefined) return;
      if (m.type === 'parsing') return pending.onParsing();
      this.waiting.delete(m.id);
      if (m.id !== this.latest) return pending.reject(new SupersededError());
      if (m.type === 'done') pending.resolve(toLoaded(m.csv, pending.text));
      else pending.reject(new Error(describeProblem(m.problem)));
    };
    worker.onerror = (event) => {
      for (const p of this.waiting.values()) p.reject(new Error(t('pg.csv.parseError', { message: event.message })));
      this.waiting.clear();
    };
    return worker;
  }
}

/** A newer file or target was asked for before this one finished: drop its answer silently. */
export class SupersededError extends Error {}

/**
 * The file picker and drop zone; calls onFile with the file's name and text. The native file
 * input is visually hidden (its button and "no file chosen" are in the browser's language, not
 * the page's): its label is the button, and the chosen file's name is shown in the page's words.
 */
export function csvPicker(onFile: (name: string, text: string) => void): { root: HTMLElement; chosen: HTMLElement } {
  const input = el('input', { type: 'file', id: 'pg-csv-file', accept: '.csv,.tsv,.txt,text/csv', class: 'file-input' });
  const chosen = el('span', { class: 'note', id: 'pg-csv-chosen', 'aria-live': 'polite' });
  const zone = el(
    'div',
    { class: 'dropzone', id: 'pg-csv-drop' },
    input,
    el('label', { for: 'pg-csv-file', class: 'file-button', 'data-i18n': 'pg.csv.pick' }),
    ' ',
    chosen,
    el('p', { class: 'note', 'data-i18n': 'pg.csv.drop' }),
  );
  let fileName: string | null = null;
  onLanguageChange(() => (chosen.textContent = fileName ?? t('pg.csv.noFile')));
  const read = async (file: File | undefined): Promise<void> => {
    if (file === undefined) return;
    fileName = file.name;
    chosen.textContent = file.name;
    onFile(file.name, await file.text());
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
  return { root: zone, chosen };
}
