/**
 * gradiente export: hand a model on to the wider ecosystem — TensorFlow.js Layers format
 * (model.json + weights.bin, loadable by TensorFlow.js and convertible to Keras) or ONNX
 * (ONNX Runtime, and from there PyTorch and others).
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { exportModel, importModel, type ExportFormat } from '../../node.js';
import { processConsole, type Console } from '../console.js';
import { CliError } from '../errors.js';
import { writeJsonAtomic } from '../files.js';
import { modelInRun } from '../saved-model.js';
import * as v from '../values.js';
import { addCommonOptions, flagsGiven } from './common.js';

const EXAMPLES = `
Examples:
  $ gradiente export --model runs/digits --format tfjs --out exported/digits-tfjs
  $ gradiente export --model runs/digits --format onnx --out exported/digits.onnx
  $ gradiente export --model some-tfjs-model/model.json --format onnx --out model.onnx --opset 20

--model takes a run directory of "gradiente train", a model directory or its model.json
(gradiente's format or TensorFlow.js's). Inputs must be prepared as in training: when the
run standardized its features, their mean and std are written next to the export
(preprocessing.json) — the exported network does not include that step.`;

const FORMATS: readonly ExportFormat[] = ['tfjs', 'onnx'];

export function registerExport(program: Command): void {
  const cmd = program
    .command('export')
    .description('write a model in TensorFlow.js Layers format or as ONNX')
    .requiredOption('--model <dir>', 'the model: a run directory, a model directory or its model.json')
    .requiredOption('--format <name>', 'tfjs (a directory: model.json + weights.bin) or onnx (one .onnx file)')
    .requiredOption('--out <path>', 'where to write: a directory for tfjs, a file for onnx')
    .option('--opset <n>', 'ONNX operator set, 17 to 20 (default 17)')
    .option('--json', 'print one JSON object');
  addCommonOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (_opts: unknown, command: Command) => {
    process.exitCode = await exportCommand(flagsGiven(command), processConsole);
  });
}

export async function exportCommand(flags: Record<string, unknown>, console: Console): Promise<number> {
  const format = v.choice(flags.format, FORMATS, v.flagSource('--format'));
  const out = v.text(flags.out, v.flagSource('--out'));
  const opset = flags.opset === undefined ? undefined : v.integer(flags.opset, v.flagSource('--opset'));
  if (format === 'tfjs' && opset !== undefined) throw new CliError('--opset applies to --format onnx only');
  if (format === 'onnx' && !out.toLowerCase().endsWith('.onnx')) throw new CliError(`--out ${out}: an ONNX model is one file; give it the .onnx extension`);
  const location = await modelInRun(v.text(flags.model, v.flagSource('--model')));
  const { model, trainingConfig } = await importModel(location);
  const exported = await exportModel(model, { format, out, ...(opset !== undefined ? { opset } : {}) });

  const scaling = trainingScaling(trainingConfig);
  let preprocessingFile: string | null = null;
  if (scaling !== null) {
    preprocessingFile = format === 'tfjs' ? path.join(out, 'preprocessing.json') : out.replace(/\.onnx$/i, '.preprocessing.json');
    await writeJsonAtomic(preprocessingFile, { note: 'standardize each input feature before the model: (x - mean) / std', ...scaling });
  }
  if (flags.json === true) {
    console.out(JSON.stringify({ format, files: exported.files, bytes: exported.bytes, preprocessing: preprocessingFile }));
    return 0;
  }
  console.out(`exported ${model.countParameters()} parameters as ${format === 'tfjs' ? 'TensorFlow.js Layers format' : `ONNX (opset ${opset ?? 17})`} (${exported.bytes} bytes):`);
  for (const file of exported.files) console.out(`  ${file}`);
  if (preprocessingFile !== null) {
    console.out(`inputs must be standardized as in training: mean and std per feature in ${preprocessingFile}`);
  }
  return 0;
}

/** The feature scaling gradiente train recorded with the model, if any. */
function trainingScaling(trainingConfig: Record<string, unknown> | undefined): { featureNames: string[] | null; mean: number[]; std: number[] } | null {
  const pre = (trainingConfig as { preprocessing?: { featureNames?: string[] | null; scaling?: { mean: number[]; std: number[] } | null } } | undefined)?.preprocessing;
  if (pre?.scaling == null) return null;
  return { featureNames: pre.featureNames ?? null, mean: pre.scaling.mean, std: pre.scaling.std };
}
