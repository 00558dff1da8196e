/**
 * Real tables, as they come: which columns are features, what each holds (numbers, text
 * categories, dates), what to do with missing cells, and whether the target is a class or a
 * number. Three steps, so a split can sit between them and nothing from the test rows leaks
 * into training:
 *
 *   inspectTable  column roles and kinds, categories, the task, rows kept  (all rows: none of
 *                 this is learned from target values of test rows)
 *   fitFills      the values that fill missing cells (mean / median / most frequent), from the
 *                 training rows only
 *   encodeRows    cells to tensors with a plan, columns found by name (so a file with its
 *                 columns in another order, or a saved model on new rows, reads the same)
 *
 * The plan is plain JSON: a model stores it and reads new rows with it. Every decision taken
 * without being asked is returned as a sentence saying what and why, with the option that
 * changes it. Browser-safe.
 *
 * Shape letters: N rows, D encoded features.
 */
import { DataFormatError, ValueError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import { didYouMean } from '../suggest.js';
import { Tensor } from '../tensor/tensor.js';
import type { Cell, CellTable, TableTask } from './table.js';

export type MissingPolicy = 'error' | 'drop' | 'mean' | 'median';
export const MISSING_POLICIES: readonly MissingPolicy[] = ['error', 'drop', 'mean', 'median'];

/** Cell texts read as "no value": what R, pandas, Excel and hand-made files write. */
export const MISSING_SPELLINGS: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '?'];
const MISSING = new Set(MISSING_SPELLINGS);

/** float32's largest finite value: a bigger number would train as Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;
export const DEFAULT_MAX_CLASSES = 1000;
/** A text column with more different values than this is an ID or free text, not a category. */
export const DEFAULT_MAX_CATEGORIES = 50;
/** Whole-number targets with at most this many different values read as classes (task 'auto'). */
export const MAX_AUTO_CLASSES = 10;

export interface TablePrepOptions {
  /** Name of the column to predict (y). */
  target: string;
  /**
   * 'auto' (default): text targets and whole numbers with at most 10 different values are
   * classes, other numbers a regression target. 'classification' / 'regression' say it.
   */
  task?: TableTask;
  /** Feature columns by name (default: every column but the target and `drop`). */
  features?: readonly string[];
  /** Columns to leave out (IDs, names, free text). */
  drop?: readonly string[];
  /** Columns to one-hot encode even when they hold numbers (text columns are detected). */
  categorical?: readonly string[];
  /** Missing cells (empty, NA, NaN, null, ?): 'error' (default) names them; 'drop' leaves those rows out; 'mean' / 'median' fill features (the most frequent value for categories) and leave out rows without a target. */
  missing?: MissingPolicy;
  /** Decimal mark of numbers: '.' (default), ',' (Spanish and other spreadsheets), or 'auto' (',' when the numbers are written so; said in the decisions). */
  decimal?: '.' | ',' | 'auto';
  /** Most classes a target may have (default 1000): more is a mistake, not a task. */
  maxClasses?: number;
  /** Most different values a text column may have to be one-hot encoded without asking (default 50). */
  maxCategories?: number;
  /** How to write an option in messages (the command line says "--missing drop"). */
  spell?: (key: string, value: string) => string;
}

export type ColumnPlan =
  | { name: string; kind: 'number'; fill: number | null }
  | { name: string; kind: 'year'; fill: number | null }
  | { name: string; kind: 'category'; categories: string[]; fill: string | null };

/** How a table becomes tensors; JSON, stored with a model. */
export interface TablePlan {
  /** Feature columns in order; a category column becomes one 0/1 feature per category. */
  columns: ColumnPlan[];
  /** Columns of the training table that are not used (dropped or not chosen). */
  ignored: string[];
  target: string;
  task: 'classification' | 'regression';
  /** Classification: label k is classNames[k]. */
  classNames: string[] | null;
  /** The class names are numbers (1, 2, 3): "1.0" in a new file is class "1". */
  numericClasses: boolean;
  missing: MissingPolicy;
  decimal: '.' | ',';
}

export interface TableInspection {
  plan: TablePlan;
  /** Rows used (after leaving out rows with missing values), in file order (4 bytes a row: a large table has millions). */
  rows: Int32Array;
  /** Class label of each used row (classification), for stratified splits. */
  labels: Int32Array | null;
  /** One sentence for the task and its reason: "classification, 3 classes from column 'species' (...)". */
  taskLine: string;
  /** Sentences for every other decision taken without being asked (columns, categories, dates, missing rows). */
  decisions: string[];
}

const defaultSpell = (key: string, value: string): string => `${key}: ${/^\d+$/.test(value) ? value : `'${shortText(value)}'`}`;

/** A cell of the table: through its own accessor when it has one (a column store), else its rows. */
function cellAt(table: CellTable, i: number, j: number): Cell {
  return table.cell !== undefined ? table.cell(i, j) : table.rows[i]![j];
}

function rowCount(table: CellTable): number {
  return table.rowCount ?? table.rows.length;
}

/** Long cell texts and names are cut so an error stays one readable line. */
export function shortText(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function describeCell(cell: Cell): string {
  if (cell === undefined) return 'missing';
  if (cell === null) return 'null';
  if (typeof cell === 'string') return cell.trim() === '' ? 'empty' : JSON.stringify(shortText(cell.trim()));
  return String(cell);
}

export function isMissing(cell: Cell): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'number') return Number.isNaN(cell);
  return typeof cell === 'string' && MISSING.has(cell.trim());
}

// NOTE: stricter than Number(): '0x1F', '1_000' and 'Infinity' are not numbers in a table.
const DOT_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMMA_DECIMAL = /^[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The number a cell holds with this decimal mark, or null (text, missing). Infinity stays Infinity (checked later). */
export function parseNumber(cell: Cell, decimal: '.' | ',' = '.'): number | null {
  if (typeof cell === 'number') return Number.isNaN(cell) ? null : cell;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (typeof cell !== 'string') return null;
  const text = cell.trim();
  if (decimal === '.') return DOT_DECIMAL.test(text) ? Number(text) : null;
  return COMMA_DECIMAL.test(text) ? Number(text.replace(',', '.')) : null;
}

function yearOf(cell: Cell): number | null {
  if (typeof cell !== 'string') return null;
  const m = DATE.exec(cell.trim());
  return m === null ? null : Number(m[1]);
}

function sortNames(names: Iterable<string>): string[] {
  // NOTE: plain code-unit order (not localeCompare), so encodings are the same in every engine.
  return [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function list(names: readonly string[], max = 6): string {
  const shown = names.slice(0, max).map((n) => shortText(n, 24));
  return names.length > max ? `${shown.join(', ')}, … (${names.length} in all)` : shown.join(', ');
}

function checkNames(table: CellTable, names: readonly string[] | undefined, key: string, spell: NonNullable<TablePrepOptions['spell']>): void {
  if (names === undefined) return;
  if (!Array.isArray(names)) throw new ValueError(`${key} must be a list of column names, got ${JSON.stringify(names)}`);
  for (const name of names) {
    if (!table.columns.includes(name)) {
      throw new DataFormatError(
        `${table.missingTarget(name).replace(/ to use as the target/, '').replace(/;.*$/, '')} (${spell(key, name)})${didYouMean(name, table.columns)}; the columns are: ${list(table.columns.map((c) => `'${c}'`), 12)}`,
      );
    }
  }
}

/** The keys of TablePrepOptions, for checking option objects (a typo is an error, not a default). */
export const TABLE_OPTION_KEYS: readonly string[] = ['target', 'task', 'features', 'drop', 'categorical', 'missing', 'decimal', 'maxClasses', 'maxCategories', 'spell'];

function checkOptions(options: TablePrepOptions): void {
  checkOptionKeys('table options', options, TABLE_OPTION_KEYS);
  const { task = 'auto', missing = 'error', decimal = '.', maxClasses = DEFAULT_MAX_CLASSES, maxCategories = DEFAULT_MAX_CATEGORIES } = options;
  if (typeof options.target !== 'string' || options.target === '') throw new ValueError(`target must name a column, got ${JSON.stringify(options.target)}`);
  if (!['auto', 'classification', 'regression'].includes(task)) throw new ValueError(`task must be 'auto', 'classification' or 'regression', got ${JSON.stringify(task)}`);
  if (!MISSING_POLICIES.includes(missing)) throw new ValueError(`missing must be one of ${MISSING_POLICIES.map((p) => `'${p}'`).join(', ')}, got ${JSON.stringify(missing)}`);
  if (!['.', ',', 'auto'].includes(decimal)) throw new ValueError(`decimal must be '.', ',' or 'auto', got ${JSON.stringify(decimal)}`);
  for (const [key, value] of [['maxClasses', maxClasses], ['maxCategories', maxCategories]] as const) {
    if (!(Number.isInteger(value) && value >= 2)) throw new ValueError(`${key} must be a whole number of at least 2, got ${value}`);
  }
}

/** ',' when some column is written with decimal commas and no column with decimal points. */
export function detectDecimal(table: CellTable, columns: readonly number[]): { decimal: '.' | ','; example: string | null } {
  let commaExample: string | null = null;
  for (const j of columns) {
    for (let i = 0; i < rowCount(table); i++) {
      const cell = cellAt(table, i, j);
      if (typeof cell !== 'string' || isMissing(cell)) continue;
      const text = cell.trim();
      if (/^[+-]?\d*\.\d+([eE][+-]?\d+)?$/.test(text)) return { decimal: '.', example: null };
      if (commaExample === null && /^[+-]?\d*,\d+([eE][+-]?\d+)?$/.test(text)) commaExample = text;
    }
  }
  return commaExample === null ? { decimal: '.', example: null } : { decimal: ',', example: commaExample };
}

/**
 * Decide the roles and kinds of the columns, the task and the rows used. Reads every row;
 * learns nothing from target values beyond which values exist (the class names).
 */
export function inspectTable(table: CellTable, options: TablePrepOptions): TableInspection {
  checkOptions(options);
  const spell = options.spell ?? defaultSpell;
  const { target, task = 'auto', missing = 'error', maxClasses = DEFAULT_MAX_CLASSES, maxCategories = DEFAULT_MAX_CATEGORIES } = options;
  const decisions: string[] = [];
  const targetColumn = table.columns.indexOf(target);
  if (targetColumn < 0) throw new DataFormatError(`${table.missingTarget(target)}${didYouMean(target, table.columns)}`);
  checkNames(table, options.features, 'features', spell);
  checkNames(table, options.drop, 'drop', spell);
  checkNames(table, options.categorical, 'categorical', spell);
  if (options.features?.includes(target)) throw new DataFormatError(`'${target}' is the target; it cannot also be a feature (${spell('features', options.features.join(','))})`);
  const both = options.features?.find((f) => options.drop?.includes(f));
  if (both !== undefined) throw new DataFormatError(`column '${both}' is both in ${spell('features', '…')} and ${spell('drop', '…')}; name it in one of them`);

  const featureNames = options.features ? [...options.features] : table.columns.filter((c) => c !== target && !(options.drop ?? []).includes(c));
  if (featureNames.length === 0) throw new DataFormatError(`no feature columns are left (the target is '${target}'${options.drop?.length ? `, ${spell('drop', options.drop.join(','))}` : ''}); a model needs at least one input column`);
  const featureColumns = featureNames.map((name) => table.columns.indexOf(name));
  const ignored = table.columns.filter((c) => c !== target && !featureNames.includes(c));
  if (ignored.length > 0) {
    decisions.push(options.features ? `columns not among ${spell('features', featureNames.join(','))}, left out: ${list(ignored)}` : `left out ${ignored.length === 1 ? 'column' : 'columns'} ${list(ignored)}, as ${spell('drop', ignored.join(','))} asks`);
  }

  let decimal: '.' | ',' = options.decimal === ',' ? ',' : '.';
  if (options.decimal === 'auto') {
    const detected = detectDecimal(table, [...featureColumns, targetColumn]);
    decimal = detected.decimal;
    if (detected.decimal === ',') decisions.push(`numbers use a decimal comma (e.g. '${shortText(detected.example!, 20)}' is ${detected.example!.replace(',', '.')}); ${spell('decimal', '.')} reads them as text`);
  }

  // Rows: which cells are missing, per used column.
  const used = [targetColumn, ...featureColumns];
  const missingCount = new Map<number, number>();
  const firstMissing = new Map<number, number>();
  // One byte a row (1: a used cell is missing, 2: the target is), not JS arrays of booleans (8 bytes a row).
  const rowMissing = new Uint8Array(rowCount(table));
  for (let i = 0; i < rowMissing.length; i++) {
    let flags = 0;
    for (const j of used) {
      if (!isMissing(cellAt(table, i, j))) continue;
      flags |= j === targetColumn ? 3 : 1;
      missingCount.set(j, (missingCount.get(j) ?? 0) + 1);
      if (!firstMissing.has(j)) firstMissing.set(j, i);
    }
    rowMissing[i] = flags;
  }
  const fixes = `${spell('missing', 'drop')} (leave those rows out), ${spell('missing', 'mean')} or ${spell('missing', 'median')} (fill features in, leave out rows without a target)`;
  if (missing === 'error') {
    for (const j of used) {
      const count = missingCount.get(j);
      if (count === undefined) continue;
      const i = firstMissing.get(j)!;
      const more = count > 1 ? `, as are ${count - 1} more cell${count > 2 ? 's' : ''} of that column` : '';
      const role = j === targetColumn ? 'the target' : 'a feature';
      throw new DataFormatError(`${table.locate(i, j)} is missing (${describeCell(cellAt(table, i, j))})${more}; it is ${role}, so choose ${fixes}`);
    }
  }
  const counts = (cols: readonly number[]): string =>
    cols.filter((j) => missingCount.has(j)).map((j) => `${table.columns[j]}: ${missingCount.get(j)}`).join(', ');
  // 'drop' leaves out rows with any used cell missing; the fills leave out rows without a target.
  const leaveOut = missing === 'drop' ? 1 : 2;
  let kept = 0;
  for (let i = 0; i < rowMissing.length; i++) if ((rowMissing[i]! & leaveOut) === 0) kept++;
  const rows = new Int32Array(kept);
  for (let i = 0, k = 0; i < rowMissing.length; i++) if ((rowMissing[i]! & leaveOut) === 0) rows[k++] = i;
  if (missing === 'drop') {
    const dropped = rowCount(table) - rows.length;
    if (dropped > 0) decisions.push(`left out ${dropped} of ${rowCount(table)} rows with missing values (${counts(used)}) as ${spell('missing', 'drop')} asks`);
  } else {
    const dropped = rowCount(table) - rows.length;
    if (dropped > 0) decisions.push(`left out ${dropped} of ${rowCount(table)} rows without a target value ('${target}' is missing; a target cannot be filled in)`);
  }
  if (rows.length === 0) throw new DataFormatError(`no rows are left once rows with missing values are left out (${counts(used)}); choose ${spell('missing', 'mean')} or fill the file in`);

  const columns = featureColumns.map((j) => planColumn(table, j, rows, decimal, options, spell, decisions, maxCategories));
  const targetPlan = planTarget(table, targetColumn, rows, decimal, task, spell, maxClasses);
  return {
    plan: {
      columns,
      ignored,
      target,
      task: targetPlan.task,
      classNames: targetPlan.classNames,
      numericClasses: targetPlan.numericClasses,
      missing,
      decimal,
    },
    rows,
    labels: targetPlan.labels,
    taskLine: targetPlan.line,
    decisions,
  };
}

function planColumn(
  table: CellTable,
  j: number,
  rows: Int32Array,
  decimal: '.' | ',',
  options: TablePrepOptions,
  spell: NonNullable<TablePrepOptions['spell']>,
  decisions: string[],
  maxCategories: number,
): ColumnPlan {
  const name = table.columns[j]!;
  const present = presentRows(table, rows, j);
  const texts = (): string[] => Array.from(present, (i) => cellText(cellAt(table, i, j), decimal));
  if (options.categorical?.includes(name)) {
    const categories = sortNames(texts());
    decisions.push(`column '${name}': one-hot encoded as ${categories.length} columns (${list(categories)}), as ${spell('categorical', name)} asks`);
    return { name, kind: 'category', categories, fill: null };
  }
  const firstText = present.find((i) => parseNumber(cellAt(table, i, j), decimal) === null);
  if (firstText === undefined) {
    if (looksLikeRowNumber(table, j, present, decimal)) {
      decisions.push(`column '${name}' counts the rows (${parseNumber(cellAt(table, present[0]!, j), decimal)}, ${parseNumber(cellAt(table, present[1]!, j), decimal)}, …): it is used as a feature like any number, though an ID predicts nothing; ${spell('drop', name)} leaves it out`);
    }
    return { name, kind: 'number', fill: null };
  }
  if (present.every((i) => yearOf(cellAt(table, i, j)) !== null)) {
    decisions.push(`column '${name}': dates (e.g. ${describeCell(cellAt(table, present[0]!, j))}), used as the year; ${spell('drop', name)} leaves them out`);
    return { name, kind: 'year', fill: null };
  }
  if (decimal === '.' && present.every((i) => parseNumber(cellAt(table, i, j), ',') !== null)) {
    throw new DataFormatError(`${table.locate(firstText, j)} is ${describeCell(cellAt(table, firstText, j))}, not a number with a decimal point; for decimal commas use ${spell('decimal', ',')}`);
  }
  let numbers = 0;
  for (let k = 0; k < present.length; k++) if (parseNumber(cellAt(table, present[k]!, j), decimal) !== null) numbers++;
  if (numbers * 2 >= present.length) {
    // Mostly numbers: the text cell is a typo or an unmarked missing value, not a category.
    const commaHint = decimal === '.' && parseNumber(cellAt(table, firstText, j), ',') !== null ? `; for decimal commas use ${spell('decimal', ',')}` : '';
    throw new DataFormatError(
      `${table.locate(firstText, j)} is ${describeCell(cellAt(table, firstText, j))}, not a number, though the column holds numbers${commaHint}; fix the cell, write it as missing (NA), or one-hot encode the column with ${spell('categorical', name)}`,
    );
  }
  const categories = sortNames(texts());
  if (categories.length > maxCategories) {
    throw new DataFormatError(
      `${table.source ? `${table.source}: ` : ''}column '${shortText(name)}' holds text with ${categories.length} different values in ${present.length} rows (an ID or free text?); leave it out with ${spell('drop', name)}, or one-hot encode it anyway with ${spell('categorical', name)}`,
    );
  }
  decisions.push(`column '${name}': text, one-hot encoded as ${categories.length} columns (${list(categories)})`);
  return { name, kind: 'category', categories, fill: null };
}

/**
 * The rows whose cell in column j is not missing: `rows` itself when none is. Counted, then
 * filled: TypedArray.prototype.filter gathers the kept rows in a JS array first (8+ bytes a
 * row, grown by copying), for every column of a table of millions of rows.
 */
function presentRows(table: CellTable, rows: Int32Array, j: number): Int32Array {
  let count = 0;
  for (let k = 0; k < rows.length; k++) if (!isMissing(cellAt(table, rows[k]!, j))) count++;
  if (count === rows.length) return rows;
  const present = new Int32Array(count);
  for (let k = 0, m = 0; k < rows.length; k++) if (!isMissing(cellAt(table, rows[k]!, j))) present[m++] = rows[k]!;
  return present;
}

/** Whole numbers going up by one on every row (1, 2, 3, ...): a saved row index or an ID, not a measurement. */
function looksLikeRowNumber(table: CellTable, j: number, present: Int32Array, decimal: '.' | ','): boolean {
  if (present.length < 3) return false;
  let previous = parseNumber(cellAt(table, present[0]!, j), decimal)!;
  if (!Number.isInteger(previous)) return false;
  for (let k = 1; k < present.length; k++) {
    const value = parseNumber(cellAt(table, present[k]!, j), decimal)!;
    if (value !== previous + 1) return false;
    previous = value;
  }
  return true;
}

/** A category cell's name: numbers written canonically ("1.0" and "1" are one category). */
function cellText(cell: Cell, decimal: '.' | ','): string {
  const n = parseNumber(cell, decimal);
  return n !== null && typeof cell !== 'boolean' ? String(n) : String(cell).trim();
}

function planTarget(
  table: CellTable,
  j: number,
  rows: Int32Array,
  decimal: '.' | ',',
  task: TableTask,
  spell: NonNullable<TablePrepOptions['spell']>,
  maxClasses: number,
): { task: 'classification' | 'regression'; classNames: string[] | null; numericClasses: boolean; labels: Int32Array | null; line: string } {
  const name = table.columns[j]!;
  // The target's values sorted in a typed array and counted by one scan: a Set of millions of
  // distinct floats plus a JS array of them took several times that and was the peak of
  // preparing a large regression table. Float32Array (4 bytes a row) while every value is a
  // float32 (all of them, from a column store), else Float64Array.
  let sorted: Float32Array | Float64Array = new Float32Array(rows.length);
  let firstText = -1;
  for (let k = 0; k < rows.length; k++) {
    const value = parseNumber(cellAt(table, rows[k]!, j), decimal);
    if (value === null) {
      firstText = k;
      break;
    }
    if (sorted instanceof Float32Array && Math.fround(value) !== value && Number.isFinite(value)) {
      const wider = new Float64Array(rows.length);
      wider.set(sorted.subarray(0, k));
      sorted = wider;
    }
    sorted[k] = value;
  }
  const allNumbers = firstText < 0;
  if (allNumbers) sorted.sort();
  let distinctCount = 0;
  let whole = allNumbers;
  for (let k = 0; allNumbers && k < sorted.length; k++) {
    if (k === 0 || sorted[k] !== sorted[k - 1]) distinctCount++;
    if (whole && !Number.isInteger(sorted[k])) whole = false;
  }

  if (task === 'regression' || (task === 'auto' && allNumbers && !(whole && distinctCount <= MAX_AUTO_CLASSES))) {
    if (!allNumbers) {
      const i = rows[firstText]!;
      throw new DataFormatError(`${table.locate(i, j)} is ${describeCell(cellAt(table, i, j))}, not a number; a regression target must be numeric (or use ${spell('task', 'classification')})`);
    }
    const why =
      task === 'regression'
        ? `as ${spell('task', 'regression')} asks`
        : `numbers, ${distinctCount} different values${whole ? ` (whole numbers, but more than ${MAX_AUTO_CLASSES}; ${spell('task', 'classification')} reads them as classes)` : ''}`;
    return { task: 'regression', classNames: null, numericClasses: false, labels: null, line: `regression on column '${name}' (${why})` };
  }

  // Classification: the distinct values, numbers in numeric order (1..K become labels 0..K-1, no empty class).
  const distinct: number[] = [];
  if (allNumbers) for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) distinct.push(sorted[k]!);
  const classNames = allNumbers ? distinct.map(String) : sortNames(Array.from(rows, (i) => String(cellAt(table, i, j)).trim()));
  if (classNames.length > maxClasses) {
    const seen = new Set<string>();
    let beyond = rows[0]!;
    for (const i of rows) {
      seen.add(cellText(cellAt(table, i, j), decimal));
      if (seen.size > maxClasses) {
        beyond = i;
        break;
      }
    }
    throw new DataFormatError(
      `${table.locate(beyond, j)} is ${describeCell(cellAt(table, beyond, j))}, the target's class number ${maxClasses + 1}: ${classNames.length} classes in all, more than ${maxClasses}; if the target holds quantities use ${spell('task', 'regression')}, if it really has that many classes raise ${spell('maxClasses', String(classNames.length))}`,
    );
  }
  const index = new Map(classNames.map((c, k) => [c, k]));
  const labels = Int32Array.from(rows, (i) => index.get(allNumbers ? cellText(cellAt(table, i, j), decimal) : String(cellAt(table, i, j)).trim())!);
  let why: string;
  if (task === 'classification') why = `as ${spell('task', 'classification')} asks`;
  else if (!allNumbers) why = `it holds text, e.g. ${describeCell(cellAt(table, rows[firstText]!, j))}`;
  else why = `whole numbers with ${distinct.length} different values; ${spell('task', 'regression')} predicts them as numbers`;
  const mapped = allNumbers && (distinct[0] !== 0 || distinct.some((v, k) => v !== k)) ? `; labels ${list(classNames)} are classes 0..${classNames.length - 1}` : '';
  return {
    task: 'classification',
    classNames,
    numericClasses: allNumbers,
    labels,
    line: `classification, ${classNames.length} classes from column '${name}' (${why}${mapped})`,
  };
}

/**
 * The values that fill missing feature cells under 'mean' / 'median' (categories: the most
 * frequent), measured on `trainRows` only so the test rows stay unseen. Returns the plan with
 * fills and a sentence per filled column.
 */
export function fitFills(plan: TablePlan, table: CellTable, trainRows: ArrayLike<number>): { plan: TablePlan; decisions: string[] } {
  if (plan.missing !== 'mean' && plan.missing !== 'median') return { plan, decisions: [] };
  const decisions: string[] = [];
  const index = columnIndex(table, plan, 'train');
  const columns = plan.columns.map((column): ColumnPlan => {
    const j = index.get(column.name)!;
    // Counted first and the values read only for a column that has missing cells, into a
    // Float64Array: a JS array of every training cell of every column was 8+ bytes a cell.
    let missingCells = 0;
    for (let r = 0; r < trainRows.length; r++) if (isMissing(cellAt(table, trainRows[r]!, j))) missingCells++;
    if (missingCells === 0 && !tableHasMissing(table, j)) return column;
    if (missingCells === trainRows.length) throw new DataFormatError(`${table.source ? `${table.source}: ` : ''}column '${column.name}' has no values in the training rows to fill its missing cells with; leave it out (drop)`);
    if (column.kind === 'category') {
      const counts = new Map<string, number>();
      for (let r = 0; r < trainRows.length; r++) {
        const cell = cellAt(table, trainRows[r]!, j);
        if (isMissing(cell)) continue;
        const text = cellText(cell, plan.decimal);
        counts.set(text, (counts.get(text) ?? 0) + 1);
      }
      const fill = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
      decisions.push(`column '${column.name}': ${cells(missingCells)} filled with its most frequent category '${shortText(fill, 24)}'`);
      return { ...column, fill };
    }
    const found = new Float64Array(trainRows.length - missingCells);
    let m = 0;
    for (let r = 0; r < trainRows.length; r++) {
      const cell = cellAt(table, trainRows[r]!, j);
      if (isMissing(cell)) continue;
      const value = column.kind === 'year' ? yearOf(cell) : parseNumber(cell, plan.decimal);
      if (value !== null && Number.isFinite(value)) found[m++] = value;
    }
    const numbers = found.subarray(0, m);
    let sum = 0;
    for (let k = 0; k < m; k++) sum += numbers[k]!;
    const fill = plan.missing === 'mean' ? sum / m : median(numbers);
    decisions.push(`column '${column.name}': ${cells(missingCells)} filled with the ${plan.missing} of the training rows, ${Number(fill.toPrecision(6))}`);
    return { ...column, fill };
  });
  return { plan: { ...plan, columns }, decisions };
}

function cells(count: number): string {
  return `${count} missing ${count === 1 ? 'cell' : 'cells'}`;
}

function tableHasMissing(table: CellTable, j: number): boolean {
  for (let i = 0; i < rowCount(table); i++) if (isMissing(cellAt(table, i, j))) return true;
  return false;
}

function median(values: Float64Array): number {
  const sorted = values.sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Names of the encoded features, in order: a category column gives "column=category" per category. */
export function encodedFeatureNames(plan: TablePlan): string[] {
  return plan.columns.flatMap((c) => (c.kind === 'category' ? c.categories.map((k) => `${c.name}=${k}`) : [c.name]));
}

/** Where each column of the plan is in this table; names what is absent, and (with 'reject') what is unknown. */
function columnIndex(table: CellTable, plan: TablePlan, use: 'train' | 'new', extra: 'reject' | 'ignore' = 'ignore'): Map<string, number> {
  const index = new Map(table.columns.map((c, j) => [c, j]));
  const absent = plan.columns.find((c) => !index.has(c.name));
  if (absent !== undefined) {
    throw new DataFormatError(`${table.missingTarget(absent.name).replace(/ to use as the target.*$/, '')}, which the ${use === 'new' ? 'model' : 'plan'} needs as a feature (features: ${list(plan.columns.map((c) => c.name), 12)})`);
  }
  if (extra === 'reject') {
    const known = new Set([...plan.columns.map((c) => c.name), ...plan.ignored, plan.target]);
    const unknown = table.columns.find((c) => !known.has(c));
    if (unknown !== undefined) {
      throw new DataFormatError(
        `${table.source ? `${table.source}: ` : ''}column '${shortText(unknown)}' is neither one of the model's features (${list(plan.columns.map((c) => c.name), 12)}) nor its target ('${plan.target}'); drop it`,
      );
    }
  }
  return index;
}

export interface EncodeOptions {
  /** Read the target too (evaluate); without it a target column, if present, is ignored (predict). */
  target?: boolean;
  /** A category the model has not seen: 'error' (default) or 'zeros' (all of its columns 0). */
  unknownCategory?: 'error' | 'zeros';
  /** Columns the plan does not know: 'reject' (default for new rows) or 'ignore'. */
  extraColumns?: 'reject' | 'ignore';
  /** Rows with a missing cell and no fill: 'policy' (the plan's: drop or error) or 'error' (predict must answer every row). */
  onMissing?: 'policy' | 'error';
  spell?: (key: string, value: string) => string;
}

export interface EncodedRows {
  /** Features [N, D] in the order of encodedFeatureNames(plan). */
  x: Tensor;
  /** Labels [N] (classification) or values [N, 1] (regression), when asked for. */
  y: Tensor | null;
  /** Table rows encoded, in order (rows with missing cells may be left out under 'drop'). */
  rows: Int32Array;
}

/**
 * One row of cells to features (and target) with a plan: writes x[offset .. offset + d) and
 * y[at]; false when the row is left out (a missing cell under 'drop'), its features zeroed.
 */
interface RowEncoder {
  d: number;
  encode(i: number, x: Float32Array, offset: number, y: Float32Array | null, at: number): boolean;
}

function rowEncoder(plan: TablePlan, table: CellTable, options: EncodeOptions): RowEncoder {
  const spell = options.spell ?? defaultSpell;
  const { unknownCategory = 'error', onMissing = 'policy' } = options;
  const index = columnIndex(table, plan, 'new', options.extraColumns ?? 'reject');
  const targetColumn = table.columns.indexOf(plan.target);
  if (options.target && targetColumn < 0) throw new DataFormatError(table.missingTarget(plan.target));
  const widths = plan.columns.map((c) => (c.kind === 'category' ? c.categories.length : 1));
  const d = widths.reduce((s, w) => s + w, 0);
  const columnIdx = plan.columns.map((c) => index.get(c.name)!);
  const categoryIndex = plan.columns.map((c) => (c.kind === 'category' ? new Map(c.categories.map((k, n) => [k, n])) : null));
  const classIndex = plan.classNames ? new Map(plan.classNames.map((k, n) => [k, n])) : null;

  const encode = (i: number, x: Float32Array, start: number, y: Float32Array | null, at: number): boolean => {
    if (options.target) {
      const cell = cellAt(table, i, targetColumn);
      if (isMissing(cell)) {
        if (plan.missing === 'error' || onMissing === 'error') throw new DataFormatError(`${table.locate(i, targetColumn)} is missing (${describeCell(cell)}); every row needs a target value`);
        return false;
      }
    }
    let offset = start;
    for (let c = 0; c < plan.columns.length; c++) {
      const column = plan.columns[c]!;
      const j = columnIdx[c]!;
      const written = cellAt(table, i, j);
      let cell: Cell = written;
      if (isMissing(cell)) {
        if (column.fill !== null) cell = column.fill;
        else if (plan.missing === 'drop' && onMissing === 'policy') {
          // NOTE: the next row is written over this one, and a one-hot column writes only its 1s: clear what was set.
          x.fill(0, start, start + d);
          return false;
        } else {
          throw new DataFormatError(`${table.locate(i, j)} is missing (${describeCell(written)}); ${onMissing === 'error' && plan.missing === 'drop' ? 'the model was trained leaving such rows out, but a prediction needs every value' : `the model was trained with ${spell('missing', plan.missing)}`}; fill the cell in`);
        }
      }
      if (column.kind === 'category') {
        const k = categoryIndex[c]!.get(cellText(cell, plan.decimal));
        if (k === undefined) {
          if (unknownCategory === 'zeros') {
            offset += column.categories.length;
            continue;
          }
          throw new DataFormatError(
            `${table.locate(i, j)} is ${describeCell(written)}, a category the model never saw (it knows ${list(column.categories)}); fix the value, or encode unknown categories as all zeros with ${spell('unknownCategory', 'zeros')}`,
          );
        }
        x[offset + k] = 1;
        offset += column.categories.length;
        continue;
      }
      const value = column.kind === 'year' ? (yearOf(cell) ?? parseNumber(cell, plan.decimal)) : parseNumber(cell, plan.decimal);
      if (value === null) {
        throw new DataFormatError(`${table.locate(i, j)} is ${describeCell(cell)}, not a number; the model reads column '${shortText(column.name)}' as ${column.kind === 'year' ? 'dates (YYYY-MM-DD)' : 'numbers'}`);
      }
      checkFinite(table, i, j, cell, value);
      x[offset++] = value;
    }
    if (options.target) {
      const cell = cellAt(table, i, targetColumn);
      if (classIndex !== null) {
        const name = plan.numericClasses ? cellText(cell, plan.decimal) : String(cell).trim();
        const k = classIndex.get(name);
        if (k === undefined) throw new DataFormatError(`${table.locate(i, targetColumn)} is ${describeCell(cell)}, a class the model does not know (${list(plan.classNames!)})`);
        y![at] = k;
      } else {
        const value = parseNumber(cell, plan.decimal);
        if (value === null) throw new DataFormatError(`${table.locate(i, targetColumn)} is ${describeCell(cell)}, not a number; a regression target must be numeric`);
        checkFinite(table, i, targetColumn, cell, value);
        y![at] = value;
      }
    }
    return true;
  };
  return { d, encode };
}

function encodedTensors(plan: TablePlan, options: EncodeOptions, x: Float32Array, y: Float32Array | null, n: number, d: number, chosen: number): Pick<EncodedRows, 'x' | 'y'> {
  return {
    x: new Tensor(n === chosen ? x : x.slice(0, n * d), [n, d]),
    y: options.target ? (plan.classNames !== null ? new Tensor(n === chosen ? y! : y!.slice(0, n), [n]) : new Tensor(n === chosen ? y! : y!.slice(0, n), [n, 1])) : null,
  };
}

/** Encode `rows` of a table (default: all), in that order, with a plan; columns are found by name. */
export function encodeRows(plan: TablePlan, table: CellTable, rows?: ArrayLike<number>, options: EncodeOptions = {}): EncodedRows {
  const { d, encode } = rowEncoder(plan, table, options);
  const count = rows === undefined ? rowCount(table) : rows.length;
  const x = new Float32Array(count * d);
  const y = options.target ? new Float32Array(count) : null;
  const kept = new Int32Array(count);
  let n = 0;
  for (let k = 0; k < count; k++) {
    const i = rows === undefined ? k : rows[k]!;
    if (encode(i, x, n * d, y, n)) kept[n++] = i;
  }
  return { ...encodedTensors(plan, options, x, y, n, d, count), rows: n === count ? kept : kept.slice(0, n) };
}

/** How often (in rows) encodeParts lets a column store free the rows behind it. */
const RELEASE_EVERY = 1 << 16;

/**
 * Encode several disjoint lists of rows (a split's training and test rows) in one pass
 * through the table in file order; each part comes out in its own order, as encodeRows would
 * give it. With `release`, the table frees the cells behind the pass (a column store does;
 * the table cannot be read again): each part is written in file order, so its matrix grows
 * page by page while the cells go, and is put in the part's order at the end, in place. The
 * features of a large table are then held once, not as cells and as a matrix at the same time.
 * Errors name the first bad cell in file order.
 */
export function encodeParts(plan: TablePlan, table: CellTable, parts: readonly ArrayLike<number>[], options: EncodeOptions & { release?: boolean } = {}): EncodedRows[] {
  const { release, ...encodeOptions } = options;
  const { d, encode } = rowEncoder(plan, table, encodeOptions);
  const total = rowCount(table);
  const P = parts.length;
  // where[i]: part p and position k of table row i, as k·P + p; -1 for a row in no part.
  const where = new Int32Array(total).fill(-1);
  parts.forEach((part, p) => {
    for (let k = 0; k < part.length; k++) {
      const i = part[k]!;
      if (!(Number.isInteger(i) && i >= 0 && i < total)) throw new ValueError(`encodeParts: row ${i} is not a row of the table (0..${total - 1})`);
      if (where[i] !== -1) throw new ValueError(`encodeParts: row ${i} is in more than one part (or twice in one); the parts must be disjoint`);
      where[i] = k * P + p;
    }
  });
  const xs = parts.map((part) => new Float32Array(part.length * d));
  const ys = parts.map((part) => (encodeOptions.target ? new Float32Array(part.length) : null));
  // Written in file order, each part's rows one after the other; where[i] then becomes the
  // place row i was written to in its part (-2: left out).
  const written = new Int32Array(P);
  for (let i = 0; i < total; i++) {
    if (release && i > 0 && i % RELEASE_EVERY === 0) table.release?.(i);
    const w = where[i]!;
    if (w < 0) continue;
    const p = w % P;
    const n = written[p]!;
    if (encode(i, xs[p]!, n * d, ys[p]!, n)) {
      where[i] = n;
      written[p] = n + 1;
    } else where[i] = -2;
  }
  if (release) table.release?.(total);
  return parts.map((part, p) => {
    // The rows kept, in the part's order, and where each one was written.
    const n = written[p]!;
    const from = new Int32Array(n);
    const rows = new Int32Array(n);
    for (let k = 0, m = 0; k < part.length; k++) {
      const at = where[part[k]!]!;
      if (at < 0) continue;
      from[m] = at;
      rows[m++] = part[k]!;
    }
    permuteRows(xs[p]!, d, from);
    if (ys[p] !== null) permuteRows(ys[p]!, 1, from);
    return { ...encodedTensors(plan, encodeOptions, xs[p]!, ys[p]!, n, d, part.length), rows };
  });
}

/** Rows of `data` (width d) rearranged in place so that row m becomes the row that was at from[m]. */
function permuteRows(data: Float32Array, d: number, from: Int32Array): void {
  const done = new Uint8Array(from.length);
  const saved = new Float32Array(d);
  for (let start = 0; start < from.length; start++) {
    if (done[start] || from[start] === start) continue;
    // Follow the cycle: start takes from from[start], which takes from its own source, ... back to start.
    saved.set(data.subarray(start * d, start * d + d));
    let m = start;
    for (;;) {
      done[m] = 1;
      const s = from[m]!;
      if (s === start) {
        data.set(saved, m * d);
        break;
      }
      data.copyWithin(m * d, s * d, s * d + d);
      m = s;
    }
  }
}

/** A value float32 cannot hold (1e39) or a written-out infinity would train as Infinity: say where. */
function checkFinite(table: CellTable, i: number, j: number, cell: Cell, value: number): void {
  if (Number.isFinite(value) && Math.abs(value) <= FLOAT32_MAX) return;
  throw new DataFormatError(
    `${table.locate(i, j)} is ${describeCell(cell)}, beyond the largest number a float32 holds (±3.4e38); rescale the column (e.g. other units) or fix the value`,
  );
}
