/**
 * Table files (CSV, JSON records) for the command line: read once, hashed (so a run can tell
 * later whether the file changed), and handed to the library's table rules (src/data/
 * table-plan.ts) with messages that name the flags. The command only reads and reports; what
 * the columns mean is decided in src/data/.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { readSync, closeSync } from 'node:fs';
import { csvTable, detectDecimal, detectDelimiter, readCsvCells, streamCsvTable, streamJsonTable, type CellTable } from '../node.js';
import { openDataFile, readDataFile } from '../node/files.js';

export interface TableFile {
  /** The path as given, and resolved (stored in a run so evaluate works from another directory). */
  path: string;
  absolutePath: string;
  table: CellTable;
  /** SHA-256 of the file's bytes. */
  sha256: string;
  /** CSV: the field separator used. */
  delimiter: string | null;
  /** What was detected without being asked (the delimiter), one sentence each. */
  notes: string[];
}

/** Library option names as flags in messages: maxClasses -> "--max-classes 5". */
export function spellFlag(key: string, value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 39)}…` : value;
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${value === '\t' ? "'\\t'" : /[\s;|,]/.test(value) && value.length <= 2 ? `'${value}'` : shown}`;
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 of a file, for checking that a run's data is still the file it trained on. */
export function hashFile(file: string): string {
  return hashBytes(readDataFile(file));
}

/** The kind of a table file from its name, for --input and --data paths. */
export function tableKind(file: string): 'csv' | 'json' {
  return /\.json$/i.test(file) ? 'json' : 'csv';
}

export interface StreamOptions {
  delimiter?: string;
  decimal?: '.' | ',';
  /** Columns to keep as text (--categorical). */
  textColumns?: readonly string[];
  /** Where to say how far reading has come (large files only). */
  progress?: (line: string) => void;
}

/** The first bytes of a file, cut at the last line end: enough to detect the delimiter and decimal mark. */
function sample(file: string, bytes = 256 * 1024): string {
  // The checks every data file gets (regular file, size limit) before the first byte: a FIFO
  // or /dev/zero given as csv:PATH, typed or recorded in a run, is one error line, not a hang.
  const { fd } = openDataFile(file);
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    const text = buffer.subarray(0, read).toString('utf8');
    const end = read < bytes ? text.length : text.lastIndexOf('\n') + 1;
    return text.slice(0, end > 0 ? end : text.length);
  } finally {
    closeSync(fd);
  }
}

const PROGRESS_FROM_BYTES = 32 * 1024 * 1024;

/**
 * A CSV file for training, read as it streams into a column store (memory in proportion to
 * the cells, not the text). The delimiter and decimal mark, when not given, are detected on
 * the first 256 kB and said in the notes.
 */
export async function streamTableFile(file: string, options: StreamOptions = {}): Promise<TableFile & { decimal: '.' | ',' }> {
  const head = sample(file);
  const notes: string[] = [];
  let delimiter = options.delimiter;
  if (delimiter === undefined) {
    const detected = detectDelimiter(head);
    delimiter = detected.delimiter;
    if (delimiter !== ',') notes.push(`fields separated by ${delimiter === '\t' ? 'tabs' : `'${delimiter}'`} (${detected.reason}); ${spellFlag('delimiter', ',')} says otherwise`);
  }
  let decimal = options.decimal;
  if (decimal === undefined) {
    decimal = '.';
    if (head.trim() !== '') {
      try {
        const cells = csvTable(readCsvCells(head, { delimiter }, file), file);
        const detected = detectDecimal(cells, cells.columns.map((_, j) => j));
        decimal = detected.decimal;
        if (decimal === ',') notes.push(`numbers use a decimal comma (e.g. '${detected.example!}' is ${detected.example!.replace(',', '.')}); ${spellFlag('decimal', '.')} reads them as text`);
      } catch {
        // A sample that does not parse (a cut quoted field): the full read reports real problems.
      }
    }
  }
  const streamed = await streamCsvTable(file, {
    delimiter,
    decimal,
    ...(options.textColumns ? { textColumns: options.textColumns } : {}),
    onProgress: progressLines(file, options.progress),
  });
  return { path: file, absolutePath: path.resolve(file), table: streamed.table, sha256: streamed.sha256, delimiter, notes, decimal };
}

/** "Reading:  big.csv: 40% (80 of 200 MB)" now and then, for files of 32 MB and more. */
function progressLines(file: string, progress: ((line: string) => void) | undefined): (read: number, total: number) => void {
  let lastPercent = -1;
  return (read, total) => {
    if (progress === undefined || total < PROGRESS_FROM_BYTES) return;
    const percent = Math.floor((100 * read) / total);
    if (percent === lastPercent) return;
    lastPercent = percent;
    progress(`Reading:  ${file}: ${percent}% (${(read / 1e6).toFixed(0)} of ${(total / 1e6).toFixed(0)} MB)`);
  };
}

/** A JSON file of records, read as it streams into a column store (as a CSV file is). */
export async function streamJsonFile(file: string, options: Pick<StreamOptions, 'textColumns' | 'progress'> = {}): Promise<TableFile> {
  const streamed = await streamJsonTable(file, {
    ...(options.textColumns ? { textColumns: options.textColumns } : {}),
    onProgress: progressLines(file, options.progress),
  });
  return { path: file, absolutePath: path.resolve(file), table: streamed.table, sha256: streamed.sha256, delimiter: null, notes: [] };
}
