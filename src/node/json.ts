/** JSON record files to tensors. Node-only: it reads the file; parsing is src/data/json.ts. */
import { parseJsonRecords, type JsonRecordsOptions } from '../data/json.js';
import type { TableDataset } from '../data/table.js';
import { readTextFile } from './files.js';
import { tableToDataset } from '../data/table.js';
import { checkOptionKeys } from '../options.js';
import { TABLE_OPTION_KEYS } from '../data/table-plan.js';
import { streamJsonTable } from './json-stream.js';

/** Features x [N, D] and target y of a JSON file holding an array of flat records. */
export function loadJsonRecords(path: string, options: JsonRecordsOptions): TableDataset {
  return parseJsonRecords(readTextFile(path), options, path);
}

/**
 * The same for files too large to hold as text: read as they stream into a column store
 * (memory in proportion to records × keys, see json-stream.ts; numbers kept as float32).
 */
export async function loadJsonRecordsStreaming(path: string, options: JsonRecordsOptions): Promise<TableDataset> {
  checkOptionKeys('loadJsonRecordsStreaming', options, TABLE_OPTION_KEYS);
  const { table } = await streamJsonTable(path, options.categorical ? { textColumns: options.categorical } : {});
  return tableToDataset(table, options);
}
