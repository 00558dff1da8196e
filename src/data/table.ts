/**
 * From a table of cells (rows of a CSV file, records of a JSON file) to tensors: every
 * column but the target becomes a feature column of x, the target column becomes y.
 * The CSV and JSON readers only turn text into cells and say where each cell came from,
 * so the rules below (what counts as a number, when the target is a class name) are the
 * same for both.
 *
 * Shape letters: N samples (rows), D features (columns).
 */
import { DataFormatError, ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';

export type TableTask = 'auto' | 'classification' | 'regression';

export interface TableOptions {
  /** Name of the column to predict (y); every other column is a feature. */
  target: string;
  /**
   * 'auto' (default): a numeric target is a regression target ([N, 1]); a target with any
   * non-numeric value holds class names ([N] labels). 'classification': also numeric targets
   * are classes (non-negative integers are kept as labels). 'regression': numbers only.
   */
  task?: TableTask;
}

export interface TableDataset {
  /** Features [N, D], in the order of featureNames. */
  x: Tensor;
  /** Class labels [N] (classification) or targets [N, 1] (regression). */
  y: Tensor;
  featureNames: string[];
  targetName: string;
  /** For classification: the name of each class, label k is classNames[k]. */
  classNames?: string[];
  /** Number of classes; 0 for regression. */
  numClasses: number;
  task: 'classification' | 'regression';
}

export type Cell = string | number | boolean | null | undefined;

/** A table as the readers hand it over: column names, rows of cells, and where cells came from. */
export interface CellTable {
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
  /** Where a cell is in the source, e.g. "data.csv: line 4, column 2 ('age')". */
  locate(row: number, column: number): string;
  /** Error text for a target that is not a column, e.g. "data.csv: no column 'y'". */
  missingTarget(target: string): string;
}

// NOTE: stricter than Number(): '' (missing), '0x1F', '1_000' and 'Infinity' are not numbers in a table.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell holds, or null when it holds none (text, empty, missing). */
export function cellNumber(cell: Cell): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (typeof cell === 'string') {
    const text = cell.trim();
    return DECIMAL.test(text) ? Number(text) : null;
  }
  return null;
}

function isMissing(cell: Cell): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

function describe(cell: Cell): string {
  if (cell === undefined) return 'missing';
  if (typeof cell === 'string') return cell.trim() === '' ? 'empty' : JSON.stringify(cell);
  return String(cell);
}

export function tableToDataset(table: CellTable, options: TableOptions): TableDataset {
  const { target, task = 'auto' } = options;
  if (task !== 'auto' && task !== 'classification' && task !== 'regression') {
    throw new ValueError(`task must be 'auto', 'classification' or 'regression', got ${JSON.stringify(task)}`);
  }
  const targetColumn = table.columns.indexOf(target);
  if (targetColumn < 0) throw new DataFormatError(table.missingTarget(target));
  const featureColumns = table.columns.map((_, j) => j).filter((j) => j !== targetColumn);
  const n = table.rows.length;
  const d = featureColumns.length;

  const x = new Float32Array(n * d);
  table.rows.forEach((row, i) => {
    featureColumns.forEach((j, k) => {
      const value = cellNumber(row[j]);
      if (value === null) {
        const problem = isMissing(row[j])
          ? 'is empty; fill in or drop rows with missing values before loading'
          : `is ${describe(row[j])}, not a number; features must be numeric (encode categories as numbers first)`;
        throw new DataFormatError(`${table.locate(i, j)} ${problem}`);
      }
      x[i * d + k] = value;
    });
  });

  const targets = table.rows.map((row, i) => {
    const cell = row[targetColumn];
    if (isMissing(cell)) throw new DataFormatError(`${table.locate(i, targetColumn)} is ${describe(cell)}; every row needs a target value`);
    return cell;
  });
  const base = { x: new Tensor(x, [n, d]), featureNames: featureColumns.map((j) => table.columns[j]!), targetName: target };
  const numbers = targets.map(cellNumber);
  const firstText = numbers.indexOf(null);

  if (task === 'regression' || (task === 'auto' && firstText < 0)) {
    if (firstText >= 0) {
      throw new DataFormatError(
        `${table.locate(firstText, targetColumn)} is ${describe(targets[firstText])}, not a number; a regression target must be numeric (or use task 'classification')`,
      );
    }
    return { ...base, y: new Tensor(Float32Array.from(numbers as number[]), [n, 1]), numClasses: 0, task: 'regression' };
  }

  const y = new Float32Array(n);
  let classNames: string[];
  if (firstText < 0 && numbers.every((v) => Number.isInteger(v) && v! >= 0)) {
    // Numeric labels 0..k-1 stay as they are, so a subset of the data keeps the same labels.
    const numClasses = (numbers as number[]).reduce((m, v) => Math.max(m, v), 0) + 1;
    y.set(numbers as number[]);
    classNames = Array.from({ length: numClasses }, (_, k) => String(k));
  } else {
    const names = targets.map((cell) => String(cell).trim());
    // NOTE: plain code-unit order (not localeCompare), so labels are the same in every engine.
    classNames = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const label = new Map(classNames.map((name, k) => [name, k]));
    names.forEach((name, i) => (y[i] = label.get(name)!));
  }
  return { ...base, y: new Tensor(y, [n]), classNames, numClasses: classNames.length, task: 'classification' };
}
