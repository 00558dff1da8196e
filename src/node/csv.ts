/** CSV files to tensors. Node-only: it reads the file; parsing is src/data/csv.ts. */
import { parseCsv, type CsvOptions } from '../data/csv.js';
import type { TableDataset } from '../data/table.js';
import { readTextFile } from './files.js';

/** Features x [N, D] and target y of a CSV file (see parseCsv and TableOptions). */
export function loadCsv(path: string, options: CsvOptions): TableDataset {
  return parseCsv(readTextFile(path), options, path);
}
