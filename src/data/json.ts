/**
 * JSON records to tensors, browser-safe: a JSON array of flat objects, one per sample,
 * all with the same keys, e.g. [{"x1": 0.5, "x2": 1, "label": "cat"}, ...]. The keys of
 * the first record fix the columns and their order.
 */
import { DataFormatError } from '../errors.js';
import { tableToDataset, type Cell, type CellTable, type TableDataset, type TableOptions } from './table.js';
import { shortText } from './table-plan.js';

export type JsonRecordsOptions = TableOptions;

export function parseJsonRecords(text: string, options: JsonRecordsOptions, sourceName = 'JSON text'): TableDataset {
  return tableToDataset(jsonTable(text, sourceName), options);
}

/** JSON text of records as a table of cells. */
export function jsonTable(text: string, sourceName = 'JSON text'): CellTable {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError(`${sourceName}: is not valid JSON (${(error as Error).message})`);
  }
  return recordsTable(value, sourceName);
}

/** The same for records already parsed (a fetched or built array of objects). */
export function recordsToDataset(value: unknown, options: JsonRecordsOptions, sourceName = 'records'): TableDataset {
  return tableToDataset(recordsTable(value, sourceName), options);
}

/** Records as a table whose cells are located by record and key (for the table rules of table-plan.ts). */
export function recordsTable(value: unknown, sourceName = 'records'): CellTable {
  if (!Array.isArray(value)) {
    throw new DataFormatError(`${sourceName}: expected an array of records ([{...}, {...}]), found ${kindOf(value)} at the top level`);
  }
  if (value.length === 0) throw new DataFormatError(`${sourceName}: the array holds no records; expected one object per sample`);
  const records = value.map((record: unknown, i) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new DataFormatError(`${sourceName}: record ${i} is ${kindOf(record)}, expected an object of column: value pairs`);
    }
    return record as Record<string, unknown>;
  });
  const columns = Object.keys(records[0]!);
  if (columns.length === 0) throw new DataFormatError(`${sourceName}: record 0 has no keys; the first record names the columns`);
  const known = new Set(columns);

  const rows = records.map((record, i) => {
    for (const key of Object.keys(record)) {
      if (!known.has(key)) {
        throw new DataFormatError(`${sourceName}: record ${i} has key '${key}', which record 0 does not; all records need the same keys`);
      }
    }
    return columns.map((key): Cell => {
      if (!(key in record)) {
        throw new DataFormatError(`${sourceName}: record ${i} has no key '${key}' (record 0 has it); all records need the same keys`);
      }
      const cell = record[key];
      if (typeof cell === 'object' && cell !== null) {
        throw new DataFormatError(`${sourceName}: record ${i}, key '${key}' holds ${kindOf(cell)}; values must be numbers, strings or booleans`);
      }
      return cell as Cell;
    });
  });

  return {
    columns,
    rows,
    source: sourceName,
    locate: (i, j) => `${sourceName}: record ${i}, key '${shortText(columns[j]!)}'`,
    missingTarget: (target) =>
      `${sourceName}: record 0 has no key '${shortText(target)}' to use as the target; its keys are: ${columns.map((c) => `'${shortText(c, 24)}'`).join(', ')}`,
  };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
