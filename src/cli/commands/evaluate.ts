/** gradiente evaluate: loss, metrics and confusion matrix of a trained model on labelled data. */
import * as path from 'node:path';
import type { Command } from 'commander';
import { concat, type Tensor } from '../../node.js';
import { describeDataSpec, parseDataSpec } from '../data-source.js';
import { processConsole, type Console } from '../console.js';
import { CliError } from '../errors.js';
import { confusionText, evaluateModel } from '../evaluation.js';
import { formatValues } from '../progress.js';
import { readInputTable, loadSavedRun, type SavedRun } from '../saved-model.js';
import { readData, useBackend } from '../session.js';
import { readTableInput, readTestRows, tableInputFlags } from '../table-input.js';
import { encodeTargets } from '../task.js';
import { flagSource } from '../values.js';
import { addCommonOptions, flagsGiven } from './common.js';

const EXAMPLES = `
Examples:
  $ gradiente evaluate --model runs/penguins             # the test part of the data it trained on
  $ gradiente evaluate --model runs/penguins --data csv:more-penguins.csv
  $ gradiente evaluate --model runs/mnist/model --json

Which samples: for the data the model trained on (and for the built-in and synthetic sets)
the test part it never saw; for any other CSV, JSON or IDX file, all of its rows.`;

export function registerEvaluate(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description('measure a trained model on labelled data: loss, metrics, confusion matrix')
    .requiredOption('--model <dir>', 'a run directory written by gradiente train, or its model/ directory')
    .option('--data <source>', 'labelled data, as for train (default: the data the model trained on)')
    .option('--target <column>', 'column (CSV) or key (JSON) holding the true values (default: the one it trained on)')
    .option('--backend <name>', 'auto, wasm or js (default: auto)')
    .option('--delimiter <char>', "CSV field separator of --data (default: the training file's)")
    .option('--unknown-category <choice>', 'a category the model never saw: error (default) or zeros (all its one-hot columns 0)')
    .option('--json', 'print one JSON object');
  addCommonOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (_opts: unknown, command: Command) => {
    process.exitCode = await evaluate(flagsGiven(command), processConsole);
  });
}

/** The samples to evaluate on, as the model's inputs and the true labels / values. */
async function evaluationData(saved: SavedRun, flags: Record<string, unknown>): Promise<{ x: Tensor; y: Tensor; what: string }> {
  const pre = saved.preprocessing;
  if (typeof flags.target === 'string' && pre.targetName !== null && flags.target !== pre.targetName) {
    throw new CliError(`--target ${flags.target}: the model predicts '${pre.targetName}'; evaluate compares its outputs with that column (leave out --target, or name '${pre.targetName}')`);
  }
  if (pre.table && pre.split) {
    // A table run: its file and test rows are recorded; columns are matched by name.
    const { unknownCategory, delimiter } = tableInputFlags(flags);
    const requestedPath = typeof flags.data === 'string' ? tablePath(flags.data) : pre.split.file;
    if (requestedPath !== null && path.resolve(requestedPath) === pre.split.file) {
      const input = await readTestRows({ ...pre, table: pre.table, split: pre.split }, requestedPath, unknownCategory ? { unknownCategory } : {});
      return { x: input.x, y: input.y!, what: `${requestedPath}: the test part, ${input.rows} of ${pre.split.rows} rows (file unchanged since training${leftOutText(input.leftOut)})` };
    }
    if (requestedPath !== null) {
      const input = await readTableInput(requestedPath, { ...pre, table: pre.table }, { needTarget: true, ...(unknownCategory ? { unknownCategory } : {}), ...(delimiter !== undefined ? { delimiter } : {}) });
      return { x: input.x, y: input.y!, what: `${requestedPath}: all ${input.rows} rows${leftOutText(input.leftOut)}` };
    }
  }
  const trainedOn = saved.settings.data;
  const requested = typeof flags.data === 'string' ? flags.data : trainedOn;
  const spec = parseDataSpec(requested, flagSource('--data'));
  const sameSource = describeDataSpec(spec) === describeDataSpec(parseDataSpec(trainedOn, flagSource('--data')));
  if (sameSource || spec.kind === 'mnist' || spec.kind === 'fashion-mnist' || spec.kind === 'synthetic') {
    // The same split as in training (same seed): the test part was never trained on.
    const settings = { ...saved.settings, data: requested, ...(typeof flags.target === 'string' ? { target: flags.target } : {}) };
    delete settings.outliers;
    const { data } = await readData(settings);
    if (data.preprocessing.inputDim !== saved.preprocessing.inputDim) {
      throw new CliError(`--data ${requested} has ${data.preprocessing.inputDim} features per sample; the model takes ${saved.preprocessing.inputDim}`);
    }
    return { x: data.xTest, y: data.yTest, what: `${data.description.split(':')[0]}: the test part, ${data.xTest.shape[0]} samples` };
  }
  if (spec.kind === 'csv' || spec.kind === 'json') {
    const table = readInputTable(spec.path, saved.preprocessing, true, typeof flags.target === 'string' ? flags.target : undefined);
    return { x: table.x, y: table.y!, what: `${spec.path}: all ${table.rows} rows` };
  }
  // Another pair of IDX files: every sample of them (read as two halves, put back together).
  const settings = { ...saved.settings, data: requested, testSplit: 0.5 };
  delete settings.samples;
  delete settings.outliers;
  const { data } = await readData(settings);
  return { x: concat([data.xTrain, data.xTest], 0), y: concat([data.yTrain, data.yTest], 0), what: `${requested}: all ${data.xTrain.shape[0]! + data.xTest.shape[0]!} samples` };
}

/** The file of a csv:/json: data source (or a bare .csv/.json name), else null. */
function tablePath(value: string): string | null {
  const spec = parseDataSpec(value, flagSource('--data'));
  return spec.kind === 'csv' || spec.kind === 'json' ? spec.path : null;
}

function leftOutText(count: number): string {
  return count > 0 ? `; ${count} rows with missing values left out, as in training (--missing drop)` : '';
}

export async function evaluate(flags: Record<string, unknown>, console: Console): Promise<number> {
  await useBackend(typeof flags.backend === 'string' ? flags.backend : 'auto');
  const saved = await loadSavedRun(flags.model as string);
  // A path the run recorded decides what is read only when --data is left out, and is said
  // before it is read; with --json on stderr, so stdout stays the one result object.
  if (typeof flags.data !== 'string') {
    const recorded = saved.preprocessing.split?.file ?? saved.settings.data;
    const line = `Reading:  ${recorded} (the data recorded in ${saved.modelDir}, since --data was not given)`;
    if (flags.json === true) console.note(line);
    else console.out(line);
  }
  const { x, y, what } = await evaluationData(saved, flags);
  const pre = saved.preprocessing;
  const targets = encodeTargets(y, saved.targetEncoding, pre.numClasses);
  const result = evaluateModel(saved.model, x, y, targets, pre);
  if (flags.json === true) {
    console.out(JSON.stringify({ model: saved.modelDir, data: what, samples: result.samples, ...result.metrics, ...(result.confusion ? { confusionMatrix: result.confusion } : {}) }));
    return 0;
  }
  console.out(`Model:  ${saved.modelDir}`);
  console.out(`Data:   ${what}`);
  console.out(formatValues(result.metrics));
  if (result.confusion) {
    console.out('');
    console.out(confusionText(result.confusion));
  }
  return 0;
}
