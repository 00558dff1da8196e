/**
 * gradiente compare: the course's experiments in one command. The same data, seed and
 * network are trained once per value of the one setting that varies, and one report puts
 * the runs side by side: batch sizes (stochastic vs mini-batch vs batch gradient descent),
 * learning rates (too small, right, too large: divergence is shown, not a crash),
 * activations on a deep network (vanishing gradients), losses on data with outliers.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { mae, mse, Random, type Tensor } from '../../node.js';
import { packageVersion, processConsole, type Console } from '../console.js';
import { architecture, count, gradientDescentKind, learningRateText, weightsAreFinite } from '../describe.js';
import { CliError } from '../errors.js';
import { evaluateModel } from '../evaluation.js';
import { foldTargetScaling } from '../target-scaling.js';
import { isEmptyOrMissing, timestampedRunDir, writeFileAtomic, writeJsonAtomic } from '../files.js';
import { claimNewFolder } from '../run-folder.js';
import { formatValues, ProgressPrinter, type ProgressMode } from '../progress.js';
import { ClockRecorder, GradientNormRecorder, type HistoryJson } from '../recorders.js';
import { renderCompareReport, type CompareRun } from '../report/compare-report.js';
import { prepareRun } from '../session.js';
import { flagOf, readConfigFile, resolveDisplay, resolveSettings, TRAIN_OPTIONS, type TrainSettings } from '../settings.js';
import { addCommonOptions, flagsGiven } from './common.js';

const EXAMPLES = `
Examples:
  $ gradiente compare --batch-size 1,32,full --data circles      # stochastic, mini-batch, batch
  $ gradiente compare --lr 0.001,0.1,3                           # too small, right, too large (MNIST, sgd)
  $ gradiente compare --activation sigmoid,relu                  # deep network: vanishing gradients
  $ gradiente compare --loss mse,mae                             # a line with 10% outliers
  $ gradiente compare --optimizer sgd,momentum,adam --data spiral --epochs 30

Give a comma-separated list to exactly one of --batch-size, --lr, --activation, --loss,
--optimizer, --lr-schedule; every other setting is shared by all runs. Defaults that make
the experiment clear: sgd for --batch-size and --lr, six hidden layers of 32 for
--activation, the 'line' data with --outliers 0.1 for --loss.`;

/** The settings compare can vary, with how a run is named. */
const VARIABLE: Record<string, { name: string; plural: string; label: (value: string) => string }> = {
  batchSize: { name: 'batch size', plural: 'batch sizes', label: (v) => `batch size ${v}` },
  lr: { name: 'learning rate', plural: 'learning rates', label: (v) => `learning rate ${v}` },
  activation: { name: 'activation', plural: 'activations', label: (v) => `${v}` },
  loss: { name: 'loss', plural: 'losses', label: (v) => `${v}` },
  optimizer: { name: 'optimizer', plural: 'optimizers', label: (v) => `${v}` },
  lrSchedule: { name: 'learning-rate schedule', plural: 'learning-rate schedules', label: (v) => `${v} schedule` },
};

export function registerCompare(program: Command): void {
  const cmd = program.command('compare').description("run one of the course's experiments: train once per value of one setting, one combined report");
  for (const o of TRAIN_OPTIONS) cmd.option(o.flag, o.key in VARIABLE ? `${o.help}; a comma-separated list to compare` : o.help);
  cmd
    .option('--config <file>', 'read the shared settings from a JSON file; flags win')
    .option('--out <dir>', 'directory for report.html and results.json (default: runs/compare-<date-time>)')
    .option('--json', 'print one JSON object per epoch of every run, then one per run')
    .option('--quiet', 'print nothing but warnings, errors and where the report is');
  addCommonOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (_opts: unknown, command: Command) => {
    process.exitCode = await compare(flagsGiven(command), processConsole);
  });
}

function alternatives(value: unknown): string[] | null {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim());
  if (Array.isArray(value)) return value.map(String);
  return null;
}

/** Which setting varies and its values; exactly one may have several. */
function variedSetting(layers: Record<string, unknown>[]): { key: string; values: string[] } {
  const varied: { key: string; values: string[] }[] = [];
  for (const key of Object.keys(VARIABLE)) {
    const given = layers.map((l) => l[key]).find((v) => v !== undefined);
    const values = alternatives(given);
    if (values !== null && values.length > 1) varied.push({ key, values });
  }
  if (varied.length === 0) {
    throw new CliError('compare needs a list of values for one setting, e.g. --batch-size 1,32,full or --lr 0.001,0.1,3 (see gradiente compare --help)');
  }
  if (varied.length > 1) {
    throw new CliError(`compare varies one setting at a time so the difference has one cause; lists were given for ${varied.map((v) => flagOf(v.key)).join(' and ')}`);
  }
  const { key, values } = varied[0]!;
  const repeated = values.find((v, i) => values.indexOf(v) !== i);
  if (repeated !== undefined) throw new CliError(`${flagOf(key)} lists '${repeated}' twice`);
  return varied[0]!;
}

/** Defaults that make each experiment show what it is about. */
function experimentDefaults(key: string, given: Record<string, unknown>): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  if ((key === 'batchSize' || key === 'lr') && given.optimizer === undefined) defaults.optimizer = 'sgd';
  if (key === 'activation' && given.layers === undefined) defaults.layers = [32, 32, 32, 32, 32, 32];
  if (key === 'loss' && given.data === undefined) {
    defaults.data = 'line';
    if (given.outliers === undefined) defaults.outliers = 0.1;
  }
  return defaults;
}

export async function compare(flags: Record<string, unknown>, console: Console): Promise<number> {
  const fileName = typeof flags.config === 'string' ? flags.config : null;
  const file = fileName === null ? {} : readConfigFile(fileName);
  const { key, values } = variedSetting([flags, file]);
  const given = { ...file, ...flags };
  const defaults = experimentDefaults(key, given);
  // Check every run's settings before the first one starts: a bad value fails at once.
  const runSettings = values.map((value) => resolveSettings({ file: { ...defaults, ...file, [key]: value }, fileName, flags: { ...flags, [key]: value } }));
  const display = resolveDisplay(file, flags, fileName);
  // The default folder is named when the command starts but claimed (created by mkdir, or
  // -2, -3, ... when taken) only when there is something to write: two started in the same
  // second never share one, and a run that fails leaves no empty folder behind.
  const defaultDir = timestampedRunDir('runs').replace(/([^/\\]+)$/, 'compare-$1');
  if (typeof flags.out === 'string' && !(await isEmptyOrMissing(flags.out))) throw new CliError(`--out ${flags.out} already holds files; choose another directory`);
  const mode: ProgressMode = display.quiet ? 'quiet' : display.json ? 'json' : console.isTTY ? 'bar' : 'lines';
  const talk = mode === 'bar' || mode === 'lines';
  const variable = VARIABLE[key]!;

  const runs: CompareRun[] = [];
  const warnings = new Set<string>();
  let description = '';
  let network = '';
  let dataPlot: { x: number[]; y: number[] } | undefined;
  for (const [i, settings] of runSettings.entries()) {
    const label = variable.label(values[i]!);
    const run = await prepareRun(settings);
    for (const w of run.warnings) if (!warnings.has(w)) (warnings.add(w), console.warn(w));
    description = run.data.description;
    network = architecture(key === 'activation' ? { ...settings, activation: ['·'] } : settings, run.plan, run.data.preprocessing.inputDim) + (key === 'activation' ? ' (· = the activation compared)' : '');
    const runNetwork = architecture(settings, run.plan, run.data.preprocessing.inputDim);
    const batch = run.batchSize;
    if (talk) {
      console.out(`\n[${label}] ${runNetwork}; ${settings.optimizer}, ${learningRateText(settings)}, loss ${run.plan.loss}, batch size ${batch} (${gradientDescentKind(batch, run.trainSamples)}), ${count(run.iterationsPerEpoch, 'iteration')} per epoch`);
    }
    const norms = new GradientNormRecorder(run.model);
    const clock = new ClockRecorder();
    const history = await run.model.fit(run.data.xTrain, run.yTrain, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      validationSplit: settings.validationSplit,
      shuffle: true,
      random: new Random((settings.seed ^ 0x9e3779b9) >>> 0),
      callbacks: [new ProgressPrinter({ mode, stream: console.stdout, prefix: `[${label}] `, jsonFields: { run: label } }), norms, clock],
    });
    foldTargetScaling(run.model, run.data.preprocessing); // figures in the target's units
    const finite = weightsAreFinite(run.model);
    const evaluation = finite ? evaluateModel(run.model, run.data.xTest, run.data.yTest, run.yTest, run.data.preprocessing) : null;
    const test = evaluation === null ? null : { ...evaluation.metrics, ...regressionErrors(run.data.preprocessing.task, run.yTest, run.model.predict(run.data.xTest)) };
    const outcome = describeOutcome(history.toJSON() as HistoryJson);
    const entry: CompareRun = { label, history: history.toJSON() as HistoryJson, seconds: clock.seconds, gradientNorms: norms.data, test, outcome };
    if (run.data.preprocessing.task === 'regression' && run.data.preprocessing.inputDim === 1 && finite) {
      const x = run.data.xTrain;
      const order = Array.from(x.data.keys()).sort((a, b) => x.data[a]! - x.data[b]!);
      const predicted = run.model.predict(x);
      entry.fit = { x: order.map((j) => x.data[j]!), y: order.map((j) => predicted.data[j]!) };
      dataPlot ??= { x: Array.from(x.data), y: Array.from(run.data.yTrain.data) };
    }
    runs.push(entry);
    if (mode === 'json') console.out(JSON.stringify({ event: 'run', run: label, iterations: history.iterationLoss.length, seconds: Number((clock.seconds.at(-1) ?? 0).toFixed(3)), test, outcome: outcome || 'finished' }));
    else if (talk) console.out(`[${label}] ${outcome ? `${outcome}; ` : ''}test: ${test === null ? 'not evaluated (weights not finite)' : formatValues(test)}`);
  }

  const shared = runSettings[0]!;
  const version = await packageVersion();
  const html = renderCompareReport({
    title: `Comparing ${variable.plural} — ${shared.data}`,
    subtitle: `${values.length} runs that differ only in the ${variable.name}: ${values.join(', ')}.`,
    varied: variable.name,
    summary: [
      ['data', description],
      ['network', network],
      ['shared settings', sharedText(shared, key)],
      ['seed', String(shared.seed)],
    ],
    warnings: [...warnings],
    runs,
    ...(dataPlot !== undefined ? { data: dataPlot } : {}),
    footer: `gradiente ${version} · written ${new Date().toISOString()} · self-contained: charts by Chart.js, inlined`,
  });
  const outDir = typeof flags.out === 'string' ? flags.out : await claimNewFolder(defaultDir);
  await writeFileAtomic(path.join(outDir, 'report.html'), html);
  await writeJsonAtomic(path.join(outDir, 'results.json'), { varied: key, values, settings: runSettings, runs });
  if (mode !== 'json') console.out(`${talk ? '\n' : ''}Report: ${path.join(outDir, 'report.html')}`);
  else console.out(JSON.stringify({ event: 'end', out: outDir, runs: runs.length }));
  return 0;
}

/** How a run ended, in words: finished, diverged (NaN / infinite), or overshot (ended above where it started). */
export function describeOutcome(history: HistoryJson): string {
  const stopped = history.stopped;
  if (stopped?.reason === 'nonFinite') return `diverged: the loss became ${history.iterationLoss.at(-1)} at iteration ${stopped.iteration + 1}`;
  if (stopped !== null) return stopped.message;
  const first = history.iterationLoss[0];
  const last = history.history.loss?.at(-1);
  if (first !== undefined && last !== undefined && last > first) return `overshot: the loss ended above where it started (${first.toPrecision(3)} → ${last.toPrecision(3)})`;
  return '';
}

/** Both regression errors on the test set, whatever each run trained with, so mse and mae runs compare. */
function regressionErrors(task: string, yTrue: Tensor, yPred: Tensor): Record<string, number> {
  if (task !== 'regression') return {};
  return { mse: mse(yTrue, yPred), mae: mae(yTrue, yPred) };
}

function sharedText(s: TrainSettings, varied: string): string {
  const parts: string[] = [];
  if (varied !== 'optimizer') parts.push(s.optimizer);
  if (varied !== 'lr') parts.push(`learning rate ${s.lr}`);
  if (varied !== 'lrSchedule' && s.lrSchedule !== 'constant') parts.push(`${s.lrSchedule} schedule`);
  if (varied !== 'batchSize') parts.push(`batch size ${s.batchSize}`);
  if (varied !== 'loss' && s.loss !== undefined) parts.push(`loss ${s.loss}`);
  parts.push(`${s.epochs} epochs`, `validation split ${s.validationSplit}`);
  if (s.outliers !== undefined) parts.push(`outliers ${s.outliers}`);
  return parts.join(', ');
}
