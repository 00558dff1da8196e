/**
 * gradiente export / import as subprocesses: a trained run leaves as TensorFlow.js and ONNX,
 * the TensorFlow.js copy comes back in with the same weights, and bad input is one line.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importModel, loadModel, randn } from '../../src/node.js';
import { buildOnce, ROOT, runCli, tempDir } from './cli-harness.js';

const penguins = path.join(ROOT, 'examples/data/penguins.csv');
let run = '';
let out = '';

beforeAll(async () => {
  buildOnce();
  out = tempDir();
  run = path.join(out, 'penguins');
  const result = await runCli(['train', '--data', `csv:${penguins}`, '--target', 'species', '--layers', '8', '--epochs', '2', '--out', run, '--quiet']);
  expect(result.code, result.stderr).toBe(0);
}, 60_000);

describe('gradiente export', () => {
  it('writes TensorFlow.js files with the same weights, and the training scaling beside them', async () => {
    const dir = path.join(out, 'tfjs');
    const result = await runCli(['export', '--model', run, '--format', 'tfjs', '--out', dir, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { files: string[]; preprocessing: string | null };
    expect(report.files.map((f) => path.basename(f)).sort()).toEqual(['model.json', 'weights.bin']);
    const pre = JSON.parse(readFileSync(path.join(dir, 'preprocessing.json'), 'utf8')) as { mean: number[]; std: number[]; featureNames: string[] };
    expect(pre.mean.length).toBe(pre.featureNames.length);
    expect(JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')).format).toBe('layers-model');

    const original = await loadModel(path.join(run, 'model'));
    const { model, format } = await importModel(dir);
    expect(format).toBe('tfjs');
    const x = randn([5, pre.mean.length]);
    expect(Array.from(model.predict(x).data)).toEqual(Array.from(original.predict(x).data));
  });

  it('writes one ONNX file', async () => {
    const file = path.join(out, 'penguins.onnx');
    const result = await runCli(['export', '--model', run, '--format', 'onnx', '--out', file, '--opset', '18']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ONNX \(opset 18\)/);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(path.join(out, 'penguins.preprocessing.json'))).toBe(true);
  });

  it.each([
    [['--format', 'tflite', '--out', 'x'], /--format: unknown value 'tflite'; choose one of: tfjs, onnx/],
    [['--format', 'onnx', '--out', 'model.bin'], /\.onnx extension/],
    [['--format', 'tfjs', '--out', 'x', '--opset', '18'], /--opset applies to --format onnx only/],
  ])('refuses %j with one clear line', async (args, message) => {
    const result = await runCli(['export', '--model', run, ...args]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('names a missing model directory', async () => {
    const result = await runCli(['export', '--model', path.join(out, 'nowhere'), '--format', 'tfjs', '--out', path.join(out, 'x')]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^error: .*nowhere/);
  });
});

describe('gradiente import', () => {
  it('describes a TensorFlow.js model and saves it in gradiente format', async () => {
    const tfjsDir = path.join(out, 'tfjs-for-import');
    expect((await runCli(['export', '--model', run, '--format', 'tfjs', '--out', tfjsDir])).code).toBe(0);
    const saved = path.join(out, 'imported');
    const result = await runCli(['import', '--from', tfjsDir, '--out', saved]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/a TensorFlow\.js model with \d+ parameters/);
    expect(result.stdout).toMatch(/Dense\(8, relu\)/);
    const again = await loadModel(saved);
    const original = await loadModel(path.join(run, 'model'));
    expect(again.countParameters()).toBe(original.countParameters());
  });

  it('refuses a file that is not a model', async () => {
    const result = await runCli(['import', '--from', penguins]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
