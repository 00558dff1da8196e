/**
 * Strata for splitting a numeric target: the rows grouped into quantile bins of the target
 * (quintiles by default), so a stratified split gives the test part the same spread of
 * target values as the training part, as a classification split keeps each class's share.
 * It is what scikit-learn users do with `stratify=pd.qcut(y, 5)`: with a few hundred rows a
 * plain random draw can put most of the extreme values on one side, and the test figure then
 * says more about the draw than about the model.
 *
 * The bins are read from the target values of all rows; that decides only which rows are
 * tested, nothing a model learns. Browser-safe.
 *
 * Shape letters: N rows.
 */
import { ValueError } from '../errors.js';
import type { CellTable } from './table.js';
import { parseNumber, type TablePlan } from './table-plan.js';

/** Quantile bins per numeric target by default: quintiles. */
export const DEFAULT_TARGET_BINS = 5;

export interface QuantileStrata {
  /** The bin of every row, 0..bins-1, in order of the values (bin 0 holds the smallest). */
  labels: Int32Array;
  /** Bins actually formed: fewer than asked when the rows are few or many values are equal. */
  bins: number;
}

/**
 * Rows grouped into `bins` bins of about equal count by their value (bin k holds the values
 * between the k-th and (k+1)-th `bins`-quantile). Equal values always share a bin; a bin that
 * would hold fewer than 2 rows is merged into its neighbour, since a stratum of one row cannot
 * be on both sides of a split. Fewer than 4 rows (or bins = 1) give one bin: a plain draw.
 */
export function quantileStrata(values: ArrayLike<number>, bins: number = DEFAULT_TARGET_BINS): QuantileStrata {
  if (!Number.isInteger(bins) || bins < 1) throw new ValueError(`quantileStrata: bins must be a whole number >= 1, got ${bins}`);
  const n = values.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i]!)) throw new ValueError(`quantileStrata: value at position ${i} is ${values[i]}; quantile bins need finite numbers`);
  }
  // At least 2 rows a bin on average, so each can give a row to both parts.
  const wanted = Math.min(bins, Math.floor(n / 2));
  const labels = new Int32Array(n);
  if (wanted <= 1) return { labels, bins: 1 };

  const sorted = Float64Array.from(values).sort();
  // Edge k (1..wanted-1) is the value at rank floor(k·n / wanted); a row's bin is the number
  // of edges at or below its value, so equal values land in the same bin.
  const edges: number[] = [];
  for (let k = 1; k < wanted; k++) edges.push(sorted[Math.floor((k * n) / wanted)]!);
  const raw = new Int32Array(n);
  const counts = new Int32Array(wanted);
  for (let i = 0; i < n; i++) {
    const bin = edgesAtOrBelow(edges, values[i]!);
    raw[i] = bin;
    counts[bin]!++;
  }

  // Merge empty and one-row bins into a neighbour: walk up, carrying a small bin into the next;
  // a small last bin joins the one before it.
  const target = new Int32Array(wanted);
  let next = 0;
  let open = 0;
  for (let k = 0; k < wanted; k++) {
    target[k] = next;
    open += counts[k]!;
    if (open >= 2) {
      next++;
      open = 0;
    }
  }
  const formed = next;
  if (open > 0) {
    // The last rows (fewer than 2) join the previous bin.
    for (let k = wanted - 1; k >= 0 && target[k] === next; k--) target[k] = next - 1;
  }
  for (let i = 0; i < n; i++) labels[i] = target[raw[i]!]!;
  return { labels, bins: Math.max(formed, 1) };
}

/**
 * Quantile strata of a table's regression target over `rows` (row indices of the table), for
 * a stratified split of those rows: strata.labels[k] is the bin of rows[k]. Null when the
 * plan is not a regression, or when a target cell is not a finite number (encodeRows reports
 * that one with its line and column).
 */
export function tableTargetStrata(
  table: CellTable,
  plan: Pick<TablePlan, 'target' | 'task' | 'decimal'>,
  rows: ArrayLike<number>,
  bins: number = DEFAULT_TARGET_BINS,
): QuantileStrata | null {
  if (plan.task !== 'regression') return null;
  const j = table.columns.indexOf(plan.target);
  if (j < 0) return null;
  const values = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const value = parseNumber(table.cell !== undefined ? table.cell(i, j) : table.rows[i]![j], plan.decimal);
    if (value === null || !Number.isFinite(value)) return null;
    values[k] = value;
  }
  return quantileStrata(values, bins);
}

/** How many of the sorted edges are <= v (binary search). */
function edgesAtOrBelow(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** "quintiles", "deciles", ... for the messages that say how a split was stratified. */
export function quantileName(bins: number): string {
  const names: Record<number, string> = { 2: 'halves', 3: 'terciles', 4: 'quartiles', 5: 'quintiles', 10: 'deciles' };
  return names[bins] ?? `${bins} quantile bins`;
}
