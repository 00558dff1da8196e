/** gradiente evaluate: loss, metrics and confusion matrix of a trained model on labelled data. */
import type { Command } from 'commander';
import { concat, type Tensor } from '../../node.js';
import { describeDataSpec, parseDataSpec } from '../data-source.js';
import { processConsole, type Console } from '../console.js';
import { CliError } from '../errors.js';
import { confusionText, evaluateModel } from '../evaluation.js';
import { formatValues } from '../progress.js';
import { readInputTable, loadSavedRun, type SavedRun } from '../saved-model.js';
import { readData, useBackend } from '../session.js';
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
    .option('--json', 'print one JSON object');
  addCommonOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (_opts: unknown, command: Command) => {
    process.exitCode = await evaluate(flagsGiven(command), processConsole);
  });
}

/** The samples to evaluate on, as the model's inputs and the true labels / values. */
async function evaluationData(saved: SavedRun, flags: Record<string, unknown>): Promise<{ x: Tensor; y: Tensor; what: string }> {
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

export async function evaluate(flags: Record<string, unknown>, console: Console): Promise<number> {
  await useBackend(typeof flags.backend === 'string' ? flags.backend : 'auto');
  const saved = await loadSavedRun(flags.model as string);
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
