/**
 * Table files (CSV, JSON records) for the command line: read once, hashed (so a run can tell
 * later whether the file changed), and handed to the library's table rules (src/data/
 * table-plan.ts) with messages that name the flags. The command only reads and reports; what
 * the columns mean is decided in src/data/.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { csvTable, detectDelimiter, jsonTable, readCsvCells, type CellTable } from '../node.js';
import { readDataFile } from '../node/files.js';

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

/**
 * Read a CSV or JSON table. CSV without a delimiter: detected from the first line and said
 * in the notes (--delimiter overrides).
 */
export function readTableFile(file: string, kind: 'csv' | 'json', delimiter?: string): TableFile {
  const bytes = readDataFile(file);
  const text = bytes.toString('utf8');
  const base = { path: file, absolutePath: path.resolve(file), sha256: hashBytes(bytes) };
  if (kind === 'json') return { ...base, table: jsonTable(text, file), delimiter: null, notes: [] };
  const notes: string[] = [];
  let chosen = delimiter;
  if (chosen === undefined) {
    const detected = detectDelimiter(text);
    chosen = detected.delimiter;
    if (chosen !== ',') notes.push(`fields separated by ${chosen === '\t' ? 'tabs' : `'${chosen}'`} (${detected.reason}); ${spellFlag('delimiter', ',')} says otherwise`);
  }
  return { ...base, table: csvTable(readCsvCells(text, { delimiter: chosen }, file), file), delimiter: chosen, notes };
}

/** The kind of a table file from its name, for --input and --data paths. */
export function tableKind(file: string): 'csv' | 'json' {
  return /\.json$/i.test(file) ? 'json' : 'csv';
}
