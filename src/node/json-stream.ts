/**
 * Large JSON record files ([{"a": 1, "b": "x"}, ...], as vega-datasets publishes them), read
 * as they stream into the column store of column-store.ts: the same table the whole-text
 * reader (src/data/json.ts) gives, with memory in proportion to the cells, not the text. The
 * tokens are stream-json's (its tokenizer, fed the file piece by piece); what they must form
 * (an array of flat records with the same keys) is checked here, with the messages of the
 * whole-text reader. A syntax error names the line and column: the tokenizer does not say
 * where it stopped, so the failing piece is fed again one character at a time. Node-only.
 */
import { createHash } from 'node:crypto';
import { closeSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { jsonParser } from 'stream-json/core/parser.js';
import type { Cell, CellTable } from '../data/table.js';
import { shortText } from '../data/table-plan.js';
import { DataFormatError } from '../errors.js';
import { ColumnStore, columnStoreTable } from './column-store.js';
import { MAX_DATA_FILE_BYTES, openDataFile } from './files.js';

export interface StreamJsonOptions {
  /** Keys whose numbers are kept as written (one-hot encoded by name): "1.1" stays 1.1, not its float32. */
  textColumns?: readonly string[];
  /** The most bytes the file may have (default MAX_DATA_FILE_BYTES, as for every data file). */
  maxBytes?: number;
  /** Called now and then while reading: bytes read so far, and the file's size. */
  onProgress?: (bytesRead: number, bytesTotal: number) => void;
}

export interface StreamedJson {
  table: CellTable;
  sha256: string;
  bytes: number;
}

interface Token {
  name: string;
  value?: string | boolean | null;
}

// The protocol of stream-json's stages (stream-chain's, whose symbols are registered ones):
// `none` given ends the input; a result with the `many` mark carries several tokens in `values`.
const none = Symbol.for('object-stream.none');
const MANY = Symbol.for('object-stream.many');

type Tokenizer = (text: string | typeof none) => unknown;

// 64 KiB pieces: the tokens of one piece (thousands of small objects) then die young; with
// 1 MB pieces they outlived the young generation and the heap swelled to 150 MB on 200 MB.
const PIECE_BYTES = 1 << 16;
/** Yield to the event loop every this many pieces (1 MB). */
const PIECES_PER_YIELD = 16;

function newTokenizer(): Tokenizer {
  // Values packed whole (no chunk tokens): keys, strings and numbers (as their text) come as one token each.
  return jsonParser({ packValues: true, streamValues: false }) as unknown as Tokenizer;
}

function tokensOf(result: unknown): Token[] {
  if (result === none || result === undefined) return [];
  const marked = result as { [MANY]?: number; values?: Token[] };
  return marked[MANY] === 1 ? marked.values! : [result as Token];
}

const KIND: Record<string, string> = {
  startObject: 'an object',
  startArray: 'an array',
  stringValue: 'a string',
  numberValue: 'a number',
  trueValue: 'a boolean',
  falseValue: 'a boolean',
  nullValue: 'null',
};

/**
 * The file's text, piece by piece, decoded as UTF-8 (a character split between pieces is
 * kept for the next one); the bytes go to `onBytes` first.
 */
function* pieces(path: string, fd: number, maxBytes: number, onBytes: (bytes: Buffer) => void): Generator<string> {
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(PIECE_BYTES);
  let total = 0;
  for (;;) {
    const n = readSync(fd, buffer, 0, buffer.length, null);
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw new DataFormatError(`${path}: cannot read it (it grew past the ${maxBytes} bytes a data file may have while being read)`);
    onBytes(buffer.subarray(0, n));
    let text = decoder.write(buffer.subarray(0, n));
    if (total === n) text = text.replace(/^\uFEFF/, ''); // a byte-order mark is not JSON
    yield text;
  }
  const rest = decoder.end();
  if (rest !== '') yield rest;
}

/** Records as they arrive, checked and put into the column store. */
class RecordReader {
  columns: string[] | null = null;
  store: ColumnStore | null = null;
  private depth = 0;
  private record = -1;
  private key: string | null = null;
  private cells: Cell[] = [];
  private seen: Uint8Array = new Uint8Array(0);
  private firstKeys: string[] = [];
  private ended = false;

  constructor(
    private readonly path: string,
    private readonly textColumns: readonly string[],
  ) {}

  private fail(message: string): never {
    throw new DataFormatError(`${this.path}: ${message}`);
  }

  take(token: Token): void {
    const { name } = token;
    if (this.depth === 0) {
      if (name !== 'startArray') this.fail(`expected an array of records ([{...}, {...}]), found ${KIND[name] ?? 'something else'} at the top level`);
      this.depth = 1;
      return;
    }
    if (this.depth === 1) {
      if (name === 'endArray') {
        this.depth = 0;
        this.ended = true;
        if (this.record < 0) this.fail('the array holds no records; expected one object per sample');
        return;
      }
      this.record++;
      if (name !== 'startObject') this.fail(`record ${this.record} is ${KIND[name] ?? 'something else'}, expected an object of column: value pairs`);
      this.depth = 2;
      this.key = null;
      if (this.columns !== null) this.seen.fill(0);
      return;
    }
    // depth 2: inside a record.
    if (name === 'keyValue') {
      this.key = token.value as string;
      return;
    }
    if (name === 'endObject') {
      this.endRecord();
      this.depth = 1;
      return;
    }
    if (name === 'startObject' || name === 'startArray') {
      this.fail(`record ${this.record}, key '${shortText(this.key ?? '')}' holds ${KIND[name]}; values must be numbers, strings or booleans`);
    }
    const cell: Cell = name === 'numberValue' ? Number(token.value) : name === 'stringValue' ? (token.value as string) : name === 'trueValue' ? true : name === 'falseValue' ? false : null;
    this.value(this.key!, cell);
  }

  private value(key: string, cell: Cell): void {
    if (this.columns === null) {
      // Record 0 names the columns, in its order; a repeated key keeps its first place and its last value, as JSON.parse does.
      const at = this.firstKeys.indexOf(key);
      if (at < 0) {
        this.firstKeys.push(key);
        this.cells.push(cell);
      } else this.cells[at] = cell;
      return;
    }
    const j = this.columnIndex.get(key);
    if (j === undefined) this.fail(`record ${this.record} has key '${key}', which record 0 does not; all records need the same keys`);
    this.cells[j] = cell;
    this.seen[j] = 1;
  }

  private columnIndex = new Map<string, number>();

  private endRecord(): void {
    if (this.columns === null) {
      if (this.firstKeys.length === 0) this.fail('record 0 has no keys; the first record names the columns');
      this.columns = this.firstKeys;
      this.columnIndex = new Map(this.columns.map((c, j) => [c, j]));
      this.store = new ColumnStore(this.columns, this.textColumns);
      this.seen = new Uint8Array(this.columns.length).fill(1);
    } else {
      const absent = this.seen.indexOf(0);
      if (absent >= 0) this.fail(`record ${this.record} has no key '${this.columns[absent]}' (record 0 has it); all records need the same keys`);
    }
    const store = this.store!;
    const i = store.rowCount;
    for (let j = 0; j < this.cells.length; j++) {
      const cell = this.cells[j];
      if (typeof cell === 'number' && !store.isText(j) && store.setNumber(i, j, cell)) continue;
      store.setCell(i, j, cell);
    }
    store.endRow();
  }

  end(): void {
    if (!this.ended) this.fail('the JSON text ends before its array is closed');
  }
}

/**
 * Read a JSON file holding an array of flat records as it streams into a column store. Piece
 * by piece, yielding to the event loop every megabyte (a 200 MB file takes seconds: Ctrl-C
 * and progress lines are served meanwhile).
 */
export async function streamJsonTable(path: string, options: StreamJsonOptions = {}): Promise<StreamedJson> {
  const maxBytes = options.maxBytes ?? MAX_DATA_FILE_BYTES;
  const { fd, size: total } = openDataFile(path, '', maxBytes);
  const hash = createHash('sha256');
  const reader = new RecordReader(path, options.textColumns ?? []);
  const tokenizer = newTokenizer();
  let bytesRead = 0;
  let nextReport = 0;
  let piece = 0;
  try {
    for (const text of pieces(path, fd, maxBytes, (bytes) => {
      hash.update(bytes);
      bytesRead += bytes.length;
      if (options.onProgress && bytesRead >= nextReport) {
        options.onProgress(bytesRead, total);
        nextReport = bytesRead + Math.max(total / 10, 1);
      }
    })) {
      let tokens: Token[];
      try {
        tokens = tokensOf(tokenizer(text));
      } catch (error) {
        throw syntaxError(path, error as Error, piece);
      }
      for (const token of tokens) reader.take(token);
      piece++;
      if (piece % PIECES_PER_YIELD === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    if (bytesRead === 0) throw new DataFormatError(`${path}: the file is empty; expected an array of records ([{...}, {...}])`);
    let last: Token[];
    try {
      last = tokensOf(tokenizer(none));
    } catch (error) {
      throw syntaxError(path, error as Error, -1);
    }
    for (const token of last) reader.take(token);
    reader.end();
  } catch (error) {
    if (error instanceof DataFormatError) throw error;
    if (typeof (error as NodeJS.ErrnoException).code === 'string') throw new DataFormatError(`${path}: cannot read it (${(error as Error).message})`);
    throw error;
  } finally {
    closeSync(fd);
  }
  options.onProgress?.(total, total);
  const store = reader.store!;
  store.finish();
  const columns = reader.columns!;
  const table = columnStoreTable(
    store,
    path,
    (i, j) => `${path}: record ${i}, key '${shortText(columns[j]!)}'`,
    (target) => `${path}: record 0 has no key '${shortText(target)}' to use as the target; its keys are: ${columns.map((c) => `'${shortText(c, 24)}'`).join(', ')}`,
  );
  return { table, sha256: hash.digest('hex'), bytes: total };
}

/**
 * The tokenizer's error with where it happened: the file is read again, the pieces before
 * the failing one fed whole and the failing one a character at a time, so the character it
 * stops at is known; then its line and column. Only on the error path (once).
 */
function syntaxError(path: string, error: Error, failingPiece: number): DataFormatError {
  const reason = error.message.replace(/^Parser (cannot parse input: |has )?/, '');
  let where = '';
  try {
    const { fd } = openDataFile(path);
    try {
      const tokenizer = newTokenizer();
      let line = 1;
      let column = 1;
      const advance = (text: string): void => {
        for (let k = 0; k < text.length; k++) {
          if (text.charCodeAt(k) === 10) {
            line++;
            column = 1;
          } else column++;
        }
      };
      let index = 0;
      let found = false;
      for (const text of pieces(path, fd, MAX_DATA_FILE_BYTES, () => undefined)) {
        if (index !== failingPiece) {
          tokenizer(text);
          advance(text);
        } else {
          for (let k = 0; k < text.length && !found; k++) {
            try {
              tokenizer(text[k]!);
            } catch {
              found = true;
              break;
            }
            advance(text[k]!);
          }
          break;
        }
        index++;
      }
      // Past the last piece (an error at the end of the text), the position is the end.
      where = ` at line ${line}, column ${column}`;
    } finally {
      closeSync(fd);
    }
  } catch {
    // The file cannot be read again: the reason alone.
  }
  return new DataFormatError(`${path}: is not valid JSON (${reason})${where}`);
}
