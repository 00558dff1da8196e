/**
 * docs/MOVING-MODELS.md, tested: the worked example runs, its TensorFlow.js export loads in
 * the real @tensorflow/tfjs and its ONNX file in ONNX Runtime with the same predictions,
 * the code in the document is the example file, and the Python snippet computes the same.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveModel, type MovedModel } from '../../examples/export-model.js';
import { exportModel, importModel, Dense, Sequential, manualSeed, randn, readModelInfo } from '../../src/node.js';

const root = mkdtempSync(join(tmpdir(), 'gradiente-moving-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const doc = readFileSync(new URL('../../docs/MOVING-MODELS.md', import.meta.url), 'utf8');
let moved: MovedModel;

function block(marker: string, language: string): string {
  const start = doc.indexOf(`<!-- ${marker}:start -->`);
  const end = doc.indexOf(`<!-- ${marker}:end -->`);
  expect(start).toBeGreaterThan(0);
  const inner = doc.slice(start, end);
  return inner.slice(inner.indexOf('```' + language) + 3 + language.length + 1, inner.lastIndexOf('```'));
}

/**
 * Largest difference, absolute for values up to 1 and relative above: float32 keeps about 7
 * digits, so outputs of size 100 (a logSoftmax feeding a Dense) differ by ~1e-5 in any two
 * correct implementations that merely sum in another order.
 */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return m;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  ort.env.wasm.numThreads = 1;
  moved = await moveModel(root);
});

describe('docs/MOVING-MODELS.md', () => {
  it('shows the example file, unchanged', () => {
    expect(block('example', 'ts')).toBe(readFileSync(new URL('../../examples/export-model.ts', import.meta.url), 'utf8'));
  });

  it('the example trains, resumes from its checkpoint and imports its own export bit for bit', async () => {
    expect(moved.reimportDifference).toBe(0);
    const info = await readModelInfo(moved.checkpointDir);
    expect(info.training?.optimizer.iterations).toBe(200);
    expect(info.trainingConfig).toEqual({ epochsDone: 20 });
    expect(readdirSync(moved.tfjsDir).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('its TensorFlow.js export predicts the same in @tensorflow/tfjs (1e-5)', async () => {
    const json = JSON.parse(readFileSync(join(moved.tfjsDir, 'model.json'), 'utf8'));
    const weights = readFileSync(join(moved.tfjsDir, json.weightsManifest[0].paths[0]));
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }),
    );
    const out = (model.predict(tf.tensor(Array.from(moved.x.data), [...moved.x.shape])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(out, moved.predictions.data)).toBeLessThan(1e-5);
  });

  it('its ONNX export predicts the same in ONNX Runtime (1e-5)', async () => {
    const session = await ort.InferenceSession.create(readFileSync(moved.onnxFile));
    const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(moved.x.data), [...moved.x.shape]) });
    expect(maxAbsDiff(out.output!.data as Float32Array, moved.predictions.data)).toBeLessThan(1e-5);
  });

  const python = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  it.skipIf(python.status !== 0)('the numpy snippet (the PyTorch weight layout) computes the same predictions', () => {
    const script = join(root, 'read_tfjs.py');
    writeFileSync(script, block('python', 'python'));
    const x = Array.from({ length: 5 }, (_, i) => [moved.x.data[2 * i]!, moved.x.data[2 * i + 1]!]);
    const out = JSON.parse(execFileSync('python3', [script, moved.tfjsDir, JSON.stringify(x)], { encoding: 'utf8' })) as number[][];
    expect(maxAbsDiff(out.flat(), moved.predictions.data.slice(0, 15))).toBeLessThan(1e-5);
  });
});

describe('exportModel / importModel', () => {
  it('importModel reads weights split over several files (shards), in manifest order', async () => {
    manualSeed(8);
    const model = new Sequential([new Dense(6, { activation: 'relu', inputDim: 4 }), new Dense(3)]);
    const dir = join(root, 'sharded');
    await exportModel(model, { format: 'tfjs', out: dir });
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const bin = readFileSync(join(dir, 'weights.bin'));
    writeFileSync(join(dir, 'group1-shard1of2.bin'), bin.subarray(0, 40));
    writeFileSync(join(dir, 'group1-shard2of2.bin'), bin.subarray(40));
    json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const { model: back, format } = await importModel(dir);
    expect(format).toBe('tfjs');
    const x = randn([3, 4]);
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(model.predict(x).data));
  });

  it('exporting replaces an earlier export in place, and refuses an unknown format or an ONNX import', async () => {
    const model = new Sequential([new Dense(2, { inputDim: 2 })]);
    const file = join(root, 'again.onnx');
    await exportModel(model, { format: 'onnx', out: file });
    const first = readFileSync(file);
    model.parameters()[0]!.data[0] = 42;
    await exportModel(model, { format: 'onnx', out: file });
    expect(readFileSync(file).equals(first)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('again'))).toEqual(['again.onnx']);
    await expect(exportModel(model, { format: 'keras' as never, out: join(root, 'k') })).rejects.toThrow(/'tfjs' or 'onnx'/);
    await expect(importModel(file)).rejects.toThrow(/ONNX files cannot be imported/);
  });
});
