/**
 * gradiente import: read a model made elsewhere (TensorFlow.js Layers format, or the weights
 * trained by an exported PyTorch project) or by gradiente, check it, describe it and
 * optionally save it in gradiente's format.
 */
import type { Command } from 'commander';
import { importModel, importPytorchProject, isPytorchProject, saveModel } from '../../node.js';
import { processConsole, type Console } from '../console.js';
import { exportedTrainingRecord } from '../export-preprocessing.js';
import type { Preprocessing } from '../data-source.js';
import { foldTargetScaling } from '../target-scaling.js';
import * as v from '../values.js';
import { addCommonOptions, flagsGiven } from './common.js';

const EXAMPLES = `
Examples:
  $ gradiente import --from tfjs-model/model.json
  $ gradiente import --from tfjs-model --out models/imported
  $ gradiente import --from tfjs-model --json
  $ gradiente import --from f-torch --out runs/f2      # a project of "gradiente export --format pytorch", after train.py

Layers gradiente does not have (Conv2D, BatchNormalization, ...) are named in the error.`;

export function registerImport(program: Command): void {
  const cmd = program
    .command('import')
    .description('read a TensorFlow.js (or gradiente) model or the weights a PyTorch export trained, check it, describe it, optionally save it')
    .requiredOption('--from <path>', 'the model directory or its model.json, or a PyTorch project written by gradiente export (its trained/ weights)')
    .option('--out <dir>', "save it here in gradiente's format (model.json + weights.bin)")
    .option('--json', 'print one JSON object');
  addCommonOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (_opts: unknown, command: Command) => {
    process.exitCode = await importCommand(flagsGiven(command), processConsole);
  });
}

export async function importCommand(flags: Record<string, unknown>, console: Console): Promise<number> {
  const from = v.text(flags.from, v.flagSource('--from'));
  const out = flags.out === undefined ? null : v.text(flags.out, v.flagSource('--out'));
  if (await isPytorchProject(from)) return importPytorch(from, out, flags.json === true, console);
  const imported = await importModel(from);
  const { model, format, path } = imported;
  // A TensorFlow.js export of a gradiente run carries the run's record beside it (preprocessing.json).
  const trainingConfig = imported.trainingConfig ?? (format === 'tfjs' ? await exportedTrainingRecord(model, path) : undefined);
  // A gradiente model keeps its record of how inputs were prepared (evaluate and predict need it).
  const saved = out === null ? null : await saveModel(model, out, trainingConfig !== undefined ? { trainingConfig } : {});
  if (flags.json === true) {
    const layers = model.namedParameters().map(([name, t]) => ({ name, shape: [...t.shape] }));
    console.out(JSON.stringify({ format, path, parameters: model.countParameters(), weights: layers, savedTo: saved?.modelJson ?? null }));
    return 0;
  }
  console.out(`${path}: a ${format === 'tfjs' ? 'TensorFlow.js' : 'gradiente'} model with ${model.countParameters()} parameters`);
  console.out(model.summary());
  if (saved !== null) console.out(`saved in gradiente's format: ${saved.modelJson}`);
  return 0;
}

/**
 * The weights an exported PyTorch project trained, checked against what was exported, saved
 * with the run's record of how inputs are prepared: evaluate and predict take the result.
 */
async function importPytorch(from: string, out: string | null, json: boolean, console: Console): Promise<number> {
  const { model, path, trainingConfig, lossOptions } = await importPytorchProject(from);
  // train.py trained on the standardized target (as gradiente train does): the last layer takes back its units.
  const pre = (trainingConfig as { preprocessing?: Preprocessing } | undefined)?.preprocessing;
  if (pre !== undefined) foldTargetScaling(model, pre);
  const saved =
    out === null
      ? null
      : await saveModel(model, out, { includeOptimizer: false, ...(trainingConfig !== undefined ? { trainingConfig } : {}), ...(lossOptions !== undefined ? { lossOptions } : {}) });
  if (json) {
    const layers = model.namedParameters().map(([name, t]) => ({ name, shape: [...t.shape] }));
    console.out(JSON.stringify({ format: 'pytorch', path, parameters: model.countParameters(), weights: layers, savedTo: saved?.modelJson ?? null }));
    return 0;
  }
  console.out(`${path}: weights trained by PyTorch (exported by gradiente), ${model.countParameters()} parameters`);
  console.out(model.summary());
  if (saved !== null) console.out(`saved in gradiente's format: ${saved.modelJson} (gradiente evaluate --model ${out} ...)`);
  return 0;
}
