/**
 * From a table of cells (rows of a CSV file, records of a JSON file) to tensors. The CSV
 * and JSON readers only turn text into cells and say where each cell came from; the rules
 * (column roles, missing values, categories, dates, the task) are table-plan.ts's, the same
 * for both. tableToDataset is the one-call form: inspect, fill, encode every row.
 *
 * Shape letters: N samples (rows), D features (encoded columns).
 */
import type { Tensor } from '../tensor/tensor.js';
import { encodedFeatureNames, encodeRows, fitFills, inspectTable, parseNumber, type TablePlan, type TablePrepOptions } from './table-plan.js';

export type TableTask = 'auto' | 'classification' | 'regression';

/** What to read from a table: the target, and optionally columns, missing values, categories (see TablePrepOptions). */
export type TableOptions = TablePrepOptions;

export interface TableDataset {
  /** Features [N, D], in the order of featureNames. */
  x: Tensor;
  /** Class labels [N] (classification) or targets [N, 1] (regression). */
  y: Tensor;
  /** Encoded feature names: a column, or "column=category" for each category of a one-hot column. */
  featureNames: string[];
  targetName: string;
  /** For classification: the name of each class, label k is classNames[k]. */
  classNames?: string[];
  /** Number of classes; 0 for regression. */
  numClasses: number;
  task: 'classification' | 'regression';
  /** How the table was read (JSON): apply it to new rows with encodeRows. */
  plan: TablePlan;
  /** The task and why: "classification, 3 classes from column 'species' (it holds text, ...)". */
  taskLine: string;
  /** Every other decision taken without being asked, one sentence each. */
  decisions: string[];
  /** The table rows used, in order (rows with missing values may be left out). */
  rows: number[];
}

export type Cell = string | number | boolean | null | undefined;

/** A table as the readers hand it over: column names, rows of cells, and where cells came from. */
export interface CellTable {
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
  /** The file or text the table came from, for messages about the whole table. */
  source?: string;
  /**
   * A column store (a large file read as it streams) keeps cells by column, not as rows:
   * it gives each cell and the row count here, and `rows` only for occasional use.
   */
  cell?(row: number, column: number): Cell;
  rowCount?: number;
  /**
   * A column store may free the cells of rows before `row` once a reader is done with them
   * (encodeParts with `release`, going through the file in order); reading them after is an error.
   */
  release?(row: number): void;
  /** Where a cell is in the source, e.g. "data.csv: line 4, column 2 ('age')". */
  locate(row: number, column: number): string;
  /** Error text for a column that is not there, e.g. "data.csv: no column named 'y' to use as the target; ...". */
  missingTarget(target: string): string;
}

/** The number a cell holds (decimal point), or null when it holds none (text, empty, missing, infinite). */
export function cellNumber(cell: Cell): number | null {
  const value = parseNumber(cell);
  return value !== null && Number.isFinite(value) ? value : null;
}

/** Read a whole table at once: every used row encoded, fills (if any) measured on all of them. */
export function tableToDataset(table: CellTable, options: TableOptions): TableDataset {
  const inspection = inspectTable(table, options);
  const filled = fitFills(inspection.plan, table, inspection.rows);
  const plan = filled.plan;
  const encoded = encodeRows(plan, table, inspection.rows, { target: true, extraColumns: 'ignore', ...(options.spell ? { spell: options.spell } : {}) });
  return {
    x: encoded.x,
    y: encoded.y!,
    featureNames: encodedFeatureNames(plan),
    targetName: plan.target,
    ...(plan.classNames ? { classNames: plan.classNames } : {}),
    numClasses: plan.classNames?.length ?? 0,
    task: plan.task,
    plan,
    taskLine: inspection.taskLine,
    decisions: [...inspection.decisions, ...filled.decisions],
    rows: Array.from(encoded.rows),
  };
}
