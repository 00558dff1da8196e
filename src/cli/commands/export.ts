/**
 * gradiente export: hand a model on to the wider ecosystem — TensorFlow.js Layers format
 * (model.json + weights.bin, loadable by TensorFlow.js and convertible to Keras), ONNX
 * (ONNX Runtime, and from there PyTorch and others), or a whole training run as a runnable
 * PyTorch project (train.py with DistributedDataParallel) whose trained weights come back
 * with `gradiente import`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { exportModel, exportPytorchProject, importModel, Random, replaceDirectory, slice, type ExportFormat, type Sequential } from '../../node.js';
import { processConsole, type Console } from '../console.js';
import type { Preprocessing } from '../data-source.js';
import { CliError } from '../errors.js';
import { exists, writeJsonAtomic } from '../files.js';
import { loadSavedRun, modelInRun } from '../saved-model.js';
import { prepareRun } from '../session.js';
import * as v from '../values.js';
import { preprocessingDescription } from '../export-preprocessing.js';
import { scaledTargets, unfoldTargetScaling } from '../target-scaling.js';
import { addCommonOptions, flagsGiven } from './common.js';

const EXAMPLES = `
Examples:
  $ gradiente export --model runs/digits --format tfjs --out exported/digits-tfjs
  $ gradiente export --model runs/digits --format onnx --out exported/digits.onnx
  $ gradiente export --model some-tfjs-model/model.json --format onnx --out model.onnx --opset 20
  $ gradiente export --model runs/f --format pytorch --out f-torch    # then: cd f-torch && python3 train.py --processes 2

--model takes a run directory of "gradiente train", a model directory or its model.json
(gradiente's format or TensorFlow.js's). Inputs must be prepared as in training: when the
run standardized its features, their mean and std are written next to the export
(preprocessing.json) — the exported network does not include that step.

--format pytorch needs a run directory of "gradiente train": it writes train.py, the run's data
as prepared (data/*.npy), its sample order and the starting weights (--weights initial, the
default, or current); train.py writes the trained weights to trained/, and
"gradiente import --from DIR --out runs/NEW" brings them back. An existing --out is replaced
only with --force, as a whole (no file of an older export stays).`;

const FORMATS = ['tfjs', 'onnx', 'pytorch'] as const;
type Format = (typeof FORMATS)[number];
const WEIGHTS = ['initial', 'current'] as const;

export function registerExport(program: Command): void {
  const cmd = program
    .command('export')
    .description('write a model in TensorFlow.js Layers format or as ONNX, or a training run as a PyTorch project')
    .requiredOption('--model <dir>', 'the model: a run directory, a model directory or its model.json')
    .requiredOption('--format <name>', 'tfjs (a directory: model.json + weights.bin), onnx (one .onnx file) or pytorch (a training project: train.py + data)')
    .requiredOption('--out <path>', 'where to write: a directory for tfjs and pytorch, a file for onnx')
    .option('--opset <n>', 'ONNX operator set, 17 to 20 (default 17)')
    .option('--weights <which>', "pytorch: start from the run's initial weights (default) or its current (trained) ones")
    .option('--force', 'replace what --out holds (by default an existing non-empty --out is an error)')
    .option('--json', 'print one JSON object');
  addCommonOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (_opts: unknown, command: Command) => {
    process.exitCode = await exportCommand(flagsGiven(command), processConsole);
  });
}

export async function exportCommand(flags: Record<string, unknown>, console: Console): Promise<number> {
  const format: Format = v.choice(flags.format, FORMATS, v.flagSource('--format'));
  const out = v.text(flags.out, v.flagSource('--out'));
  const opset = flags.opset === undefined ? undefined : v.integer(flags.opset, v.flagSource('--opset'));
  const force = flags.force === true;
  if (format !== 'onnx' && opset !== undefined) throw new CliError('--opset applies to --format onnx only');
  if (format !== 'pytorch' && flags.weights !== undefined) throw new CliError('--weights applies to --format pytorch only (the other formats hold the current weights)');
  if (format === 'onnx' && !out.toLowerCase().endsWith('.onnx')) throw new CliError(`--out ${out}: an ONNX model is one file; give it the .onnx extension`);
  if (format === 'pytorch') return exportPytorch(flags, out, force, console);
  const location = await modelInRun(v.text(flags.model, v.flagSource('--model')));
  const { model, trainingConfig } = await importModel(location);
  // Class names, categories, scaling and what the outputs mean travel with the export.
  const scalingJson = preprocessingDescription(trainingConfig, model.compileConfig);
  let exported = { files: [] as string[], bytes: 0 };
  let preprocessingFile: string | null = null;
  if (format === 'tfjs') {
    await refuseNonEmpty(out, force);
    // The whole directory is replaced: no preprocessing.json of an older export can outlive it.
    await replaceDirectory(out, force, async (staging) => {
      const written = await exportModel(model, { format, out: staging });
      if (scalingJson !== null) await writeJsonAtomic(path.join(staging, 'preprocessing.json'), scalingJson);
      exported = { files: written.files.map((f) => path.join(out, path.relative(staging, f))), bytes: written.bytes };
    });
    if (scalingJson !== null) preprocessingFile = path.join(out, 'preprocessing.json');
  } else {
    const sidecar = out.replace(/\.onnx$/i, '.preprocessing.json');
    if (!force && (await exists(out))) throw new CliError(`--out ${out} already exists; choose another file, or pass --force to replace it`);
    exported = await exportModel(model, { format, out, ...(opset !== undefined ? { opset } : {}) });
    if (scalingJson !== null) {
      preprocessingFile = sidecar;
      await writeJsonAtomic(sidecar, scalingJson);
    } else {
      await fs.rm(sidecar, { force: true }); // an older export's scaling would not describe this model
    }
  }
  if (flags.json === true) {
    console.out(JSON.stringify({ format, files: exported.files, bytes: exported.bytes, preprocessing: preprocessingFile }));
    return 0;
  }
  console.out(`exported ${model.countParameters()} parameters as ${format === 'tfjs' ? 'TensorFlow.js Layers format' : `ONNX (opset ${opset ?? 17})`} (${exported.bytes} bytes):`);
  for (const file of exported.files) console.out(`  ${file}`);
  if (preprocessingFile !== null) {
    console.out(`how to prepare its inputs and read its outputs (columns, categories, scaling, class names): ${preprocessingFile}`);
  }
  return 0;
}

/** Before any work: an --out directory that holds files is replaced only with --force. */
async function refuseNonEmpty(out: string, force: boolean): Promise<void> {
  if (force || !(await exists(out))) return;
  const stat = await fs.stat(out);
  if (!stat.isDirectory()) throw new CliError(`--out ${out} is a file; this export is a directory: choose another name, or pass --force to replace the file`);
  if ((await fs.readdir(out)).length > 0) throw new CliError(`--out ${out} already holds files; choose a new directory, or pass --force to replace it (its files are removed)`);
}

/**
 * --format pytorch: the run read again exactly as gradiente train read it (same data, split,
 * scaling, initial weights from the seed, sample order from the seed), written as a project.
 */
async function exportPytorch(flags: Record<string, unknown>, out: string, force: boolean, console: Console): Promise<number> {
  const location = v.text(flags.model, v.flagSource('--model'));
  const weights = flags.weights === undefined ? 'initial' : v.choice(flags.weights, WEIGHTS, v.flagSource('--weights'));
  await refuseNonEmpty(out, force);
  const saved = await loadSavedRun(location);
  const { settings } = saved;
  const run = await prepareRun(settings);
  checkSameData(location, saved.preprocessing, run.data.preprocessing);
  if (weights === 'current') {
    copyWeights(saved.model, run.model);
    // The saved model predicts in the target's units; train.py continues in the standard units training used.
    unfoldTargetScaling(run.model, run.data.preprocessing);
  }

  // NOTE: the run's shuffling generator, seeded as gradiente train seeds it (train.ts); each
  // epoch draws one permutation. The same-trajectory test fails if the two ever part.
  const shuffle = new Random((settings.seed ^ 0x9e3779b9) >>> 0);
  const order = Array.from({ length: settings.epochs }, () => shuffle.permutation(run.trainSamples));
  const n = run.data.xTrain.shape[0]!;
  const nTrain = run.trainSamples;
  const exported = await exportPytorchProject({
    out,
    force,
    model: run.model,
    weights,
    loss: run.plan.loss,
    lossOptions: { fromLogits: run.plan.fromLogits },
    targetEncoding: run.plan.targetEncoding,
    metrics: run.plan.metrics,
    data: {
      xTrain: slice(run.data.xTrain, 0, nTrain),
      yTrain: slice(run.yTrain, 0, nTrain),
      xValidation: slice(run.data.xTrain, nTrain, n),
      yValidation: slice(run.yTrain, nTrain, n),
      xTest: run.data.xTest,
      // Standard units, like the training targets (the import folds the scaling back into the last layer).
      yTest: scaledTargets(run.yTest, run.data.preprocessing),
    },
    batchSize: run.batchSize,
    epochs: settings.epochs,
    seed: settings.seed,
    order,
    source: run.data.description,
    trainingConfig: { settings, preprocessing: run.data.preprocessing, targetEncoding: run.plan.targetEncoding },
  });

  const notes: string[] = [];
  if (settings.earlyStopping !== undefined) notes.push(`the run used --early-stopping ${settings.earlyStopping}; train.py runs all ${settings.epochs} epochs (pass --epochs to train.py for fewer)`);
  if (flags.json === true) {
    console.out(JSON.stringify({ format: 'pytorch', dir: out, weights, files: exported.files, bytes: exported.bytes, notes }));
    return 0;
  }
  console.out(`exported the run as a PyTorch project (${exported.files.length} files, ${exported.bytes} bytes) in ${out}:`);
  console.out(`  train.py, data/ (${nTrain} train, ${n - nTrain} validation, ${run.data.xTest.shape[0]} test samples, the sample order of ${settings.epochs} epochs), initial/ (the run's ${weights} weights)`);
  for (const note of notes) console.out(`note: ${note}`);
  console.out('next:');
  console.out(`  cd ${out} && python3 train.py              # one process; --processes 2 for two, or torchrun --nproc_per_node=2 train.py`);
  console.out(`  gradiente import --from ${out} --out runs/from-pytorch`);
  return 0;
}

/** The data read again must be what the run trained on (a CSV edited since would silently differ). */
function checkSameData(location: string, recorded: Preprocessing, now: Preprocessing): void {
  const same = JSON.stringify([recorded.inputDim, recorded.featureNames, recorded.classNames, recorded.scaling]) === JSON.stringify([now.inputDim, now.featureNames, now.classNames, now.scaling]);
  if (!same) {
    throw new CliError(`--model ${location}: its data, read again, is not what the run trained on (features, classes or scaling differ); was the data file changed since? Train again on the current data`);
  }
}

function copyWeights(from: Sequential, to: Sequential): void {
  const target = new Map(to.namedParameters());
  for (const [name, t] of from.namedParameters()) {
    const dest = target.get(name);
    if (dest === undefined || dest.size !== t.size) throw new CliError(`the run's saved model does not match its settings (parameter ${name}); it cannot be exported with --weights current`);
    dest.data.set(t.data);
  }
}

