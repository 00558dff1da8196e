/**
 * Parses a dropped CSV off the page's thread: a file of many megabytes takes seconds to parse,
 * and the page (and a training run) must stay responsive meanwhile. It says when it starts,
 * and answers with the parsed table (its arrays transferred, not copied) or a problem code.
 */
import { parseCsvFile, type CsvProblem, type ParsedCsv } from './csv-parse.js';

export type ToCsvWorker = { id: number; name: string; text: string; target?: string };
export type FromCsvWorker =
  | { id: number; type: 'parsing'; bytes: number }
  | { id: number; type: 'done'; csv: ParsedCsv }
  | { id: number; type: 'problem'; problem: CsvProblem };

const scope = self as unknown as { postMessage(m: FromCsvWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<ToCsvWorker>) => void) | null };

scope.onmessage = (event) => {
  const { id, name, text, target } = event.data;
  scope.postMessage({ id, type: 'parsing', bytes: text.length });
  const result = parseCsvFile(name, text, target);
  if (result.ok) scope.postMessage({ id, type: 'done', csv: result.csv }, [result.csv.x.buffer, result.csv.y.buffer]);
  else scope.postMessage({ id, type: 'problem', problem: result.problem });
};
