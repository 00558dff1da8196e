/**
 * gradiente train: fit a model from flags (or a config file), show progress, and leave a
 * run directory behind: the model, history.json, metrics.json, config.json, report.html
 * and a checkpoint after every epoch that `--resume` continues bit for bit.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { EarlyStopping, Random, saveModel, type Callback, type Logs, type Sequential, type TrainingContext } from '../../node.js';
import { readBestWeights, readCheckpoint, restoreCheckpoint, saveCheckpoint, type BestWeights, type LoadedCheckpoint } from '../checkpoint.js';
import { packageVersion, processConsole, type Console } from '../console.js';
import { architecture, commandLine, count, gradientDescentKind, learningRateText, weightsAreFinite, weightsChecksum } from '../describe.js';
import { CliError, explainFileSystemError } from '../errors.js';
import { evaluateModel, type Evaluation } from '../evaluation.js';
import { foldTargetScaling } from '../target-scaling.js';
import { exists, readJson, timestampedRunDir, writeFileAtomic, writeJsonAtomic } from '../files.js';
import { InterruptHandler } from '../interrupt.js';
import { claimNewFolder, clearRunRecord, folderKind, makeFolder, readRunRecord, writeRunRecord, type FolderKind } from '../run-folder.js';
import { acquireRunLock } from '../run-lock.js';
import { moment as testMoment } from '../../node/test-hooks.js';
import { formatValues, ProgressPrinter, type ProgressMode } from '../progress.js';
import { epochLogs, GradientNormRecorder, mergeHistory, type HistoryJson } from '../recorders.js';
import { renderTrainReport } from '../report/train-report.js';
import { prepareRun, useBackend, type PreparedRun } from '../session.js';
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
  /** The run folder; null for a new run without --out (a fresh runs/<date-time> is claimed once the data is read). */
  outDir: string | null;
  resume: boolean;
}

/** Settings and the output folder, checked before anything is read or written. */
async function planRun(flags: Record<string, unknown>): Promise<RunPlan> {
  if (typeof flags.resume === 'string') {
    const runDir = flags.resume;
    if (flags.config !== undefined) throw new CliError('--resume continues a run with its own config.json; leave out --config');
    if (flags.out !== undefined) throw new CliError('--resume writes into the run directory it continues; leave out --out');
    const changed = TRAIN_OPTIONS.filter((o) => o.key !== 'epochs' && flags[o.key] !== undefined).map((o) => o.flag.split(' ')[0]);
    if (changed.length > 0) throw new CliError(`--resume keeps the run's settings so it ends as the uninterrupted run would; ${changed.join(', ')} cannot change (only --epochs, to train longer)`);
    const kind = await folderKind(runDir);
    if (kind === 'missing') throw new CliError(`--resume ${runDir}: no such directory`);
    if (kind === 'empty') throw new CliError(`--resume ${runDir}: the run stopped before it wrote anything; start it again with the same command and --out ${runDir}`);
    const configPath = path.join(runDir, 'config.json');
    if (kind !== 'run' || !(await exists(configPath))) throw new CliError(`--resume ${runDir}: not a run directory written by gradiente train (no config.json and checkpoint/ there)`);
    const file = readConfigFile(configPath);
    const settings = resolveSettings({ file, fileName: configPath, flags: flags.epochs !== undefined ? { epochs: flags.epochs } : {} });
    const display = resolveDisplay({}, flags, null);
    return { settings, display, outDir: runDir, resume: true };
  }
  const fileName = typeof flags.config === 'string' ? flags.config : null;
  const file = fileName === null ? {} : readConfigFile(fileName);
  const settings = resolveSettings({ file, fileName, flags });
  const display = resolveDisplay(file, flags, fileName);
  const out = flags.out ?? file.out;
  if (out !== undefined && (typeof out !== 'string' || out.trim() === '')) throw new CliError(`${fileName ?? ''}: "out" must be a directory name`);
  if (typeof out === 'string') {
    const kind = await folderKind(out).catch((error: unknown) => {
      throw explainFileSystemError(error, { path: out }) ?? error;
    });
    checkOutFolder(out, kind);
  }
  return { settings, display, outDir: (out as string | undefined) ?? null, resume: false };
}

/** A new run goes only into a missing or empty folder: never over another run, never among someone's files. */
function checkOutFolder(out: string, kind: FolderKind): void {
  if (kind === 'run') throw new CliError(`--out ${out} already holds files; choose another directory, or continue that run with --resume ${out} (it is a gradiente run)`);
  if (kind === 'other') throw new CliError(`--out ${out} already holds files that are not a gradiente run; choose a new or empty directory (train never writes among other files)`);
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
    private readonly warn: (message: string) => void,
    /** The best epoch's weights to keep in each checkpoint (early stopping that restores them). */
    private readonly best: () => BestWeights | null = () => null,
  ) {
    this.completeEpochs = initialEpoch;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.lastBatch = batch;
    testMoment(`batch:${logs.epoch + 1}:${batch + 1}`);
  }

  async onEpochEnd(epoch: number, _logs: Logs, context: TrainingContext): Promise<void> {
    if (this.lastBatch + 1 !== context.iterationsPerEpoch) return; // an interrupted epoch is not a checkpoint
    await saveCheckpoint(
      this.outDir,
      this.run.model,
      { fromLogits: this.run.plan.fromLogits },
      {
        epochsDone: epoch + 1,
        history: mergeHistory(this.previous, context, { completeEpochs: epoch + 1 }),
        gradientNorms: this.norms.data,
        trainingSeconds: this.clock.seconds(),
        backend: this.run.backend,
      },
      this.shuffleRandom,
      this.warn,
      this.best(),
    );
    this.completeEpochs = epoch + 1;
    testMoment(`epoch:${epoch + 1}`);
  }
}

/**
 * Early stopping that, on --resume, first replays the epochs already done so its patience
 * counts on, and gets back the best epoch's weights from the checkpoint (the model of that
 * time is gone), so it restores what the run left alone would restore.
 */
class ResumableEarlyStopping extends EarlyStopping {
  /** The best epoch so far and its weights, for the checkpoint (restoring runs only). */
  latestBest: BestWeights | null = null;
  constructor(
    patience: number,
    monitor: string,
    private readonly past: Logs[],
    restoreBestWeights: boolean,
    private readonly savedBest: BestWeights | null,
    private readonly onRestore: (epoch: number, best: number) => void,
  ) {
    super({ patience, monitor, restoreBestWeights });
  }

  override onTrainEnd(context: TrainingContext): void {
    super.onTrainEnd(context);
    if (this.restoredEpoch >= 0) this.onRestore(this.restoredEpoch, this.best);
  }

  override onTrainBegin(): void {
    super.onTrainBegin();
    this.latestBest = null;
    let replaying = -1;
    // When the replay reaches the saved best epoch, its weights are the ones the checkpoint kept.
    const model = { stateDict: () => (this.savedBest !== null && replaying === this.savedBest.epoch ? this.savedBest.weights : null) };
    const replay = { stop: () => undefined, model } as unknown as TrainingContext;
    for (const logs of this.past) {
      replaying = logs.epoch;
      super.onEpochEnd(logs.epoch, logs, replay);
    }
    if (this.restoreBestWeights && this.savedBest !== null && this.bestEpoch === this.savedBest.epoch) this.latestBest = this.savedBest;
  }

  override onEpochEnd(epoch: number, logs: Logs, context: TrainingContext): void {
    super.onEpochEnd(epoch, logs, context);
    if (this.restoreBestWeights && this.bestEpoch === epoch) this.latestBest = { epoch, weights: (context.model as Sequential).stateDict() };
  }
}

export async function train(flags: Record<string, unknown>, console: Console): Promise<number> {
  const plan = await planRun(flags);
  if (plan.resume) {
    const outDir = plan.outDir!;
    const lock = await acquireRunLock(outDir, (m) => console.warn(m)).catch((error: unknown) => {
      throw explainFileSystemError(error, { path: outDir }) ?? error;
    });
    try {
      return await resumeRun(plan, outDir, flags, console);
    } catch (error) {
      throw explainFileSystemError(error, { resume: outDir }) ?? error;
    } finally {
      await lock.release();
    }
  }
  // The data is read (and every mistake in it reported) before any folder is created.
  const run = await prepareRun(plan.settings);
  let outDir: string;
  try {
    if (plan.outDir === null) outDir = await claimNewFolder(timestampedRunDir());
    else await makeFolder((outDir = plan.outDir));
  } catch (error) {
    throw explainFileSystemError(error, { path: plan.outDir ?? 'runs' }) ?? error;
  }
  const lock = await acquireRunLock(outDir, (m) => console.warn(m)).catch((error: unknown) => {
    throw explainFileSystemError(error, { path: outDir }) ?? error;
  });
  const session: Session = { ...plan, outDir, run, checkpoint: null, finishing: false, resumable: false, console };
  try {
    // Another process may have filled the folder between the check and the lock.
    if (plan.outDir !== null) checkOutFolder(outDir, await folderKind(outDir));
    return await runTraining(session, { writeConfig: true });
  } catch (error) {
    throw explainFileSystemError(error, session.resumable ? { resume: outDir } : { path: outDir }) ?? error;
  } finally {
    await lock.release();
  }
}

/** One session of a run: what train() decided, and what the training and the outputs need. */
interface Session {
  settings: TrainSettings;
  display: DisplaySettings;
  outDir: string;
  run: PreparedRun;
  /** The checkpoint to continue from; null for a new run (or one that stopped before its first checkpoint). */
  checkpoint: LoadedCheckpoint | null;
  /** Training already ended; only the final outputs are missing (a kill or a full disk while writing them). */
  finishing: boolean;
  /** config.json is written: from here on, `--resume` can continue (or restart) the run. */
  resumable: boolean;
  console: Console;
}

/** --resume (under the run's lock): pick the checkpoint and the backend, then continue, finish the outputs, or refuse. */
async function resumeRun(plan: RunPlan, outDir: string, flags: Record<string, unknown>, console: Console): Promise<number> {
  const { settings } = plan;
  const checkpoint = await readCheckpoint(outDir, (m) => console.warn(m));
  const done = checkpoint?.state.epochsDone ?? 0;
  const stopped = checkpoint?.state.history?.stopped;
  const ended = checkpoint !== null && ((stopped && stopped.reason !== 'callback') || done >= settings.epochs);
  if (ended) {
    const record = await readRunRecord(outDir);
    const complete = record !== null && record.status === 'completed' && record.epochsDone === done;
    if (complete && stopped && stopped.reason !== 'callback') throw new CliError(`--resume ${outDir}: that run already ended (${stopped.message}); nothing to continue`);
    if (complete) throw new CliError(`--resume ${outDir}: the run already completed its ${done} epochs; pass --epochs with a larger number to train longer`);
  }
  // Same numbers as before the interruption: run on the backend the checkpoint was computed on.
  const recorded = checkpoint?.state.backend;
  let backend: string | undefined;
  if (recorded !== undefined) {
    try {
      await useBackend(recorded);
      backend = recorded;
    } catch {
      console.warn(`the checkpoint was computed on the '${recorded}' backend, which cannot run here; continuing on --backend ${settings.backend}, so the results will differ slightly from an uninterrupted run`);
    }
  }
  const run = await prepareRun(settings, backend !== undefined ? { backend } : {});
  const session: Session = { ...plan, outDir, run, checkpoint, finishing: ended, resumable: true, console };
  return runTraining(session, { writeConfig: flags.epochs !== undefined });
}

async function runTraining(session: Session, options: { writeConfig: boolean }): Promise<number> {
  const { settings, display, outDir, run, checkpoint, finishing, console } = session;
  const mode = progressMode(display, console);
  const talk = mode === 'bar' || mode === 'lines';
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
  if (checkpoint !== null) {
    await restoreCheckpoint(checkpoint, model, shuffleRandom);
    previous = checkpoint.state.history;
    if (previous?.stopped?.reason === 'callback') previous = { ...previous, stopped: null }; // it was an interruption: we are continuing
    previousSeconds = checkpoint.state.trainingSeconds;
    initialEpoch = checkpoint.state.epochsDone;
    if (talk && finishing) console.out(`Finishing: training ended at epoch ${initialEpoch} but its outputs were not all written; writing them from that checkpoint`);
    else if (talk) console.out(`Resuming: from the end of epoch ${initialEpoch} (iteration ${model.optimizer.iterations}, backend ${run.backend})`);
  } else if (session.resumable && talk) {
    console.out('Resuming: the run stopped before its first checkpoint; starting it over in place');
  }

  const version = await packageVersion();
  if (options.writeConfig) {
    const configPath = path.join(outDir, 'config.json');
    // On --resume --epochs N the run keeps the command that started it; only the settings change.
    const command = session.resumable ? ((await readJson(configPath).catch(() => ({}))) as { command?: unknown }).command : undefined;
    await writeJsonAtomic(configPath, { version, command: typeof command === 'string' ? command : commandLine(process.argv), ...settings });
  }
  session.resumable = true;

  const norms = new GradientNormRecorder(model, checkpoint?.state.gradientNorms ?? undefined);
  const started = performance.now();
  const clock = { seconds: () => previousSeconds + (performance.now() - started) / 1000 };
  const warn = (m: string): void => console.warn(m);
  if (checkpoint === null) {
    const initial = { epochsDone: 0, history: null, gradientNorms: null, trainingSeconds: 0, backend: run.backend };
    await saveCheckpoint(outDir, model, { fromLogits: run.plan.fromLogits }, initial, shuffleRandom, warn);
  }
  testMoment('start');

  const interrupt = new InterruptHandler();
  const monitor = settings.validationSplit > 0 ? 'val_loss' : 'loss';
  const restoring = settings.earlyStopping !== undefined && settings.restoreBest !== false;
  const savedBest = checkpoint !== null && restoring ? await readBestWeights(checkpoint) : null;
  const restoredLine = (epoch: number, best: number): void => {
    if (talk) console.out(`Restored: the weights of epoch ${epoch + 1}, the best ${monitor} (${best.toPrecision(5)}); the saved model is that epoch's (--no-restore-best keeps the last)`);
  };
  const earlyStopping =
    settings.earlyStopping === undefined ? null : new ResumableEarlyStopping(settings.earlyStopping, monitor, previous ? epochLogs(previous) : [], restoring, savedBest, restoredLine);
  const checkpointer = new Checkpointer(run, outDir, previous, norms, shuffleRandom, clock, initialEpoch, warn, () => earlyStopping?.latestBest ?? null);
  let history: HistoryJson;
  if (finishing) {
    history = previous!;
    // Training ended: as at the end of fit, early stopping puts back the best epoch's weights.
    if (savedBest !== null) {
      model.loadStateDict(savedBest.weights);
      const value = history.history[monitor]?.[savedBest.epoch];
      if (value !== undefined) restoredLine(savedBest.epoch, value);
    }
  } else {
    const callbacks: Callback[] = [new ProgressPrinter({ mode, jsonIterations: display.jsonIterations, stream: console.stdout }), norms, interrupt];
    if (earlyStopping !== null) callbacks.push(earlyStopping);
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
    history = mergeHistory(previous, contextSeen!, { completeEpochs: checkpointer.completeEpochs });
  }
  const completeEpochs = checkpointer.completeEpochs;
  const trainingSeconds = finishing ? previousSeconds : clock.seconds();

  // The results: written whether training finished, stopped early, diverged or was interrupted.
  // run.json goes first and comes back last: it exists only while the set below is complete.
  testMoment('outputs');
  await clearRunRecord(outDir);
  // Training saw the standardized target; from here on (test figures, saved model) it is in the target's units.
  foldTargetScaling(model, data.preprocessing);
  const evaluation = weightsAreFinite(model) ? evaluateModel(model, data.xTest, data.yTest, run.yTest, data.preprocessing) : null;
  const outputs = await writeOutputs(run, outDir, history, norms, evaluation, trainingSeconds, version, console);
  testMoment('outputs:run');
  await writeRunRecord(outDir, { status: interrupt.stoppedAt !== null ? 'interrupted' : 'completed', epochsDone: completeEpochs, files: outputs.files, weightsChecksum: outputs.checksum });

  const stopped = history.stopped;
  if (interrupt.stoppedAt !== null) {
    const at = interrupt.stoppedAt;
    const resumeFrom = completeEpochs;
    const message = `interrupted by ${interrupt.cause} at epoch ${at.epoch}, iteration ${at.batch}/${run.iterationsPerEpoch}; saved the model as it is to ${outputs.modelDir ?? '(not saved)'}; the checkpoint holds the end of epoch ${resumeFrom}`;
    if (mode === 'json') console.out(JSON.stringify({ event: 'interrupted', out: outDir, signal: interrupt.cause, epoch: at.epoch, iteration: at.iteration, checkpointEpoch: resumeFrom, resume: `gradiente train --resume ${outDir}` }));
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
        // What was decided about the data without being asked (the header lines of the other modes).
        data: { description: data.description, decisions: data.notes },
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
  testMoment('outputs:model');
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
  testMoment('outputs:history');
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
  testMoment('outputs:metrics');
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
  testMoment('outputs:report');
  await writeFileAtomic(path.join(outDir, 'report.html'), html);
  files.push('report.html');
  return { files, modelDir, checksum };
}
