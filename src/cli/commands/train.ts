/**
 * gradiente train: fit a model from flags (or a config file), show progress, and leave a
 * run directory behind: the model, history.json, metrics.json, config.json, report.html
 * and a checkpoint after every epoch that `--resume` continues bit for bit.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { EarlyStopping, Random, saveModel, type Callback, type Logs, type TrainingContext } from '../../node.js';
import { readCheckpoint, restoreCheckpoint, saveCheckpoint, type LoadedCheckpoint } from '../checkpoint.js';
import { packageVersion, processConsole, type Console } from '../console.js';
import { architecture, commandLine, count, gradientDescentKind, learningRateText, weightsAreFinite, weightsChecksum } from '../describe.js';
import { CliError } from '../errors.js';
import { evaluateModel, type Evaluation } from '../evaluation.js';
import { foldTargetScaling } from '../target-scaling.js';
import { exists, freeDirectory, isEmptyOrMissing, timestampedRunDir, writeFileAtomic, writeJsonAtomic } from '../files.js';
import { InterruptHandler } from '../interrupt.js';
import { formatValues, ProgressPrinter, type ProgressMode } from '../progress.js';
import { epochLogs, GradientNormRecorder, mergeHistory, type HistoryJson } from '../recorders.js';
import { renderTrainReport } from '../report/train-report.js';
import { prepareRun, type PreparedRun } from '../session.js';
import { readConfigFile, resolveDisplay, resolveSettings, TRAIN_OPTIONS, type DisplaySettings, type TrainSettings } from '../settings.js';
import { addCommonOptions, flagsGiven } from './common.js';

const EXAMPLES = `
Examples:
  $ gradiente train                                   # MNIST digits, 128-64 ReLU network, Adam
  $ gradiente train --data spiral --layers 32,32 --epochs 100 --out runs/spiral
  $ gradiente train --data csv:examples/data/penguins.csv --target species --out runs/penguins
  $ gradiente train --data fashion-mnist --batch-size full --lr 0.1 --optimizer sgd
  $ gradiente train --config experiment.json --epochs 20   # flags win over the file
  $ gradiente train --resume runs/spiral                   # continue after Ctrl-C or a crash
  $ gradiente train --data xor --json | jq .loss            # one JSON object per epoch

A run directory holds model/ (gradiente's model format), history.json, metrics.json,
config.json (run it again with --config), report.html (open it in a browser) and
checkpoint/ (the last completed epoch).`;

export function registerTrain(program: Command): void {
  const cmd = program.command('train').description('train a neural network and write the model, its history and a report');
  for (const o of TRAIN_OPTIONS) cmd.option(o.flag, o.help);
  cmd
    .option('--config <file>', 'read settings from a JSON file ({"data": "spiral", "batchSize": 16, ...}); flags win')
    .option('--out <dir>', 'directory for the model, history, metrics, config and report (default: runs/<date-time>)')
    .option('--resume <dir>', 'continue the run in <dir> from its last checkpoint (only --epochs may change)')
    .option('--json', 'print one JSON object per epoch (and a last one with the results) instead of progress')
    .option('--json-iterations', 'with --json, also one JSON object per iteration')
    .option('--quiet', 'print nothing but warnings and errors');
  addCommonOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (_opts: unknown, command: Command) => {
    process.exitCode = await train(flagsGiven(command), processConsole);
  });
}

interface RunPlan {
  settings: TrainSettings;
  display: DisplaySettings;
  outDir: string;
  resume: LoadedCheckpoint | null;
}

/** Settings, output directory and (for --resume) the checkpoint, all checked before anything is written. */
async function planRun(flags: Record<string, unknown>): Promise<RunPlan> {
  if (typeof flags.resume === 'string') {
    const runDir = flags.resume;
    if (flags.config !== undefined) throw new CliError('--resume continues a run with its own config.json; leave out --config');
    if (flags.out !== undefined) throw new CliError('--resume writes into the run directory it continues; leave out --out');
    const changed = TRAIN_OPTIONS.filter((o) => o.key !== 'epochs' && flags[o.key] !== undefined).map((o) => o.flag.split(' ')[0]);
    if (changed.length > 0) throw new CliError(`--resume keeps the run's settings so it ends as the uninterrupted run would; ${changed.join(', ')} cannot change (only --epochs, to train longer)`);
    const configPath = path.join(runDir, 'config.json');
    if (!(await exists(configPath))) throw new CliError(`--resume ${runDir}: no config.json there; is it a directory written by gradiente train?`);
    const file = readConfigFile(configPath);
    const settings = resolveSettings({ file, fileName: configPath, flags: flags.epochs !== undefined ? { epochs: flags.epochs } : {} });
    const display = resolveDisplay({}, flags, null);
    const resume = await readCheckpoint(runDir);
    const stopped = resume.state.history?.stopped;
    if (stopped && stopped.reason !== 'callback') throw new CliError(`--resume ${runDir}: that run already ended (${stopped.message}); nothing to continue`);
    if (resume.state.epochsDone >= settings.epochs) {
      throw new CliError(`--resume ${runDir}: the run already completed its ${resume.state.epochsDone} epochs; pass --epochs with a larger number to train longer`);
    }
    return { settings, display, outDir: runDir, resume };
  }
  const fileName = typeof flags.config === 'string' ? flags.config : null;
  const file = fileName === null ? {} : readConfigFile(fileName);
  const settings = resolveSettings({ file, fileName, flags });
  const display = resolveDisplay(file, flags, fileName);
  const out = flags.out ?? file.out;
  if (out !== undefined && (typeof out !== 'string' || out.trim() === '')) throw new CliError(`${fileName ?? ''}: "out" must be a directory name`);
  const outDir = (out as string | undefined) ?? (await freeDirectory(timestampedRunDir()));
  if (!(await isEmptyOrMissing(outDir))) {
    throw new CliError(`--out ${outDir} already holds files; choose another directory, or continue that run with --resume ${outDir}`);
  }
  return { settings, display, outDir, resume: null };
}

function progressMode(display: DisplaySettings, console: Console): ProgressMode {
  if (display.quiet) return 'quiet';
  if (display.json) return 'json';
  return console.isTTY ? 'bar' : 'lines';
}

/** Writes a checkpoint at the end of every complete epoch. */
class Checkpointer implements Callback {
  private lastBatch = -1;
  /** Epochs completed and checkpointed, over all sessions of the run. */
  completeEpochs: number;
  constructor(
    private readonly run: PreparedRun,
    private readonly outDir: string,
    private readonly previous: HistoryJson | null,
    private readonly norms: GradientNormRecorder,
    private readonly shuffleRandom: Random,
    private readonly clock: { seconds(): number },
    initialEpoch: number,
  ) {
    this.completeEpochs = initialEpoch;
  }

  onBatchEnd(batch: number): void {
    this.lastBatch = batch;
  }

  async onEpochEnd(epoch: number, _logs: Logs, context: TrainingContext): Promise<void> {
    if (this.lastBatch + 1 !== context.iterationsPerEpoch) return; // an interrupted epoch is not a checkpoint
    await saveCheckpoint(
      this.outDir,
      this.run.model,
      { fromLogits: this.run.plan.fromLogits },
      { epochsDone: epoch + 1, history: mergeHistory(this.previous, context, { completeEpochs: epoch + 1 }), gradientNorms: this.norms.data, trainingSeconds: this.clock.seconds() },
      this.shuffleRandom,
    );
    this.completeEpochs = epoch + 1;
  }
}

/** Early stopping that, on --resume, first replays the epochs already done so its patience counts on. */
class ResumableEarlyStopping extends EarlyStopping {
  constructor(patience: number, monitor: string, private readonly past: Logs[]) {
    super({ patience, monitor });
  }

  override onTrainBegin(): void {
    super.onTrainBegin();
    const replay = { stop: () => undefined } as unknown as TrainingContext;
    for (const logs of this.past) super.onEpochEnd(logs.epoch, logs, replay);
  }
}

export async function train(flags: Record<string, unknown>, console: Console): Promise<number> {
  const plan = await planRun(flags);
  const { settings, display, outDir, resume } = plan;
  const mode = progressMode(display, console);
  const talk = mode === 'bar' || mode === 'lines';

  const run = await prepareRun(settings);
  for (const w of run.warnings) console.warn(w);
  const { model, data } = run;
  const batch = run.batchSize;
  if (talk) {
    console.out(`Data:     ${data.description}`);
    for (const note of data.notes) console.out(note);
    console.out(`Model:    ${architecture(settings, run.plan, data.preprocessing.inputDim)} (${model.countParameters().toLocaleString('en')} parameters)`);
    console.out(
      `Training: ${settings.optimizer}, ${learningRateText(settings)}, loss ${run.plan.loss}${run.plan.fromLogits ? ' (from logits)' : ''}; batch size ${batch} ` +
        `(${gradientDescentKind(batch, run.trainSamples)}): ${count(run.iterationsPerEpoch, 'iteration')} per epoch, ${count(settings.epochs, 'epoch')}`,
    );
    console.out(`Output:   ${outDir}`);
  }

  // Same seed, same order of samples: the shuffling generator is the run's own, and is checkpointed.
  const shuffleRandom = new Random((settings.seed ^ 0x9e3779b9) >>> 0);
  let previous: HistoryJson | null = null;
  let previousSeconds = 0;
  let initialEpoch = 0;
  if (resume !== null) {
    await restoreCheckpoint(resume, model, shuffleRandom);
    previous = resume.state.history;
    if (previous?.stopped) previous = { ...previous, stopped: null }; // it was an interruption: we are continuing
    previousSeconds = resume.state.trainingSeconds;
    initialEpoch = resume.state.epochsDone;
    if (talk) console.out(`Resuming: from the end of epoch ${initialEpoch} (iteration ${model.optimizer.iterations})`);
  }

  const version = await packageVersion();
  await fs.mkdir(outDir, { recursive: true });
  await writeJsonAtomic(path.join(outDir, 'config.json'), { version, command: commandLine(process.argv), ...settings });

  const norms = new GradientNormRecorder(model, resume?.state.gradientNorms ?? undefined);
  const started = performance.now();
  const clock = { seconds: () => previousSeconds + (performance.now() - started) / 1000 };
  if (resume === null) {
    await saveCheckpoint(outDir, model, { fromLogits: run.plan.fromLogits }, { epochsDone: 0, history: null, gradientNorms: null, trainingSeconds: 0 }, shuffleRandom);
  }

  const interrupt = new InterruptHandler();
  const callbacks: Callback[] = [new ProgressPrinter({ mode, jsonIterations: display.jsonIterations, stream: console.stdout }), norms, interrupt];
  if (settings.earlyStopping !== undefined) {
    callbacks.push(new ResumableEarlyStopping(settings.earlyStopping, settings.validationSplit > 0 ? 'val_loss' : 'loss', previous ? epochLogs(previous) : []));
  }
  const checkpointer = new Checkpointer(run, outDir, previous, norms, shuffleRandom, clock, initialEpoch);
  callbacks.push(checkpointer);
  let contextSeen: TrainingContext | null = null;
  callbacks.push({ onTrainBegin: (context) => void (contextSeen = context) });

  interrupt.install();
  try {
    await model.fit(data.xTrain, run.yTrain, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      validationSplit: settings.validationSplit,
      shuffle: true,
      random: shuffleRandom,
      initialEpoch,
      callbacks,
    });
  } finally {
    interrupt.uninstall();
  }
  const completeEpochs = checkpointer.completeEpochs;
  const history = mergeHistory(previous, contextSeen!, { completeEpochs });
  const trainingSeconds = clock.seconds();

  // The results: written whether training finished, stopped early, diverged or was interrupted.
  // Training saw the standardized target; from here on (test figures, saved model) it is in the target's units.
  foldTargetScaling(model, data.preprocessing);
  const evaluation = weightsAreFinite(model) ? evaluateModel(model, data.xTest, data.yTest, run.yTest, data.preprocessing) : null;
  const outputs = await writeOutputs(run, outDir, history, norms, evaluation, trainingSeconds, version, console);

  const stopped = history.stopped;
  if (interrupt.stoppedAt !== null) {
    const at = interrupt.stoppedAt;
    const resumeFrom = completeEpochs;
    const message = `interrupted at epoch ${at.epoch}, iteration ${at.batch}/${run.iterationsPerEpoch}; saved the model as it is to ${outputs.modelDir ?? '(not saved)'}; the checkpoint holds the end of epoch ${resumeFrom}`;
    if (mode === 'json') console.out(JSON.stringify({ event: 'interrupted', out: outDir, epoch: at.epoch, iteration: at.iteration, checkpointEpoch: resumeFrom, resume: `gradiente train --resume ${outDir}` }));
    else process.stderr.write(`${message}\nto continue: gradiente train --resume ${outDir}\n`);
    return interrupt.exitCode;
  }
  if (stopped !== null && stopped.reason === 'nonFinite') console.warn(stopped.message);
  if (stopped !== null && stopped.reason === 'earlyStopping' && talk) console.out(stopped.message);
  const testLine = evaluation === null ? 'not evaluated: the weights are not finite numbers' : `${formatValues(evaluation.metrics)} (${evaluation.samples} samples)`;
  if (mode === 'json') {
    console.out(
      JSON.stringify({
        event: 'end',
        out: outDir,
        epochs: history.epoch.length,
        iterations: history.iterationLoss.length,
        seconds: Number(trainingSeconds.toFixed(3)),
        test: evaluation?.metrics ?? null,
        stopped,
        weightsChecksum: outputs.checksum,
      }),
    );
  } else if (talk) {
    console.out(`Test:     ${testLine}`);
    console.out(`Saved:    ${outDir}/ — ${outputs.files.join(', ')}`);
    console.out(`Report:   ${path.join(outDir, 'report.html')}`);
  }
  return 0;
}

interface WrittenOutputs {
  files: string[];
  modelDir: string | null;
  checksum: string;
}

async function writeOutputs(
  run: PreparedRun,
  outDir: string,
  history: HistoryJson,
  norms: GradientNormRecorder,
  evaluation: Evaluation | null,
  trainingSeconds: number,
  version: string,
  console: Console,
): Promise<WrittenOutputs> {
  const { model, settings, data, plan } = run;
  const files: string[] = [];
  let modelDir: string | null = path.join(outDir, 'model');
  if (weightsAreFinite(model)) {
    await saveModel(model, modelDir, {
      includeOptimizer: true,
      lossOptions: { fromLogits: plan.fromLogits },
      trainingConfig: { settings, preprocessing: data.preprocessing, targetEncoding: plan.targetEncoding },
    });
    files.push('model/');
  } else {
    console.warn('the weights are not finite numbers (training diverged), so the model was not saved; lower --lr and train again');
    modelDir = null;
  }
  await writeJsonAtomic(path.join(outDir, 'history.json'), { ...history, gradientNorms: norms.data });
  files.push('history.json');
  const last = (key: string): number | undefined => history.history[key]?.at(-1);
  const split = (prefix: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const key of Object.keys(history.history)) {
      if (key === 'learningRate') continue;
      if (prefix === '' ? !key.startsWith('val_') : key.startsWith(prefix)) out[key.slice(prefix.length)] = last(key)!;
    }
    return out;
  };
  const checksum = weightsChecksum(model);
  await writeJsonAtomic(path.join(outDir, 'metrics.json'), {
    epochs: history.epoch.length,
    iterations: history.iterationLoss.length,
    trainingSeconds: Number(trainingSeconds.toFixed(3)),
    train: split(''),
    validation: split('val_'),
    test: evaluation?.metrics ?? null,
    testSamples: evaluation?.samples ?? 0,
    ...(evaluation?.confusion ? { confusionMatrix: evaluation.confusion } : {}),
    stopped: history.stopped,
    weightsChecksum: checksum,
  });
  files.push('metrics.json', 'config.json');
  const batch = run.batchSize;
  const summary: [string, string][] = [
    ['data', data.description],
    ['model', `${architecture(settings, plan, data.preprocessing.inputDim)} — ${model.countParameters().toLocaleString('en')} parameters`],
    ['loss', `${plan.loss}${plan.fromLogits ? ' (from logits)' : ''}`],
    ['optimizer', `${settings.optimizer}, ${learningRateText(settings)}`],
    ['batches', `batch size ${batch} (${gradientDescentKind(batch, run.trainSamples)}), ${count(run.iterationsPerEpoch, 'iteration')} per epoch`],
    ['epochs', `${history.epoch.length} of ${settings.epochs}${history.stopped ? ` — ${history.stopped.message}` : ''}`],
    ['training time', `${trainingSeconds.toFixed(1)} s`],
    ['test', evaluation === null ? 'not evaluated (weights not finite)' : formatValues(evaluation.metrics)],
    ['seed', String(settings.seed)],
    ['repeat with', `gradiente train --config ${path.join(outDir, 'config.json')} --out <new dir>`],
  ];
  const html = renderTrainReport({
    title: `Training report — ${settings.data}`,
    summary,
    warnings: run.warnings,
    history,
    gradientNorms: norms.data,
    evaluation,
    metricNames: plan.metrics,
    footer: `gradiente ${version} · written ${new Date().toISOString()} · self-contained: charts by Chart.js, inlined`,
  });
  await writeFileAtomic(path.join(outDir, 'report.html'), html);
  files.push('report.html');
  return { files, modelDir, checksum };
}
