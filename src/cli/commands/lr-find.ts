/** gradiente lr-find: the learning-rate range test, with its plot and a suggested value. */
import * as path from 'node:path';
import type { Command } from 'commander';
import { schedule, type Callback, type Logs, type TrainingContext } from '../../node.js';
import { packageVersion, processConsole, type Console } from '../console.js';
import { architecture } from '../describe.js';
import { CliError } from '../errors.js';
import { isEmptyOrMissing, timestampedRunDir, writeFileAtomic, writeJsonAtomic } from '../files.js';
import { claimNewFolder } from '../run-folder.js';
import { analyseRangeTest, DIVERGENCE_FACTOR, runningAverage } from '../lr-range.js';
import { formatNumber } from '../progress.js';
import { renderPage } from '../report/page.js';
import { prepareRun } from '../session.js';
import { readConfigFile, resolveSettings, TRAIN_OPTIONS } from '../settings.js';
import * as v from '../values.js';
import { addCommonOptions, flagsGiven } from './common.js';

const EXAMPLES = `
Examples:
  $ gradiente lr-find                                  # MNIST, the default network, Adam
  $ gradiente lr-find --data spiral --optimizer sgd --out runs/lr-spiral
  $ gradiente lr-find --data fashion-mnist --batch-size 64 --start-lr 1e-5 --end-lr 1

The learning rate grows exponentially from --start-lr to --end-lr over --steps iterations
(or until the loss blows up). The suggestion is where the smoothed loss falls fastest:
a good first --lr for gradiente train with the same settings.`;

const SKIP = new Set(['lr', 'lrSchedule', 'epochs', 'earlyStopping', 'validationSplit']);

export function registerLrFind(program: Command): void {
  const cmd = program.command('lr-find').description('learning-rate range test: loss against an exponentially growing learning rate, and a suggested value');
  for (const o of TRAIN_OPTIONS) if (!SKIP.has(o.key)) cmd.option(o.flag, o.help);
  cmd
    .option('--start-lr <rate>', 'smallest learning rate tried (default: 1e-6)')
    .option('--end-lr <rate>', 'largest learning rate tried (default: 10)')
    .option('--steps <n>', 'iterations of the sweep (default: 100)')
    .option('--config <file>', 'read settings from a JSON file, as for train; flags win')
    .option('--out <dir>', 'directory for report.html and lr-find.json (default: runs/lr-find-<date-time>)')
    .option('--json', 'print one JSON object with the result');
  addCommonOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (_opts: unknown, command: Command) => {
    process.exitCode = await lrFind(flagsGiven(command), processConsole);
  });
}

export async function lrFind(flags: Record<string, unknown>, console: Console): Promise<number> {
  const startLr = flags.startLr === undefined ? 1e-6 : v.positiveNumber(flags.startLr, v.flagSource('--start-lr'));
  const endLr = flags.endLr === undefined ? 10 : v.positiveNumber(flags.endLr, v.flagSource('--end-lr'));
  const steps = flags.steps === undefined ? 100 : v.positiveInteger(flags.steps, v.flagSource('--steps'));
  if (!(endLr > startLr)) throw new CliError(`--end-lr ${endLr} must be larger than --start-lr ${startLr}`);
  if (steps < 10) throw new CliError(`--steps ${steps}: a range test needs at least 10 iterations to show a trend`);
  const fileName = typeof flags.config === 'string' ? flags.config : null;
  const file = fileName === null ? {} : readConfigFile(fileName);
  for (const key of SKIP) delete file[key];
  const settings = resolveSettings({ file, fileName, flags: { ...flags, validationSplit: 0 } });
  // The default folder is named when the command starts but claimed (created by mkdir, or
  // -2, -3, ... when taken) only when there is something to write: two started in the same
  // second never share one, and a run that fails leaves no empty folder behind.
  const defaultDir = timestampedRunDir('runs').replace(/([^/\\]+)$/, 'lr-find-$1');
  if (typeof flags.out === 'string' && !(await isEmptyOrMissing(flags.out))) throw new CliError(`--out ${flags.out} already holds files; choose another directory`);

  const run = await prepareRun({ ...settings, epochs: 1 });
  for (const w of run.warnings) console.warn(w);
  // lr(t) = startLr · (endLr/startLr)^(t/(steps−1)): the last step uses endLr.
  run.model.optimizer.learningRate = schedule({ type: 'exponential', learningRate: startLr, decaySteps: steps - 1, decayRate: endLr / startLr });
  const epochs = Math.ceil(steps / run.iterationsPerEpoch);

  const stopper: Callback = {
    onBatchEnd(_batch: number, logs: Logs, context: TrainingContext) {
      const losses = context.history.iterationLoss;
      const smoothed = runningAverage(losses);
      const last = smoothed.at(-1)!;
      if (logs.iteration >= steps) context.stop('callback', `range test done: ${steps} iterations`);
      else if (losses.length > 1 && last > DIVERGENCE_FACTOR * Math.min(...smoothed)) context.stop('callback', `the loss blew up at learning rate ${formatNumber(logs.learningRate)}`);
    },
  };
  const talk = flags.json !== true;
  if (talk) {
    console.out(`Data:   ${run.data.description}`);
    console.out(`Model:  ${architecture(settings, run.plan, run.data.preprocessing.inputDim)}; ${settings.optimizer}, loss ${run.plan.loss}, batch size ${settings.batchSize}`);
    console.out(`Sweep:  learning rate ${plain(startLr)} → ${plain(endLr)} over ${steps} iterations`);
  }
  const history = await run.model.fit(run.data.xTrain, run.yTrain, { epochs, batchSize: settings.batchSize, shuffle: true, seed: settings.seed, callbacks: [stopper] });
  const result = analyseRangeTest(history.iterationLearningRate, history.iterationLoss);
  if (result.learningRates.length < 10) throw new CliError(`the loss blew up after ${result.learningRates.length} iterations, too early to tell; lower --start-lr`);

  const version = await packageVersion();
  const html = renderPage(
    {
      title: `Learning-rate range test — ${settings.data}`,
      subtitle: 'Loss against learning rate while the rate grows exponentially, one iteration per rate.',
      warnings: run.warnings,
      summary: [
        ['data', run.data.description],
        ['model', architecture(settings, run.plan, run.data.preprocessing.inputDim)],
        ['optimizer', `${settings.optimizer}, loss ${run.plan.loss}, batch size ${settings.batchSize}`],
        ['sweep', `${plain(startLr)} → ${plain(endLr)}, ${result.learningRates.length} iterations${result.divergedAt !== null ? ' (stopped when the loss blew up)' : ''}`],
        ['suggested learning rate', result.suggested === null ? 'none: the loss never fell (start lower, or check the data)' : formatNumber(result.suggested)],
        ['lowest loss at', result.lowest === null ? '—' : formatNumber(result.lowest)],
      ],
      sections: [
        {
          title: 'Loss against learning rate',
          intro: 'Too small a rate barely moves the loss; too large a rate overshoots and the loss explodes. A good rate sits where the curve falls steepest, before its lowest point.',
          blocks: [
            {
              type: 'chart',
              chart: {
                title: 'Loss against learning rate',
                wide: true,
                note: 'Light line: the loss of each batch; dark line: its average over neighbouring iterations. The dashed line marks the suggested learning rate.',
                x: { label: 'learning rate (log scale)', log: true },
                // The explosion at the end would flatten the interesting part: cut the axis above the start.
                y: { label: 'loss', max: yLimit(result.smoothed) },
                series: [
                  { label: 'loss of the batch', points: result.learningRates.map((lr, i) => [lr, Number.isFinite(result.losses[i]!) ? result.losses[i]! : null]), color: '#9ecae1' },
                  { label: 'smoothed loss', points: result.learningRates.map((lr, i) => [lr, Number.isFinite(result.smoothed[i]!) ? result.smoothed[i]! : null]), color: '#1f77b4' },
                  ...(result.suggested !== null ? [{ label: `suggested: ${formatNumber(result.suggested)}`, dashed: true, color: '#d62728', points: verticalLine(result.suggested, result.smoothed) }] : []),
                ],
              },
            },
          ],
        },
      ],
    },
    `gradiente ${version} · written ${new Date().toISOString()} · self-contained: charts by Chart.js, inlined`,
  );
  const outDir = typeof flags.out === 'string' ? flags.out : await claimNewFolder(defaultDir);
  await writeFileAtomic(path.join(outDir, 'report.html'), html);
  await writeJsonAtomic(path.join(outDir, 'lr-find.json'), { settings, startLr, endLr, steps, ...result });
  if (!talk) {
    console.out(JSON.stringify({ suggested: result.suggested, lowest: result.lowest, iterations: result.learningRates.length, divergedAt: result.divergedAt, out: outDir }));
    return 0;
  }
  console.out(result.suggested === null ? 'No learning rate made the loss fall: start the sweep lower (--start-lr) or check the data.' : `Suggested learning rate: ${formatNumber(result.suggested)} (steepest fall of the smoothed loss; lowest loss at ${formatNumber(result.lowest!)})`);
  console.out(`Report: ${path.join(outDir, 'report.html')}`);
  return 0;
}

/** 1e-6 rather than 0.000001. */
function plain(x: number): string {
  return x < 1e-3 || x >= 1e5 ? x.toExponential() : String(x);
}

/** Top of the loss axis: a little above the starting loss (later values may explode). */
function yLimit(smoothed: readonly number[]): number {
  const start = Math.max(...smoothed.slice(0, 5).filter(Number.isFinite));
  return Number((1.5 * start).toPrecision(2));
}

/** Two points from the bottom of the loss axis to its top at x = value, drawn dashed. */
function verticalLine(x: number, smoothed: readonly number[]): [number, number][] {
  return [
    [x, 0],
    [x, yLimit(smoothed)],
  ];
}
