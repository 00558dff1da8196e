/**
 * Large CSV files, read as they stream (csv-parse's Node stream API), into a column store:
 * a number is kept as float32 (4 bytes a cell), and only cells that are not numbers (text,
 * missing-value spellings) as a code into their column's dictionary. Memory is then
 * O(rows × columns × 4 bytes) plus the distinct texts, not the text of the file (a 200 MB
 * file read whole is several GB of JavaScript strings). The result is a CellTable, so the
 * table rules of src/data/table-plan.ts apply unchanged. Node-only.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { checkHeader } from '../data/csv.js';
import { DataFormatError } from '../errors.js';
import { MAX_DATA_FILE_BYTES, openDataFile } from './files.js';
import type { Cell, CellTable } from '../data/table.js';
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

/** One column: numbers as float32, other cells as codes into a dictionary (-1: a number). */
class Column {
  values = new Float32Array(1024);
  codes: Int32Array | null = null;
  readonly texts: string[] = [];
  private readonly index = new Map<string, number>();
  constructor(readonly asText: boolean) {}

  set(i: number, text: string, decimal: '.' | ','): void {
    if (i >= this.values.length) this.values = grow(this.values, i);
    if (this.codes !== null && i >= this.codes.length) this.codes = grow(this.codes, i);
    const value = this.asText ? null : parseNumber(text, decimal);
    if (value !== null) {
      this.values[i] = value;
      if (this.codes !== null) this.codes[i] = -1;
      // NOTE: beyond float32 the stored value is Infinity; keep the text, so the error shows what the file says.
      if (Number.isFinite(this.values[i]!)) return;
    }
    if (this.codes === null) {
      this.codes = new Int32Array(this.values.length).fill(-1);
    }
    let code = this.index.get(text);
    if (code === undefined) {
      code = this.texts.length;
      this.texts.push(text);
      this.index.set(text, code);
    }
    this.codes[i] = code;
  }

  get(i: number): Cell {
    const code = this.codes?.[i] ?? -1;
    return code >= 0 ? this.texts[code]! : this.values[i]!;
  }

  trim(n: number): void {
    this.values = this.values.slice(0, n);
    if (this.codes !== null) this.codes = this.codes.slice(0, n);
  }
}

function grow<T extends Float32Array | Int32Array>(array: T, needed: number): T {
  let size = array.length;
  while (size <= needed) size *= 2;
  const bigger = new (array.constructor as new (n: number) => T)(size);
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
    parse({ delimiter: options.delimiter, bom: true, info: true, trim: true, skip_empty_lines: true, relax_column_count: true }),
  );
  input.on('error', (error) => parser.destroy(error));

  let columnNames: string[] | null = null;
  let headerLine = 1;
  let columns: Column[] = [];
  let lines = new Int32Array(1024);
  let n = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      // info.lines is the line a record ends on; a quoted field spanning lines moves it down.
      const line = info.lines - record.reduce((s, field) => s + (field.match(/\n/g)?.length ?? 0), 0);
      if (columnNames === null) {
        columnNames = record;
        headerLine = line;
        checkHeader(columnNames, path, line);
        columns = columnNames.map((name) => new Column(options.textColumns?.includes(name) ?? false));
        continue;
      }
      if (record.length !== columnNames.length) {
        throw new DataFormatError(
          `${path}: line ${line} has ${record.length} field${record.length === 1 ? '' : 's'} but the header (line ${headerLine}) has ${columnNames.length}; every row needs one value per column (check for a stray or missing '${options.delimiter}')`,
        );
      }
      if (n >= lines.length) lines = grow(lines, n);
      lines[n] = line;
      for (let j = 0; j < record.length; j++) columns[j]!.set(n, record[j]!, options.decimal);
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
  for (const c of columns) c.trim(n);
  lines = lines.slice(0, n);
  options.onProgress?.(total, total);

  const names = columnNames;
  const cell = (i: number, j: number): Cell => columns[j]!.get(i);
  const table: CellTable = {
    columns: names,
    // Row views for occasional use; the table rules read cells through cell().
    rows: new Proxy([] as Cell[][], {
      get(target, key) {
        if (key === 'length') return n;
        if (typeof key === 'string' && /^\d+$/.test(key)) return names.map((_, j) => cell(Number(key), j));
        return Reflect.get(target, key) as unknown;
      },
    }),
    source: path,
    cell,
    rowCount: n,
    locate: (i, j) => `${path}: line ${lines[i]}, column ${j + 1} ('${shortText(names[j]!)}')`,
    missingTarget: (target) => `${path}: no column named '${shortText(target)}' to use as the target; the columns are: ${names.map((c) => `'${shortText(c, 24)}'`).join(', ')}`,
  };
  return { table, sha256: hash.digest('hex'), bytes: total };
}
