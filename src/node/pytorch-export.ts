/**
 * A gradiente model and its training, written as a runnable PyTorch project (train.py, the
 * prepared data as .npy, the starting weights, gradiente's sample order), and the weights
 * that project trained, read back. What `gradiente export --format pytorch` and
 * `gradiente import --from PROJECT` call. Node-only.
 *
 * Project layout:
 *   train.py                the training (src/io/pytorch-script.ts)
 *   data/*.npy              x/y of train, validation and test as the run prepared them; order.npy;
 *                           x_values.npy when the inputs take at most 256 values (x_*.npy are then byte codes)
 *   initial/NAME.npy        the starting weights, one file per gradiente parameter name
 *   gradiente-model.json    the model.json train.py writes with the trained weights
 *   gradiente-export.json   what was exported (the marker import looks for)
 *   trained/                written by train.py: model.json + weights.bin + log.json
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ModelFormatError, ValueError } from '../errors.js';
import { modelToArtifacts, type NativeModelJson } from '../io/native.js';
import { encodeNpy } from '../io/pytorch-npy.js';
import { pytorchTrainScript, type PytorchProjectSpec, type PytorchTargetEncoding } from '../io/pytorch-script.js';
import { asArray, asInteger, asObject, asString, JsonPath, parseJson } from '../io/validate.js';
import type { CrossentropyOptions, LossName } from '../losses/index.js';
import type { Sequential } from '../nn/sequential.js';
import type { Tensor } from '../tensor/tensor.js';
import { syncDirectory } from './atomic-file.js';
import { loadModelFile, readModelFile } from './model-files.js';

export const PYTORCH_PROJECT_FORMAT = 'gradiente-pytorch-project';
export const PYTORCH_PROJECT_MARKER = 'gradiente-export.json';

export interface PytorchProjectData {
  xTrain: Tensor;
  yTrain: Tensor;
  xValidation: Tensor;
  yValidation: Tensor;
  xTest: Tensor;
  yTest: Tensor;
}

export interface PytorchExportOptions {
  /** The project directory to write. */
  out: string;
  /** Replace a non-empty `out` (default false: refuse). */
  force?: boolean;
  /** A compiled model holding the weights training starts from; its optimizer (type, hyper, schedule) is exported. */
  model: Sequential;
  /** Whether those are the run's initial weights or its trained (current) ones (for the header). */
  weights: 'initial' | 'current';
  loss: LossName;
  lossOptions?: CrossentropyOptions & { delta?: number };
  targetEncoding: PytorchTargetEncoding;
  metrics: string[];
  /** The data as training saw it: targets encoded as the loss compares them. */
  data: PytorchProjectData;
  /** Samples per iteration (resolved, at most the training samples). */
  batchSize: number;
  epochs: number;
  seed: number;
  /** The order of the training samples, one permutation per epoch, as gradiente drew them. */
  order: Int32Array[];
  /** Where the data came from (one line). */
  source: string;
  /** Kept in the trained model's model.json (gradiente train's record of how inputs were prepared). */
  trainingConfig?: object;
}

export interface PytorchExport {
  dir: string;
  files: string[];
  bytes: number;
}

function float32(t: Tensor): Float32Array {
  return t.data instanceof Float32Array ? t.data : Float32Array.from(t.data);
}

/** Write the project. `out` is replaced as a whole, never merged with an older export. */
export async function exportPytorchProject(options: PytorchExportOptions): Promise<PytorchExport> {
  const { model, data, out } = options;
  if (options.force !== true && !(await isEmptyOrMissing(out))) {
    throw new ValueError(`${out} already holds files; choose a new directory, or pass --force to replace it (its files are removed)`);
  }
  const nTrain = data.xTrain.shape[0]!;
  if (options.order.length === 0 || options.order.some((p) => p.length !== nTrain)) {
    throw new ValueError(`exportPytorchProject: order must hold one permutation of the ${nTrain} training samples per epoch`);
  }
  const compiled = model.compileConfig;
  if (compiled === null) throw new ValueError('exportPytorchProject: the model must be compiled (its optimizer and schedule are exported)');
  const optimizer = model.optimizer.stateDict();
  const artifacts = modelToArtifacts(model, {
    includeOptimizer: false,
    ...(options.lossOptions !== undefined ? { lossOptions: options.lossOptions } : {}),
    ...(options.trainingConfig !== undefined ? { trainingConfig: options.trainingConfig } : {}),
  });
  const template: NativeModelJson = { ...artifacts.modelJson, weightsManifest: { ...artifacts.modelJson.weightsManifest, path: 'weights.bin' } };
  const parameters = model.namedParameters().map(([name, t]) => ({ name, shape: [...t.shape] }));
  const spec: PytorchProjectSpec = {
    inputDim: data.xTrain.shape[1]!,
    layers: template.layers,
    parameters,
    loss: options.loss,
    fromLogits: options.lossOptions?.fromLogits ?? false,
    ...(options.lossOptions?.delta !== undefined ? { delta: options.lossOptions.delta } : {}),
    targetEncoding: options.targetEncoding,
    metrics: options.metrics,
    optimizer: { type: optimizer.type, hyper: optimizer.hyper },
    learningRate: optimizer.learningRate,
    batchSize: options.batchSize,
    epochs: options.epochs,
    seed: options.seed,
    samples: { train: nTrain, validation: data.xValidation.shape[0]!, test: data.xTest.shape[0]! },
    recordedEpochs: options.order.length,
    weights: options.weights,
    source: options.source,
  };

  const files = new Map<string, string | Uint8Array>();
  files.set('train.py', pytorchTrainScript(spec));
  const npy = (t: Tensor): Uint8Array => encodeNpy(float32(t), t.rank === 1 ? [t.shape[0]!] : t.shape);
  const inputs = { x_train: data.xTrain, x_validation: data.xValidation, x_test: data.xTest };
  const palette = valueTable(Object.values(inputs).map(float32));
  for (const [name, x] of Object.entries(inputs)) {
    files.set(`data/${name}.npy`, palette === null ? npy(x) : encodeNpy(codesOf(float32(x), palette), x.shape));
  }
  if (palette !== null) files.set('data/x_values.npy', encodeNpy(palette, [palette.length]));
  files.set('data/y_train.npy', npy(data.yTrain));
  files.set('data/y_validation.npy', npy(data.yValidation));
  files.set('data/y_test.npy', npy(data.yTest));
  const order = new Int32Array(options.order.length * nTrain);
  options.order.forEach((p, e) => order.set(p, e * nTrain));
  files.set('data/order.npy', encodeNpy(order, [options.order.length, nTrain]));
  for (const [name, t] of model.namedParameters()) files.set(`initial/${name}.npy`, encodeNpy(float32(t), t.shape));
  files.set('gradiente-model.json', `${JSON.stringify(template, null, 1)}\n`);
  files.set(PYTORCH_PROJECT_MARKER, `${JSON.stringify({ format: PYTORCH_PROJECT_FORMAT, version: 1, weights: options.weights, parameters, source: options.source }, null, 1)}\n`);
  files.set('README.md', projectReadme(spec));

  return writeProject(out, options.force === true, files);
}

/**
 * The distinct values of the inputs, sorted, when there are at most 256 (pixels: a byte each,
 * scaled), else null. Such inputs are written as one byte per value, an index into this table:
 * a quarter of the size, and the same float32 numbers once train.py looks them up.
 */
function valueTable(arrays: Float32Array[]): Float32Array | null {
  const seen = new Set<number>();
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (seen.has(v)) continue;
      if (Number.isNaN(v) || seen.size === 256) return null;
      seen.add(v);
    }
  }
  return Float32Array.from([...seen].sort((a, b) => a - b));
}

function codesOf(values: Float32Array, table: Float32Array): Uint8Array {
  const code = new Map<number, number>();
  table.forEach((v, k) => code.set(v, k));
  return Uint8Array.from(values, (v) => code.get(v)!);
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) throw new ValueError(`${dir} is a file; this export is a directory`);
    return (await fs.readdir(dir)).length === 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    if (code === 'ENOTDIR') throw new ValueError(`${dir} is a file; the export is a directory`);
    throw error;
  }
}

/**
 * Fill a fresh directory beside `out`, then put it in place of `out`: an older content is
 * moved aside and removed only once the new one is complete, so `out` never mixes files of
 * two exports, and a failure leaves the old one as it was. Refuses a non-empty `out`
 * unless `force`.
 */
export async function replaceDirectory(out: string, force: boolean, fill: (staging: string) => Promise<void>): Promise<void> {
  if (!force && !(await isEmptyOrMissing(out))) {
    throw new ValueError(`${out} already holds files; choose a new directory, or pass --force to replace it (its files are removed)`);
  }
  const parent = path.dirname(path.resolve(out));
  await fs.mkdir(parent, { recursive: true });
  const id = randomBytes(6).toString('hex');
  const staging = path.join(parent, `.${path.basename(out)}.${id}.tmp`);
  const old = path.join(parent, `.${path.basename(out)}.${id}.old`);
  try {
    await fs.mkdir(staging);
    await fill(staging);
    let movedAside = false;
    try {
      await fs.rename(out, old);
      movedAside = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      await fs.rename(staging, out);
    } catch (error) {
      if (movedAside) await fs.rename(old, out);
      throw error;
    }
    await syncDirectory(parent);
    if (movedAside) await fs.rm(old, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function writeProject(out: string, force: boolean, files: Map<string, string | Uint8Array>): Promise<PytorchExport> {
  let bytes = 0;
  await replaceDirectory(out, force, async (staging) => {
    for (const [name, content] of files) {
      const file = path.join(staging, name);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content);
      bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
    }
    await fs.chmod(path.join(staging, 'train.py'), 0o755);
  });
  return { dir: out, files: [...files.keys()].map((f) => path.join(out, f)), bytes };
}

function projectReadme(spec: PytorchProjectSpec): string {
  return [
    '# PyTorch training exported by gradiente',
    '',
    `Data: ${spec.source}. Loss ${spec.loss}${spec.fromLogits ? ' (from logits)' : ''}, optimizer ${spec.optimizer.type}, batch size ${spec.batchSize}, ${spec.epochs} epochs, seed ${spec.seed}.`,
    '',
    'Needs Python 3 with `torch` and `numpy`.',
    '',
    '```sh',
    'python3 train.py                       # one process',
    'python3 train.py --processes 2         # two local processes (DistributedDataParallel over gloo)',
    'torchrun --nproc_per_node=2 train.py   # the same under torchrun; add --nnodes for several machines',
    'gradiente import --from . --out ../runs/from-pytorch',
    '```',
    '',
    '- `data/`: the samples exactly as the gradiente run trained on them (split, scaled, targets encoded), and',
    "  `order.npy`, gradiente's order of the training samples in every epoch, so a run here takes the same batches.",
    "- `initial/`: the starting weights, one `.npy` per gradiente parameter (a Dense kernel is [inputs, units]).",
    '- `checkpoints/last.pt`: written after every epoch; `python3 train.py --resume` continues from it.',
    "- `trained/`: the weights at the end in gradiente's format, with `log.json` (loss of every iteration, epochs, test).",
    '',
    'The batch of an iteration is the same samples whatever the number of processes: N processes',
    'each compute the gradient on about batch/N of them and DistributedDataParallel averages the',
    "gradients, so the learning rate stays the run's.",
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- import back

export interface PytorchImport {
  model: Sequential;
  /** The trained model.json read. */
  path: string;
  trainingConfig?: Record<string, unknown>;
  lossOptions?: CrossentropyOptions & { delta?: number };
}

/** True when `dir` is a project written by exportPytorchProject. */
export async function isPytorchProject(dir: string): Promise<boolean> {
  try {
    await fs.access(path.join(dir, PYTORCH_PROJECT_MARKER));
    return true;
  } catch {
    return false;
  }
}

/**
 * The weights a project's train.py wrote (trained/), checked as any untrusted model file
 * (sizes, shapes, NaN: src/io/native.ts), and then against what was exported: the same
 * parameter names with the same shapes, in the same order.
 */
export async function importPytorchProject(dir: string): Promise<PytorchImport> {
  const markerPath = path.join(dir, PYTORCH_PROJECT_MARKER);
  const marker = parseMarker(parseJson(await readSmallText(markerPath), markerPath), markerPath);
  const trainedDir = path.join(dir, 'trained');
  try {
    await fs.access(path.join(trainedDir, 'model.json'));
  } catch {
    throw new ModelFormatError(`${dir}: has no trained/model.json yet; run "python3 train.py" in it first (it writes the trained weights there)`);
  }
  const file = await readModelFile(trainedDir);
  const got = file.json.weightsManifest.weights.map((w) => ({ name: w.name, shape: w.shape }));
  const describe = (ws: { name: string; shape: number[] }[]): string => ws.map((w) => `${w.name} [${w.shape.join(', ')}]`).join(', ');
  if (got.length !== marker.length || got.some((w, i) => w.name !== marker[i]!.name || w.shape.join() !== marker[i]!.shape.join())) {
    throw new ModelFormatError(`${file.jsonPath}: its weights (${describe(got)}) are not the ones exported (${describe(marker)}); was the project's model changed?`);
  }
  const model = await loadModelFile(file);
  const lossOptions = file.json.training?.lossOptions;
  return {
    model,
    path: file.jsonPath,
    ...(file.json.trainingConfig !== undefined ? { trainingConfig: file.json.trainingConfig } : {}),
    ...(lossOptions !== undefined ? { lossOptions } : {}),
  };
}

async function readSmallText(file: string): Promise<string> {
  const stat = await fs.stat(file);
  if (stat.size > 4 * 1024 * 1024) throw new ModelFormatError(`${file}: is ${stat.size} bytes; an export record is a few kilobytes`);
  return fs.readFile(file, 'utf8');
}

function parseMarker(raw: unknown, source: string): { name: string; shape: number[] }[] {
  const at = new JsonPath(source);
  const o = asObject(raw, at);
  if (o.format !== PYTORCH_PROJECT_FORMAT) at.key('format').fail(`must be '${PYTORCH_PROJECT_FORMAT}'`);
  asInteger(o.version, at.key('version'), 1, 1);
  return asArray(o.parameters, at.key('parameters')).map((p, i) => {
    const pAt = at.key('parameters').index(i);
    const entry = asObject(p, pAt);
    return { name: asString(entry.name, pAt.key('name')), shape: asArray(entry.shape, pAt.key('shape')).map((d, j) => asInteger(d, pAt.key('shape').index(j), 0, 2 ** 31 - 1)) };
  });
}
