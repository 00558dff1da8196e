/**
 * Large CSV files, read as they stream (csv-parse's Node stream API), into a column store
 * (column-store.ts): a number is kept as float32 (4 bytes a cell), and only cells that are
 * not numbers (text, missing-value spellings) as a code into their column's dictionary. Memory is then
 * O(rows × columns × 4 bytes) plus the distinct texts, not the text of the file (a 200 MB
 * file read whole is several GB of JavaScript strings). The result is a CellTable, so the
 * table rules of src/data/table-plan.ts apply unchanged. Node-only.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { checkHeader, RECORD_DELIMITERS, recordLineCounter } from '../data/csv.js';
import { DataFormatError } from '../errors.js';
import { MAX_DATA_FILE_BYTES, openDataFile } from './files.js';
import type { CellTable } from '../data/table.js';
import { ColumnStore, columnStoreTable } from './column-store.js';
import { parseNumber, shortText } from '../data/table-plan.js';

export interface StreamCsvOptions {
  delimiter: string;
  /** Decimal mark numbers are written with (decided before reading; see detectDecimalInSample). */
  decimal: '.' | ',';
  /** Columns kept as text even when their cells are numbers (one-hot encoded by name). */
  textColumns?: readonly string[];
  /** The most bytes the file may have (default MAX_DATA_FILE_BYTES, as for every data file). */
  maxBytes?: number;
  /** Called now and then while reading: bytes read so far, and the file's size. */
  onProgress?: (bytesRead: number, bytesTotal: number) => void;
}

export interface StreamedCsv {
  table: CellTable;
  sha256: string;
  bytes: number;
}

/**
 * The line each row starts on, kept as the points where "line - row" changes (a blank line,
 * a quoted field over several lines) instead of a number per row: a plain file of millions
 * of rows needs one entry, not 4 bytes a row.
 */
class LineIndex {
  private rows: Int32Array<ArrayBuffer> = new Int32Array(16);
  private offsets: Int32Array<ArrayBuffer> = new Int32Array(16);
  private count = 0;

  add(row: number, line: number): void {
    const offset = line - row;
    if (this.count > 0 && this.offsets[this.count - 1] === offset) return;
    if (this.count === this.rows.length) {
      this.rows = grow(this.rows);
      this.offsets = grow(this.offsets);
    }
    this.rows[this.count] = row;
    this.offsets[this.count] = offset;
    this.count++;
  }

  line(row: number): number {
    // The last change at or before the row (lines only move down, so offsets never decrease).
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.rows[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return row + this.offsets[lo]!;
  }
}

function grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** Read a CSV file as it streams into a column store (header row required). */
export async function streamCsvTable(path: string, options: StreamCsvOptions): Promise<StreamedCsv> {
  // The checks every data file gets, on the descriptor that is then read: a FIFO, a device
  // (/dev/zero) or a directory is refused before a byte is read, instead of hanging or never ending.
  const maxBytes = options.maxBytes ?? MAX_DATA_FILE_BYTES;
  const { fd, size: total } = openDataFile(path, '', maxBytes);
  const hash = createHash('sha256');
  // At most maxBytes + 1 bytes, so a file that grows while it is read still meets the limit.
  const input = createReadStream('', { fd, autoClose: true, start: 0, end: maxBytes });
  let bytesRead = 0;
  let nextReport = 0;
  input.on('data', (chunk) => {
    hash.update(chunk as Buffer);
    bytesRead += (chunk as Buffer).length;
    if (bytesRead > maxBytes) {
      input.destroy(new DataFormatError(`${path}: cannot read it (it grew past the ${maxBytes} bytes a data file may have while being read)`));
      return;
    }
    if (options.onProgress && bytesRead >= nextReport) {
      options.onProgress(bytesRead, total);
      nextReport = bytesRead + Math.max(total / 10, 1);
    }
  });
  const parser = input.pipe(
    parse({ delimiter: options.delimiter, record_delimiter: RECORD_DELIMITERS, bom: true, info: true, trim: true, skip_empty_lines: true, relax_column_count: true }),
  );
  input.on('error', (error) => parser.destroy(error));

  let columnNames: string[] | null = null;
  let headerLine = 1;
  let store: ColumnStore | null = null;
  const lines = new LineIndex();
  const lineOf = recordLineCounter();
  let n = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      const line = lineOf(info.lines, record);
      if (columnNames === null) {
        columnNames = record;
        headerLine = line;
        checkHeader(columnNames, path, line);
        store = new ColumnStore(columnNames, options.textColumns);
        continue;
      }
      if (record.length !== columnNames.length) {
        throw new DataFormatError(
          `${path}: line ${line} has ${record.length} field${record.length === 1 ? '' : 's'} but the header (line ${headerLine}) has ${columnNames.length}; every row needs one value per column (check for a stray or missing '${options.delimiter}')`,
        );
      }
      lines.add(n, line);
      for (let j = 0; j < record.length; j++) {
        const text = record[j]!;
        const value = store!.isText(j) ? null : parseNumber(text, options.decimal);
        if (value === null || !store!.setNumber(n, j, value)) store!.setCell(n, j, text);
      }
      store!.endRow();
      n++;
    }
  } catch (error) {
    if (error instanceof CsvError) throw new DataFormatError(`${path}: ${error.message}`);
    if (typeof (error as NodeJS.ErrnoException).code === 'string' && !(error instanceof DataFormatError)) {
      throw new DataFormatError(`${path}: cannot read it (${(error as Error).message})`);
    }
    throw error;
  } finally {
    input.destroy(); // closes the file when reading stopped early (a bad row); a no-op after the end
  }
  if (columnNames === null) throw new DataFormatError(`${path}: the file is empty; expected a header row of column names, then one row per sample`);
  if (n === 0) throw new DataFormatError(`${path}: has a header (line ${headerLine}) but no data rows; add one row per sample below it`);
  store!.finish();
  options.onProgress?.(total, total);

  const names = columnNames;
  const table = columnStoreTable(
    store!,
    path,
    (i, j) => `${path}: line ${lines.line(i)}, column ${j + 1} ('${shortText(names[j]!)}')`,
    (target) => `${path}: no column named '${shortText(target)}' to use as the target; the columns are: ${names.map((c) => `'${shortText(c, 24)}'`).join(', ')}`,
  );
  return { table, sha256: hash.digest('hex'), bytes: total };
}
