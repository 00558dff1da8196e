/**
 * gradiente export --format pytorch and back: the exported train.py follows gradiente's own
 * training iteration for iteration, runs on two processes (DistributedDataParallel over gloo),
 * and the weights it trains come back through gradiente import, checked like any other file.
 *
 * The PyTorch parts need /usr/bin/python3 with torch and numpy (Debian: python3-torch); they
 * are skipped, saying so, where it has none. The import checks run everywhere.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel, Tensor } from '../../src/node.js';
import { prepareRun } from '../../src/cli/session.js';
import { buildOnce, ROOT, runCli, tempDir, type CliResult } from './cli-harness.js';

const PYTHON = '/usr/bin/python3';
const torchCheck = spawnSync(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
const torchVersion = torchCheck.status === 0 ? torchCheck.stdout.trim() : null;
if (torchVersion === null) {
  console.warn(`pytorch-export.test.ts: SKIPPING the PyTorch runs: ${PYTHON} cannot import torch and numpy (install Debian's python3-torch and python3-numpy)`);
}
const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
const hasFashion = existsSync(path.join(FASHION_DIR, 'train-images-idx3-ubyte.gz'));
// The two-process run wants a real data set: Fashion-MNIST where Debian's dataset-fashion-mnist is
// installed, else the built-in MNIST digits (real too, and always there).
const REAL_DATA = hasFashion ? { name: 'Fashion-MNIST', flag: 'fashion-mnist' } : { name: 'the built-in MNIST digits', flag: 'mnist' };
if (torchVersion !== null && !hasFashion) {
  console.warn(`pytorch-export.test.ts: no Fashion-MNIST in ${FASHION_DIR} (Debian's dataset-fashion-mnist): the two-process run uses the built-in MNIST digits`);
}

let work = '';

beforeAll(() => {
  buildOnce();
  work = tempDir('gradiente-pytorch-');
}, 120_000);

async function cli(args: string[]): Promise<CliResult> {
  const result = await runCli(args, { timeoutMs: 120_000 });
  expect(result.code, `gradiente ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

function python(args: string[], cwd: string): string {
  const result = spawnSync(PYTHON, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  expect(result.status, `python3 ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

/** The values of a .npy file (version 1.0, float32 or uint8, as the export writes them). */
function readNpy(file: string): Float32Array | Uint8Array {
  const bytes = readFileSync(file);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString();
  const data = bytes.buffer.slice(bytes.byteOffset + 10 + headerLength, bytes.byteOffset + bytes.byteLength);
  return header.includes("'|u1'") ? new Uint8Array(data) : new Float32Array(data);
}

/** An exported input set as float32: byte codes are looked up in x_values.npy. */
function readInputs(project: string, name: string): Float32Array {
  const x = readNpy(path.join(project, 'data', `${name}.npy`));
  if (x instanceof Float32Array) return x;
  const values = readNpy(path.join(project, 'data', 'x_values.npy')) as Float32Array;
  return Float32Array.from(x, (code) => values[code]!);
}

function maxRelativeDifference(a: readonly number[], b: readonly number[]): number {
  let worst = 0;
  a.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - b[i]!) / Math.max(Math.abs(x), 1e-12))));
  return worst;
}

async function maxWeightDifference(dirA: string, dirB: string): Promise<number> {
  const [a, b] = [await loadModel(dirA), await loadModel(dirB)];
  const other = new Map(b.namedParameters());
  let worst = 0;
  for (const [name, t] of a.namedParameters()) {
    const u = other.get(name)!;
    expect(u.shape, name).toEqual(t.shape);
    t.data.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - u.data[i]!))));
  }
  return worst;
}

interface TorchLog {
  iterationLoss: number[];
  test: Record<string, number>;
  processes: number;
  epochs: { samplesPerSecond: number }[];
}

// A 2-hidden-layer MLP without dropout on 576 MNIST digits: 18 iterations per epoch, 6 epochs = 108 iterations.
const MLP = ['--data', 'mnist', '--samples', '640', '--layers', '32,16', '--epochs', '6', '--batch-size', '32', '--seed', '7'];
const CASES = [
  { name: 'SGD with momentum', flags: ['--optimizer', 'momentum', '--momentum', '0.9', '--lr', '0.05'] },
  // Raw scores out, cross-entropy from logits: the fromLogits form of the loss.
  { name: 'Adam with a cosine schedule (from logits)', flags: ['--optimizer', 'adam', '--lr', '0.003', '--lr-schedule', 'cosine', '--output-activation', 'linear'] },
  { name: 'RMSprop', flags: ['--optimizer', 'rmsprop', '--lr', '0.002'] },
];

describe.skipIf(torchVersion === null)(`the exported train.py (PyTorch ${torchVersion ?? 'missing'})`, () => {
  it.each(CASES)('follows gradiente iteration by iteration: $name', async ({ name, flags }) => {
    const run = path.join(work, name.replace(/\W+/g, '-'));
    const project = `${run}-torch`;
    await cli(['train', ...MLP, ...flags, '--out', run, '--quiet']);
    await cli(['export', '--model', run, '--format', 'pytorch', '--out', project]);
    python(['train.py'], project);

    const gradiente = JSON.parse(readFileSync(path.join(run, 'history.json'), 'utf8')) as { iterationLoss: number[] };
    const torch = JSON.parse(readFileSync(path.join(project, 'trained', 'log.json'), 'utf8')) as TorchLog;
    expect(gradiente.iterationLoss.length).toBeGreaterThanOrEqual(100);
    expect(torch.iterationLoss.length).toBe(gradiente.iterationLoss.length);
    expect(maxRelativeDifference(gradiente.iterationLoss, torch.iterationLoss)).toBeLessThan(1e-4);
    expect(await maxWeightDifference(path.join(run, 'model'), path.join(project, 'trained'))).toBeLessThan(1e-4);
  }, 180_000);

  it('resumes from its checkpoint, comes back through gradiente import predicting as PyTorch did, and evaluate takes it', async () => {
    const run = path.join(work, 'roundtrip');
    const project = `${run}-torch`;
    const back = `${run}-back`;
    await cli(['train', ...MLP, '--epochs', '2', '--out', run, '--quiet']);
    await cli(['export', '--model', run, '--format', 'pytorch', '--out', project]);
    // Stopped after one epoch and resumed: the iterations are those of the uninterrupted run.
    python(['train.py', '--epochs', '1'], project);
    expect(python(['train.py', '--resume'], project)).toContain('resuming after epoch 1 (iteration 18)');
    const gradiente = JSON.parse(readFileSync(path.join(run, 'history.json'), 'utf8')) as { iterationLoss: number[] };
    const resumed = JSON.parse(readFileSync(path.join(project, 'trained', 'log.json'), 'utf8')) as TorchLog;
    expect(resumed.iterationLoss.length).toBe(gradiente.iterationLoss.length);
    expect(maxRelativeDifference(gradiente.iterationLoss, resumed.iterationLoss)).toBeLessThan(1e-4);
    const imported = await cli(['import', '--from', project, '--out', back]);
    expect(imported.stdout).toContain('weights trained by PyTorch');

    const predictions = path.join(work, 'torch-predictions.bin');
    python([path.join(ROOT, 'test/cli/pytorch_predict.py'), project, predictions], project);
    const torchOut = new Float32Array(readFileSync(predictions).buffer.slice(0));
    const xTest = readInputs(project, 'x_test');
    const model = await loadModel(back);
    const d = model.namedParameters()[0]![1].shape[0]!;
    const ours = model.predict(new Tensor(xTest, [xTest.length / d, d]));
    expect(ours.size).toBe(torchOut.length);
    let worst = 0;
    ours.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - torchOut[i]!))));
    expect(worst).toBeLessThan(1e-5);

    const evaluated = await cli(['evaluate', '--model', back]);
    expect(evaluated.stdout).toMatch(/accuracy/);
  }, 180_000);

  it('runs as torchrun starts it: one process per rank, rendezvous from the environment (env://)', async () => {
    // Debian's torchrun (torch 1.13, Python 3.11) fails in its own agent before starting anything,
    // so the processes are started here with the variables torchrun gives each of them.
    const run = path.join(work, 'torchrun');
    const project = `${run}-torch`;
    await cli(['train', ...MLP, '--epochs', '1', '--out', run, '--quiet']);
    await cli(['export', '--model', run, '--format', 'pytorch', '--out', project]);
    // A port the kernel reports free: a random pick can land on one another test's server or
    // Chromium holds (the ephemeral range), and then rank 1 waits for a rank 0 that never binds.
    const port = String(await freePort());
    const ranks = [0, 1].map(
      (rank) =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const env = { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: port, WORLD_SIZE: '2', RANK: String(rank), LOCAL_RANK: String(rank) };
          const child = spawn(PYTHON, ['train.py'], { cwd: project, env });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (out += d.toString()));
          const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
          child.on('close', (code) => {
            clearTimeout(timer);
            resolve({ code, out });
          });
        }),
    );
    const [zero, one] = await Promise.all(ranks);
    expect(zero!.code, zero!.out).toBe(0);
    expect(one!.code, one!.out).toBe(0);
    expect(zero!.out).toMatch(/processes: 2 \(gloo, DistributedDataParallel\)/);
    expect(one!.out).toBe(''); // only rank 0 talks
    const log = JSON.parse(readFileSync(path.join(project, 'trained', 'log.json'), 'utf8')) as TorchLog;
    expect(log.processes).toBe(2);
  }, 180_000);

  it('--order torch: DistributedSampler gives each process its own part, one process and two take the same batches', async () => {
    const run = path.join(work, 'sampler');
    await cli(['train', ...MLP, '--epochs', '2', '--out', run, '--quiet']);
    const logs: TorchLog[] = [];
    for (const processes of ['1', '2']) {
      const project = `${run}-torch-${processes}`;
      await cli(['export', '--model', run, '--format', 'pytorch', '--out', project]);
      const printed = python(['train.py', '--order', 'torch', '--processes', processes], project);
      expect(printed).toMatch(/order: +DistributedSampler \(seed 7\)/);
      expect(printed).toContain(`batch:     ${32 / Number(processes)} samples per process, 32 per iteration in total`);
      logs.push(JSON.parse(readFileSync(path.join(project, 'trained', 'log.json'), 'utf8')) as TorchLog);
    }
    // DistributedSampler deals one shuffled order out in turn, so 2 processes of 16 hold the 32 of one process.
    expect(logs[1]!.iterationLoss.length).toBe(logs[0]!.iterationLoss.length);
    expect(maxRelativeDifference(logs[0]!.iterationLoss, logs[1]!.iterationLoss)).toBeLessThan(1e-4);
    // A different order from gradiente's: it learns, but not the run's trajectory.
    const gradiente = JSON.parse(readFileSync(path.join(run, 'history.json'), 'utf8')) as { iterationLoss: number[] };
    expect(maxRelativeDifference(gradiente.iterationLoss, logs[0]!.iterationLoss)).toBeGreaterThan(1e-3);
    expect(logs[0]!.test.accuracy!).toBeGreaterThan(0.5);
  }, 180_000);

  it(`trains on ${REAL_DATA.name} with --processes 2 (gloo) to the accuracy of one process`, async () => {
    const run = path.join(work, 'real');
    await cli(['train', '--data', REAL_DATA.flag, '--samples', '6000', '--layers', '64,32', '--epochs', '2', '--out', run, '--quiet']);
    const one = `${run}-1`;
    const two = `${run}-2`;
    await cli(['export', '--model', run, '--format', 'pytorch', '--out', one]);
    await cli(['export', '--model', run, '--format', 'pytorch', '--out', two]);
    python(['train.py'], one);
    const printed = python(['train.py', '--processes', '2'], two);
    expect(printed).toMatch(/processes: 2 \(gloo, DistributedDataParallel\)/);
    expect(printed).toMatch(/batch: +32 samples per iteration in total, about 16 per process/);
    const logOne = JSON.parse(readFileSync(path.join(one, 'trained', 'log.json'), 'utf8')) as TorchLog;
    const logTwo = JSON.parse(readFileSync(path.join(two, 'trained', 'log.json'), 'utf8')) as TorchLog;
    expect(logTwo.processes).toBe(2);
    expect(logOne.test.accuracy!).toBeGreaterThan(0.7);
    expect(Math.abs(logTwo.test.accuracy! - logOne.test.accuracy!)).toBeLessThanOrEqual(0.01);
  }, 300_000);
});

describe('export --format pytorch / import --from a project: bad input is one clear line', () => {
  let run = '';
  let project = '';

  beforeAll(async () => {
    run = path.join(work, 'small');
    project = path.join(work, 'small-torch');
    await cli(['train', '--data', 'mnist', '--samples', '200', '--layers', '8,8', '--epochs', '1', '--out', run, '--quiet']);
    await cli(['export', '--model', run, '--format', 'pytorch', '--out', project]);
  }, 120_000);

  /** A trained/ as train.py writes it (the project's gradiente-model.json + weights.bin), from the run's own weights: no PyTorch needed. */
  async function fakeTrained(dir: string): Promise<string> {
    const model = await loadModel(path.join(run, 'model'));
    const trained = path.join(dir, 'trained');
    mkdirSync(trained);
    copyFileSync(path.join(dir, 'gradiente-model.json'), path.join(trained, 'model.json'));
    const parts = model.namedParameters().map(([, t]) => Buffer.from(Float32Array.from(t.data).buffer));
    writeFileSync(path.join(trained, 'weights.bin'), Buffer.concat(parts));
    return trained;
  }

  function copyProject(name: string): string {
    const dir = path.join(work, name);
    mkdirSync(dir);
    for (const file of ['gradiente-export.json', 'gradiente-model.json']) copyFileSync(path.join(project, file), path.join(dir, file));
    return dir;
  }

  async function importFails(dir: string, pattern: RegExp): Promise<void> {
    const result = await runCli(['import', '--from', dir, '--out', path.join(dir, 'back')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
    expect(existsSync(path.join(dir, 'back'))).toBe(false);
  }

  it('the project holds what train.py reads, digits as byte codes into a table of their values', async () => {
    expect(readdirSync(project).sort()).toEqual(['README.md', 'data', 'gradiente-export.json', 'gradiente-model.json', 'initial', 'train.py']);
    expect(readdirSync(path.join(project, 'initial')).sort()).toEqual(['0.bias.npy', '0.kernel.npy', '1.bias.npy', '1.kernel.npy', '2.bias.npy', '2.kernel.npy']);
    // The .npy header pads the data to a 64-byte boundary.
    const npy = readFileSync(path.join(project, 'initial', '0.kernel.npy'));
    expect((10 + npy.readUInt16LE(8)) % 64).toBe(0);
    expect(npy.subarray(10, 10 + npy.readUInt16LE(8)).toString()).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(784, 8\), \}/);
    // 784 pixels of 0..255: one byte each, and the table gives back the values gradiente trained on.
    expect(readNpy(path.join(project, 'data', 'x_train.npy'))).toBeInstanceOf(Uint8Array);
    expect((readNpy(path.join(project, 'data', 'x_values.npy')) as Float32Array).length).toBeLessThanOrEqual(256);
    const { data } = await prepareRun(JSON.parse(readFileSync(path.join(run, 'config.json'), 'utf8')) as never);
    const xTrain = readInputs(project, 'x_train');
    expect(Array.from(xTrain)).toEqual(Array.from(data.xTrain.data.subarray(0, xTrain.length)));
  });

  it('table inputs (more than 256 values) stay float32, scaled as in the run', async () => {
    const penguins = path.join(work, 'penguins');
    const project = `${penguins}-torch`;
    await cli(['train', '--data', `csv:${path.join(ROOT, 'examples/data/penguins.csv')}`, '--target', 'species', '--layers', '8', '--epochs', '1', '--out', penguins, '--quiet']);
    await cli(['export', '--model', penguins, '--format', 'pytorch', '--out', project]);
    expect(existsSync(path.join(project, 'data', 'x_values.npy'))).toBe(false);
    const { data } = await prepareRun(JSON.parse(readFileSync(path.join(penguins, 'config.json'), 'utf8')) as never);
    const xTrain = readInputs(project, 'x_train');
    expect(xTrain).toBeInstanceOf(Float32Array);
    expect(Array.from(xTrain)).toEqual(Array.from(data.xTrain.data.subarray(0, xTrain.length)));
  });

  it('import before train.py ran says to run it', async () => {
    await importFails(copyProject('untrained'), /no trained\/model\.json yet; run "python3 train\.py"/);
  });

  it('a truncated weights file', async () => {
    const dir = copyProject('truncated');
    const trained = await fakeTrained(dir);
    const weights = path.join(trained, 'weights.bin');
    writeFileSync(weights, readFileSync(weights).subarray(0, 100));
    await importFails(dir, /weights\.bin/);
  });

  it('NaN among the weights', async () => {
    const dir = copyProject('nan');
    const trained = await fakeTrained(dir);
    const weights = path.join(trained, 'weights.bin');
    const bytes = readFileSync(weights);
    bytes.writeFloatLE(Number.NaN, 40);
    writeFileSync(weights, bytes);
    await importFails(dir, /NaN/);
  });

  it('weights renamed or reshaped in the trained model.json', async () => {
    const dir = copyProject('renamed');
    const trained = await fakeTrained(dir);
    const jsonPath = path.join(trained, 'model.json');
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as { weightsManifest: { weights: { name: string }[] } };
    json.weightsManifest.weights[0]!.name = 'evil.kernel';
    writeFileSync(jsonPath, JSON.stringify(json));
    await importFails(dir, /(not the ones exported|evil\.kernel)/);
  });

  it('a marker that is not JSON', async () => {
    const dir = copyProject('garbage');
    await fakeTrained(dir);
    writeFileSync(path.join(dir, 'gradiente-export.json'), '{"format": "gradiente-pytorch-project", "version": 1, "parameters": [');
    await importFails(dir, /gradiente-export\.json/);
  });

  it('a good trained/ imports, and the result keeps the run record evaluate needs', async () => {
    const dir = copyProject('good');
    await fakeTrained(dir);
    await cli(['import', '--from', dir, '--out', path.join(dir, 'back')]);
    expect(await maxWeightDifference(path.join(run, 'model'), path.join(dir, 'back'))).toBe(0);
    await cli(['evaluate', '--model', path.join(dir, 'back')]);
  });

  it("importing trained/ itself (a gradiente model) keeps the run's record too", async () => {
    const dir = copyProject('direct');
    const trained = await fakeTrained(dir);
    await cli(['import', '--from', trained, '--out', path.join(dir, 'back')]);
    await cli(['evaluate', '--model', path.join(dir, 'back')]);
  });

  it('refuses a non-empty --out without --force, and --force leaves no file of the older export', async () => {
    const refused = await runCli(['export', '--model', run, '--format', 'pytorch', '--out', project]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/already holds files.*--force/);
    writeFileSync(path.join(project, 'stale.txt'), 'from an older export');
    await cli(['export', '--model', run, '--format', 'pytorch', '--out', project, '--force', '--weights', 'current']);
    expect(existsSync(path.join(project, 'stale.txt'))).toBe(false);
    expect(readFileSync(path.join(project, 'train.py'), 'utf8')).toContain("the run's current weights");
    // No staging directory left beside it.
    expect(readdirSync(work).filter((f) => f.startsWith('.small-torch'))).toEqual([]);
  });

  it('tfjs and onnx exports refuse to overwrite without --force too', async () => {
    const tfjs = path.join(work, 'tfjs-out');
    await cli(['export', '--model', run, '--format', 'tfjs', '--out', tfjs]);
    writeFileSync(path.join(tfjs, 'stale.txt'), 'old');
    const refused = await runCli(['export', '--model', run, '--format', 'tfjs', '--out', tfjs]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--force/);
    await cli(['export', '--model', run, '--format', 'tfjs', '--out', tfjs, '--force']);
    expect(readdirSync(tfjs)).not.toContain('stale.txt');
    expect(readdirSync(tfjs)).toEqual(expect.arrayContaining(['model.json', 'weights.bin']));
    const onnx = path.join(work, 'm.onnx');
    await cli(['export', '--model', run, '--format', 'onnx', '--out', onnx]);
    const again = await runCli(['export', '--model', run, '--format', 'onnx', '--out', onnx]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists.*--force/);
  });

  it('flags that do not fit', async () => {
    const weights = await runCli(['export', '--model', run, '--format', 'tfjs', '--out', path.join(work, 'x'), '--weights', 'initial']);
    expect(weights.stderr).toMatch(/--weights applies to --format pytorch only/);
    const which = await runCli(['export', '--model', run, '--format', 'pytorch', '--out', path.join(work, 'y'), '--weights', 'inital']);
    expect(which.stderr).toMatch(/--weights/);
    expect(which.stderr).toMatch(/initial/);
    const notRun = await runCli(['export', '--model', path.join(work, 'tfjs-out'), '--format', 'pytorch', '--out', path.join(work, 'z')]);
    expect(notRun.code).not.toBe(0);
    expect(notRun.stderr.trim().split('\n')).toHaveLength(1);
  });
});

/** A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
