/**
 * The column store large table files stream into (CSV in csv-stream.ts, JSON records in
 * json-stream.ts): each column keeps its numbers as float32 (4 bytes a cell) and only the
 * cells that are not numbers (text, missing-value spellings, null, booleans) as a 4-byte code
 * into its dictionary of distinct cells. Memory is then O(rows × columns × 4 bytes) plus
 * the distinct texts, not the text of the file.
 *
 * Rows live in fixed chunks of CHUNK_ROWS, never in one array grown by doubling: a doubled
 * array holds up to twice the cells while it grows and copies them at every step (the peak
 * of reading was twice the data). Codes are kept only for the chunks that hold a non-number,
 * so one NA in a numeric column costs one chunk of codes, not a code per row. A reader that
 * is done with the first rows (the encoder, going through the file in order) releases their
 * chunks, so the encoded matrix can grow while the cells it came from go away. Node-only by
 * use, browser-safe by content.
 */
import type { Cell, CellTable } from '../data/table.js';

/** Rows per chunk: 64 Ki rows, 256 kB of float32 a column. */
export const CHUNK_ROWS = 1 << 16;
const SHIFT = 16;
const MASK = CHUNK_ROWS - 1;
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Chunks live in ArrayBuffers with a maximum length (ES2024, in Node 20): one shrunk to 0
 * bytes gives its memory back to the system at once. A released plain buffer waits for a
 * garbage collection, and none comes while the encoder runs (it allocates nothing): the
 * freed cells and the growing matrix were then resident together, the very peak releasing
 * is for. Views are length-tracking, so a chunk cut to size (trim) needs no copy either.
 */
interface ResizableBuffer extends ArrayBuffer {
  readonly resizable: boolean;
  resize(bytes: number): void;
}
const RESIZABLE = typeof (ArrayBuffer.prototype as Partial<ResizableBuffer>).resize === 'function';
const Resizable = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => ResizableBuffer;

function chunkOf<T extends Float32Array | Int32Array>(Kind: new (buffer: ArrayBuffer) => T, bytes: number): T {
  return new Kind(RESIZABLE ? new Resizable(bytes, { maxByteLength: bytes }) : new ArrayBuffer(bytes));
}

/** A chunk cut to `length` elements (0: freed), in place when its buffer can shrink. */
function shrink<T extends Float32Array | Int32Array>(chunk: T, length: number): T {
  if (RESIZABLE && (chunk.buffer as ResizableBuffer).resizable) {
    (chunk.buffer as ResizableBuffer).resize(length * chunk.BYTES_PER_ELEMENT);
    return chunk;
  }
  return chunk.slice(0, length) as T;
}

/** One column: numbers as float32 chunks, other cells as codes (>= 0) into a dictionary; -1 marks a number. */
class StoredColumn {
  readonly values: (Float32Array | null)[] = [];
  readonly codes: (Int32Array | null)[] = [];
  readonly dictionary: Cell[] = [];
  private readonly index = new Map<Cell, number>();

  /** Row `i` (the next row) holds this number, which float32 can hold. */
  setNumber(i: number, value: number): void {
    this.chunk(i)[i & MASK] = value;
  }

  /** Row `i` (the next row) holds a cell that is not stored as a number. */
  setCell(i: number, cell: Cell): void {
    this.chunk(i);
    const c = i >>> SHIFT;
    let codes = this.codes[c];
    if (codes === null || codes === undefined) {
      codes = chunkOf(Int32Array, CHUNK_ROWS * 4).fill(-1);
      this.codes[c] = codes;
    }
    let code = this.index.get(cell);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(cell);
      this.index.set(cell, code);
    }
    codes[i & MASK] = code;
  }

  private chunk(i: number): Float32Array {
    const c = i >>> SHIFT;
    let chunk = this.values[c];
    if (chunk === undefined) {
      chunk = chunkOf(Float32Array, CHUNK_ROWS * 4);
      this.values[c] = chunk;
      this.codes[c] = null;
    }
    return chunk!;
  }

  get(i: number): Cell {
    const c = i >>> SHIFT;
    const values = this.values[c];
    if (values === null || values === undefined) throw new Error(`column store: row ${i} was released (or never stored)`);
    const codes = this.codes[c];
    if (codes !== null && codes !== undefined) {
      const code = codes[i & MASK]!;
      if (code >= 0) return this.dictionary[code];
    }
    return values[i & MASK]!;
  }

  /** The last chunk cut to the rows it holds. */
  trim(rows: number): void {
    const c = (rows - 1) >>> SHIFT;
    const used = rows - c * CHUNK_ROWS;
    const values = this.values[c];
    if (values && values.length > used) this.values[c] = shrink(values, used);
    const codes = this.codes[c];
    if (codes && codes.length > used) this.codes[c] = shrink(codes, used);
  }

  releaseChunk(c: number): void {
    if (c < this.values.length) {
      if (this.values[c]) shrink(this.values[c]!, 0);
      if (this.codes[c]) shrink(this.codes[c]!, 0);
      this.values[c] = null;
      this.codes[c] = null;
    }
  }
}

/** Cells of a table, stored as they arrive, row after row. */
export class ColumnStore {
  private readonly stored: StoredColumn[];
  private readonly asText: boolean[];
  private released = 0;
  rowCount = 0;

  /** `textColumns`: columns whose numbers are kept as written (one-hot encoded by name, so "1.10" stays "1.10"). */
  constructor(readonly columns: readonly string[], textColumns: readonly string[] = []) {
    this.stored = columns.map(() => new StoredColumn());
    this.asText = columns.map((name) => textColumns.includes(name));
  }

  isText(j: number): boolean {
    return this.asText[j]!;
  }

  /** Row `i` (= rowCount, the next one), column j: a number, kept as float32 when float32 holds it. */
  setNumber(i: number, j: number, value: number): boolean {
    // NOTE: beyond float32 the stored value would be Infinity; the caller keeps the cell as written, so an error shows what the file says.
    if (!(Math.abs(value) <= FLOAT32_MAX)) return false;
    this.stored[j]!.setNumber(i, value);
    return true;
  }

  /** Row `i`, column j: a cell kept as it is (text, null, a boolean, a number float32 cannot hold). */
  setCell(i: number, j: number, cell: Cell): void {
    this.stored[j]!.setCell(i, cell);
  }

  /** A row is complete: every column has been set for row rowCount. */
  endRow(): void {
    this.rowCount++;
  }

  cell(i: number, j: number): Cell {
    if (i < this.released) throw new Error(`column store: row ${i} was released`);
    return this.stored[j]!.get(i);
  }

  /** The rows are all there: the last chunks are cut to size. */
  finish(): void {
    if (this.rowCount > 0) for (const column of this.stored) column.trim(this.rowCount);
  }

  /** Rows before `row` will not be read again: the chunks that hold only such rows are freed. */
  release(row: number): void {
    const chunks = Math.min(row, this.rowCount) >>> SHIFT;
    for (let c = this.released >>> SHIFT; c < chunks; c++) for (const column of this.stored) column.releaseChunk(c);
    this.released = Math.max(this.released, chunks << SHIFT);
  }

  /** Bytes held by the cells (chunks and codes; not the dictionaries' texts). */
  bytes(): number {
    let total = 0;
    for (const column of this.stored) {
      for (const chunk of column.values) total += chunk?.byteLength ?? 0;
      for (const chunk of column.codes) total += chunk?.byteLength ?? 0;
    }
    return total;
  }
}

/** A column store as the table rules read it: cells by (row, column), rows only for occasional use. */
export function columnStoreTable(
  store: ColumnStore,
  source: string,
  locate: CellTable['locate'],
  missingTarget: CellTable['missingTarget'],
): CellTable {
  const names = store.columns;
  const n = store.rowCount;
  const cell = (i: number, j: number): Cell => store.cell(i, j);
  return {
    columns: names,
    // Row views for occasional use; the table rules read cells through cell().
    rows: new Proxy([] as Cell[][], {
      get(target, key) {
        if (key === 'length') return n;
        if (typeof key === 'string' && /^\d+$/.test(key)) return names.map((_, j) => cell(Number(key), j));
        return Reflect.get(target, key) as unknown;
      },
    }),
    source,
    cell,
    rowCount: n,
    release: (row) => store.release(row),
    locate,
    missingTarget,
  };
}
