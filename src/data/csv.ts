/**
 * CSV text to tensors, browser-safe (the lab parses dropped files with it; the Node loader
 * in src/node/csv.ts only reads the file). Parsing is csv-parse's: quoting, escaped quotes
 * and multi-line fields follow RFC 4180.
 *
 * NOTE: csv-parse's default build uses Node's global Buffer; its browser build carries a
 * Buffer of its own and runs unchanged in Node, so this module imports that one.
 */
import { CsvError, parse } from 'csv-parse/browser/esm/sync';
import { DataFormatError, ValueError } from '../errors.js';
import { tableToDataset, type CellTable, type TableDataset, type TableOptions } from './table.js';
import { checkOptionKeys } from '../options.js';
import { shortText, TABLE_OPTION_KEYS } from './table-plan.js';

export interface CsvOptions extends TableOptions {
  /** The first row names the columns. Default true; with false columns are named column1, column2, ... */
  header?: boolean;
  /** Field separator. Default ','. */
  delimiter?: string;
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/** CSV text as cells: the column names, the rows, and the line each row starts on. */
export interface CsvCells {
  columns: string[];
  rows: string[][];
  lines: number[];
}

/**
 * Every line ending counts, whatever the file mixes: csv-parse otherwise takes the first one
 * it meets as the only one, and then reads a later "\n" of a "\r\n" file as part of a field
 * (or counts each "\r\n" of a "\n" file as two lines, putting every later line number off).
 */
export const RECORD_DELIMITERS = ['\r\n', '\n', '\r'];

/**
 * The line each record starts on, from the line csv-parse says it ends on (info.lines).
 * csv-parse counts every '\r' and '\n' inside a quoted field as a line, so a quoted "\r\n"
 * counts twice, in its record and in every later one; the counter takes both off. One counter
 * per file, called on every record in order (the header too).
 */
export function recordLineCounter(): (endLine: number, record: readonly string[]) => number {
  let overCounted = 0; // quoted "\r\n" of earlier records, each counted one line too many
  return (endLine, record) => {
    let chars = 0;
    let pairs = 0;
    for (const field of record) {
      for (let k = 0; k < field.length; k++) {
        const c = field.charCodeAt(k);
        if (c === 10) chars++;
        else if (c === 13) {
          chars++;
          if (field.charCodeAt(k + 1) === 10) pairs++;
        }
      }
    }
    const start = endLine - overCounted - chars;
    overCounted += pairs;
    return start;
  };
}

/**
 * Read CSV text into cells without interpreting them: checks the header (names present and
 * unique) and that every row has one value per column. `parseCsv` builds on it; so do
 * readers that must see the columns before choosing a target (the command line's predict).
 */
export function readCsvCells(text: string, options: Pick<CsvOptions, 'header' | 'delimiter'> = {}, sourceName = 'CSV text'): CsvCells {
  const { header = true, delimiter = ',' } = options;
  if (typeof delimiter !== 'string' || delimiter.length === 0) {
    throw new ValueError(`parseCsv: delimiter must be a non-empty string, got ${JSON.stringify(delimiter)}`);
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw new DataFormatError(`${sourceName}: the file is empty; expected ${header ? 'a header row of column names, then ' : ''}one row per sample`);
  }

  let parsed: ParsedRecord[];
  try {
    parsed = parse(text, {
      delimiter,
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      record_delimiter: RECORD_DELIMITERS,
      // Rows of the wrong length are reported below, with the line and the expected count.
      relax_column_count: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    if (error instanceof CsvError) throw new DataFormatError(`${sourceName}: ${error.message}`);
    throw error;
  }

  const lineOf = recordLineCounter();
  const starts = parsed.map((r) => lineOf(r.info.lines, r.record));

  const first = parsed[0]!;
  const columns = header ? first.record : first.record.map((_, j) => `column${j + 1}`);
  const records = header ? parsed.slice(1) : parsed;
  if (header) checkHeader(columns, sourceName, starts[0]);
  if (records.length === 0) {
    throw new DataFormatError(`${sourceName}: has a header (line ${starts[0]}) but no data rows; add one row per sample below it`);
  }
  const lines = header ? starts.slice(1) : starts;
  records.forEach((r, i) => {
    if (r.record.length !== columns.length) {
      throw new DataFormatError(
        `${sourceName}: line ${lines[i]} has ${r.record.length} field${r.record.length === 1 ? '' : 's'} but ${header ? `the header (line ${starts[0]})` : 'the first row'} has ${columns.length}; every row needs one value per column (check for a stray or missing '${delimiter}')`,
      );
    }
  });
  return { columns, rows: records.map((r) => r.record), lines };
}

/**
 * Parse CSV text into features x [N, D] and targets y (see TableOptions for how the target
 * column is read). `sourceName` names the text in error messages (a file name, say).
 */
export function parseCsv(text: string, options: CsvOptions, sourceName = 'CSV text'): TableDataset {
  checkOptionKeys('parseCsv', options, ['header', 'delimiter', ...TABLE_OPTION_KEYS]);
  const { header, delimiter, ...tableOptions } = options;
  return tableToDataset(csvTable(readCsvCells(text, { ...(header !== undefined ? { header } : {}), ...(delimiter !== undefined ? { delimiter } : {}) }, sourceName), sourceName), tableOptions);
}

/** CSV cells as a table whose cells are located by file, line and column (for the table rules of table-plan.ts). */
export function csvTable(cells: CsvCells, sourceName = 'CSV text'): CellTable {
  const { columns, rows, lines } = cells;
  return {
    columns,
    rows,
    source: sourceName,
    locate: (i, j) => `${sourceName}: line ${lines[i]}, column ${j + 1} ('${shortText(columns[j]!)}')`,
    missingTarget: (target) =>
      `${sourceName}: no column named '${shortText(target)}' to use as the target; the columns are: ${columns.map((c) => `'${shortText(c, 24)}'`).join(', ')}`,
  };
}

const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * The field separator of CSV text, from its first line (outside quotes): the candidate
 * (',', ';', tab, '|') that occurs most, ',' on a tie or when none occurs. The reason is
 * a sentence for people, e.g. "the first line has 8 ';' and no ','".
 */
export function detectDelimiter(text: string): { delimiter: string; reason: string } {
  const counts = new Map<string, number>(CANDIDATE_DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of text.replace(/^\uFEFF/, '')) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  const name = (d: string): string => (d === '\t' ? 'tab' : `'${d}'`);
  let best = ',';
  for (const d of CANDIDATE_DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  if (best === ',') return { delimiter: ',', reason: counts.get(',')! > 0 ? `the first line has ${counts.get(',')} ','` : "the first line has no ',', ';', tab or '|': one column" };
  const commas = counts.get(',')!;
  return { delimiter: best, reason: `the first line has ${counts.get(best)} ${name(best)} and ${commas === 0 ? "no ','" : `only ${commas} ','`}` };
}

/** Header names present and unique (shared with the streaming reader of src/node/csv-stream.ts). */
export function checkHeader(columns: readonly string[], sourceName: string, line: number): void {
  const seen = new Map<string, number>();
  columns.forEach((name, j) => {
    if (name === '') {
      throw new DataFormatError(`${sourceName}: line ${line} (header), column ${j + 1} has no name; every column needs one (an unnamed first column is often a saved row index: drop it)`);
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new DataFormatError(`${sourceName}: line ${line} (header) names column ${earlier + 1} and column ${j + 1} both '${name}'; column names must be unique`);
    }
    seen.set(name, j);
  });
}
