/**
 * Reading a CSV the reader dropped or picked, without DOM or page language, so it runs in a
 * worker (a large file must not freeze the page) and in tests: the separator and the decimal
 * mark are detected (a Spanish spreadsheet writes `1,5;2,25`), the library's parseCsv reads the
 * rest, and every decision it took is returned to be shown. Problems come back as a code with
 * values; the page words them in its language.
 */
import { detectDelimiter, parseCsv, type TableDataset } from '../../../src/index.js';

export const MAX_CSV_CLASSES = 12;
export const MIN_CSV_ROWS = 10;

/** Column names from the first line (quoted names may hold the separator). */
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

/** What the page needs of a parsed table; plain data, so it crosses to and from a worker. */
export interface ParsedCsv {
  name: string;
  columns: string[];
  target: string;
  delimiter: string;
  /** Features [rows, features] row-major, and labels (classification) or targets (regression). */
  x: Float32Array;
  y: Float32Array;
  rows: number;
  featureNames: string[];
  classNames: string[];
  numClasses: number;
  task: TableDataset['task'];
  /** Why the separator is what it is, the task line, and the library's other decisions. */
  decisions: string[];
}

export type CsvProblem =
  | { code: 'tooFewColumns'; name: string }
  | { code: 'parseError'; message: string }
  | { code: 'tooFewRows'; name: string; rows: number; min: number }
  | { code: 'tooManyClasses'; column: string; classes: number; max: number }
  | { code: 'oneClass'; column: string };

/** Parse with `target` as the column to predict (default: the last one). */
export function parseCsvFile(name: string, text: string, target?: string): { ok: true; csv: ParsedCsv } | { ok: false; problem: CsvProblem } {
  const { delimiter, reason } = detectDelimiter(text);
  const columns = headerColumns(text, delimiter);
  if (columns.length < 2) return { ok: false, problem: { code: 'tooFewColumns', name } };
  const chosen = target !== undefined && columns.includes(target) ? target : columns.at(-1)!;
  let table: TableDataset;
  try {
    table = parseCsv(text, { target: chosen, delimiter, decimal: 'auto' }, name);
  } catch (error) {
    return { ok: false, problem: { code: 'parseError', message: error instanceof Error ? error.message : String(error) } };
  }
  const rows = table.x.shape[0]!;
  if (rows < MIN_CSV_ROWS) return { ok: false, problem: { code: 'tooFewRows', name, rows, min: MIN_CSV_ROWS } };
  if (table.task === 'classification' && table.numClasses > MAX_CSV_CLASSES) return { ok: false, problem: { code: 'tooManyClasses', column: chosen, classes: table.numClasses, max: MAX_CSV_CLASSES } };
  if (table.task === 'classification' && table.numClasses < 2) return { ok: false, problem: { code: 'oneClass', column: chosen } };
  const separator = delimiter === '\t' ? 'tab' : `'${delimiter}'`;
  return {
    ok: true,
    csv: {
      name,
      columns,
      target: chosen,
      delimiter,
      x: Float32Array.from(table.x.data),
      y: Float32Array.from(table.y.data),
      rows,
      featureNames: table.featureNames,
      classNames: table.classNames ?? [],
      numClasses: table.numClasses,
      task: table.task,
      decisions: [`separator ${separator}: ${reason}`, table.taskLine, ...table.decisions],
    },
  };
}
