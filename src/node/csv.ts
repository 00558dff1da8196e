/** CSV files to tensors. Node-only: it reads the file; parsing is src/data/csv.ts. */
import { parseCsv, type CsvOptions } from '../data/csv.js';
import { tableToDataset, type TableDataset } from '../data/table.js';
import { checkOptionKeys } from '../options.js';
import { TABLE_OPTION_KEYS } from '../data/table-plan.js';
import { streamCsvTable } from './csv-stream.js';
import { readTextFile } from './files.js';

/** Features x [N, D] and target y of a CSV file (see parseCsv and TableOptions). */
export function loadCsv(path: string, options: CsvOptions): TableDataset {
  return parseCsv(readTextFile(path), options, path);
}

/**
 * The same for files too large to hold as text: read as they stream into a column store
 * (memory in proportion to rows × columns, see csv-stream.ts). A header row is required;
 * decimal 'auto' is not available here (give '.' or ',').
 */
export async function loadCsvStreaming(path: string, options: Omit<CsvOptions, 'header'>): Promise<TableDataset> {
  checkOptionKeys('loadCsvStreaming', options, ['delimiter', ...TABLE_OPTION_KEYS]);
  const { delimiter = ',', ...tableOptions } = options;
  const decimal = options.decimal === ',' ? ',' : '.';
  const { table } = await streamCsvTable(path, { delimiter, decimal, ...(options.categorical ? { textColumns: options.categorical } : {}) });
  return tableToDataset(table, { ...tableOptions, decimal });
}
