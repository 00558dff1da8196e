/** gradiente predict: a trained model's predictions for the rows of a CSV or JSON file. */
import type { Command } from 'commander';
import { Dense, sigmoid, softmax, type Tensor } from '../../node.js';
import { processConsole, type Console } from '../console.js';
import { numberedClasses } from '../data-source.js';
import { CliError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { loadSavedRun, readInputTable, type SavedRun } from '../saved-model.js';
import { useBackend } from '../session.js';
import { readTableInput, tableInputFlags } from '../table-input.js';
import { addCommonOptions, flagsGiven } from './common.js';

const EXAMPLES = `
Examples:
  $ gradiente predict --model runs/penguins --input new-penguins.csv
  $ gradiente predict --model runs/penguins --input new-penguins.json --output predictions.json
  $ gradiente predict --model runs/penguins --input new-penguins.csv --output predictions.csv

The input needs the model's feature columns, by name (a target column, if there, is ignored).
Classification writes the predicted class, its probability and one p_<class> column per
class; regression writes predicted_<target>.`;

export function registerPredict(program: Command): void {
  const cmd = program
    .command('predict')
    .description('predict the target of every row of a CSV or JSON file with a trained model')
    .requiredOption('--model <dir>', 'a run directory written by gradiente train, or its model/ directory')
    .requiredOption('--input <file>', 'a CSV file (with a header row) or a JSON array of records')
    .option('--output <file>', 'write the predictions here (.csv or .json); default: CSV on stdout')
    .option('--backend <name>', 'auto, wasm or js (default: auto)')
    .option('--delimiter <char>', "CSV field separator of --input (default: the training file's)")
    .option('--unknown-category <choice>', 'a category the model never saw: error (default) or zeros (all its one-hot columns 0)');
  addCommonOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (_opts: unknown, command: Command) => {
    process.exitCode = await predict(flagsGiven(command), processConsole);
  });
}

type Row = Record<string, string | number>;

/** Class probabilities [N, C] from the output layer, whatever its activation. */
function probabilities(saved: SavedRun, output: Tensor): { p: Tensor; binary: boolean } {
  const last = saved.model.layers.at(-1);
  const activation = last instanceof Dense ? last.activation : 'linear';
  const binary = output.shape[1] === 1;
  if (binary) return { p: activation === 'sigmoid' ? output : sigmoid(output), binary };
  return { p: activation === 'softmax' ? output : softmax(output), binary };
}

function predictionRows(saved: SavedRun, output: Tensor): Row[] {
  const pre = saved.preprocessing;
  const n = output.shape[0]!;
  const rows: Row[] = [];
  if (pre.task === 'regression') {
    const width = output.shape[1]!;
    const names = width === 1 ? [`predicted_${pre.targetName ?? 'y'}`] : Array.from({ length: width }, (_, k) => `predicted_${k}`);
    for (let i = 0; i < n; i++) rows.push(Object.fromEntries(names.map((name, k) => [name, output.data[i * width + k]!])));
    return rows;
  }
  const classNames = pre.classNames ?? numberedClasses(pre.numClasses);
  const { p, binary } = probabilities(saved, output);
  const label = `predicted_${pre.targetName ?? 'class'}`;
  for (let i = 0; i < n; i++) {
    const probs = binary ? [1 - p.data[i]!, p.data[i]!] : Array.from(p.data.subarray(i * classNames.length, (i + 1) * classNames.length));
    let best = 0;
    for (let k = 1; k < probs.length; k++) if (probs[k]! > probs[best]!) best = k;
    const row: Row = { [label]: classNames[best]!, probability: probs[best]! };
    classNames.forEach((name, k) => (row[`p_${name}`] = probs[k]!));
    rows.push(row);
  }
  return rows;
}

function csvField(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: Row[]): string {
  if (rows.length === 0) return '';
  const header = Object.keys(rows[0]!);
  return [header.map(csvField).join(','), ...rows.map((r) => header.map((h) => csvField(r[h]!)).join(','))].join('\n') + '\n';
}

export async function predict(flags: Record<string, unknown>, console: Console): Promise<number> {
  const output = typeof flags.output === 'string' ? flags.output : null;
  if (output !== null && !/\.(csv|json)$/i.test(output)) throw new CliError(`--output ${output}: end the file name in .csv or .json to choose the format`);
  await useBackend(typeof flags.backend === 'string' ? flags.backend : 'auto');
  const saved = await loadSavedRun(flags.model as string);
  const pre = saved.preprocessing;
  // A table model reads the file with its stored plan (columns by name, categories, fills); older models as before.
  const input = pre.table ? await readTableInput(flags.input as string, { ...pre, table: pre.table }, { needTarget: false, ...tableInputFlags(flags) }) : readInputTable(flags.input as string, pre, false);
  const rows = predictionRows(saved, saved.model.predict(input.x));
  if (output === null) {
    process.stdout.write(toCsv(rows));
    return 0;
  }
  await writeFileAtomic(output, /\.json$/i.test(output) ? `${JSON.stringify(rows, null, 1)}\n` : toCsv(rows));
  console.out(`wrote ${rows.length} predictions to ${output}`);
  return 0;
}
