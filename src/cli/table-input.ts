/**
 * New rows for a model trained on a table: read with the plan it stored (columns by name,
 * the same categories, fills, decimal mark, class names) and scaled as in training. evaluate
 * and predict are thin callers of this.
 */
import { encodeParts, standardize, Tensor, type EncodedRows, type TablePlan } from '../node.js';
import { unpackRoles, type Preprocessing, type TableSplitRecord } from './data-source.js';
import { CliError } from './errors.js';
import { spellFlag, streamJsonFile, streamTableFile, tableKind } from './table-source.js';
import { choice, flagSource } from './values.js';

export interface TableInputOptions {
  /** The rows must hold the target (evaluate); else it is ignored when present (predict). */
  needTarget: boolean;
  /** Only these rows of the file (the test rows of a run); default all. */
  rows?: ArrayLike<number>;
  delimiter?: string;
  unknownCategory?: 'error' | 'zeros';
  /** Refuse the file unless its SHA-256 is this (the file a run's row indices refer to). */
  expectSha256?: string;
}

export interface TableInput {
  x: Tensor;
  y: Tensor | null;
  rows: number;
  /** Rows left out for missing values (evaluate, under --missing drop). */
  leftOut: number;
  sha256: string;
}

export async function readTableInput(file: string, pre: Preprocessing & { table: TablePlan }, options: TableInputOptions): Promise<TableInput> {
  const delimiter = options.delimiter ?? pre.split?.delimiter ?? undefined;
  // CSV streams into a column store (large files stay within memory), read with the training's decimal mark.
  const source =
    tableKind(file) === 'csv'
      ? await streamTableFile(file, {
          ...(delimiter !== undefined ? { delimiter } : {}),
          decimal: pre.table.decimal,
          textColumns: pre.table.columns.filter((c) => c.kind === 'category').map((c) => c.name),
        })
      : await streamJsonFile(file, { textColumns: pre.table.columns.filter((c) => c.kind === 'category').map((c) => c.name) });
  if (options.expectSha256 !== undefined && source.sha256 !== options.expectSha256) {
    throw new CliError(
      `${file} changed since the model was trained on it (SHA-256 ${options.expectSha256.slice(0, 12)}… then, ${source.sha256.slice(0, 12)}… now), so its test rows can no longer be told apart from training rows; evaluate on a file the model never saw with --data, or train again`,
    );
  }
  const plan = pre.table;
  const hasTarget = source.table.columns.includes(plan.target);
  if (options.needTarget && !hasTarget) {
    throw new CliError(`${file}: no column named '${plan.target}', the model's target; evaluate needs the true values (the columns are: ${source.table.columns.join(', ')})`);
  }
  const all = source.table.rowCount ?? source.table.rows.length;
  const wanted = options.rows ?? Int32Array.from({ length: all }, (_, i) => i);
  // One pass in file order, the cells freed behind it (the file is not read again).
  const [encoded] = encodeParts(plan, source.table, [wanted], {
    release: true,
    target: options.needTarget,
    extraColumns: 'reject',
    onMissing: options.needTarget ? 'policy' : 'error',
    unknownCategory: options.unknownCategory ?? 'error',
    spell: spellFlag,
  }) as [EncodedRows];
  const x = pre.scaling === null ? encoded.x : standardize(encoded.x, { mean: Float32Array.from(pre.scaling.mean), std: Float32Array.from(pre.scaling.std) }, { inPlace: true }).x; // in place: the matrix is this function's own
  return { x, y: encoded.y, rows: encoded.rows.length, leftOut: wanted.length - encoded.rows.length, sha256: source.sha256 };
}

/**
 * The test rows of the run, from the file it trained on: refused when the file changed since
 * (its rows could now be anything, training rows among them).
 */
export function readTestRows(pre: Preprocessing & { table: TablePlan; split: TableSplitRecord }, file: string, options: Pick<TableInputOptions, 'unknownCategory'>): Promise<TableInput> {
  return readTableInput(file, pre, { needTarget: true, rows: unpackRoles(pre.split).test, expectSha256: pre.split.sha256, ...options });
}

/** --unknown-category and --delimiter of evaluate / predict, checked. */
export function tableInputFlags(flags: Record<string, unknown>): Pick<TableInputOptions, 'unknownCategory' | 'delimiter'> {
  const out: Pick<TableInputOptions, 'unknownCategory' | 'delimiter'> = {};
  if (flags.unknownCategory !== undefined) out.unknownCategory = choice(flags.unknownCategory, ['error', 'zeros'] as const, flagSource('--unknown-category'));
  if (typeof flags.delimiter === 'string') {
    const d = flags.delimiter === 'tab' || flags.delimiter === '\\t' ? '\t' : flags.delimiter;
    if (d.length !== 1) throw new CliError(`--delimiter: expected one character such as ';' or ',' (or tab), got ${JSON.stringify(flags.delimiter)}`);
    out.delimiter = d;
  }
  return out;
}
