/** JSON record files to tensors. Node-only: it reads the file; parsing is src/data/json.ts. */
import { parseJsonRecords, type JsonRecordsOptions } from '../data/json.js';
import type { TableDataset } from '../data/table.js';
import { readTextFile } from './files.js';

/** Features x [N, D] and target y of a JSON file holding an array of flat records. */
export function loadJsonRecords(path: string, options: JsonRecordsOptions): TableDataset {
  return parseJsonRecords(readTextFile(path), options, path);
}
