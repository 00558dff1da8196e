/**
 * gradiente train end to end on real data (the Palmer penguins table shipped with the
 * examples), then evaluate and predict with what it wrote, and the other small commands.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, jsonLines, readJsonFile, ROOT, runCli, tempDir } from './cli-harness.js';

const penguins = path.join(ROOT, 'examples/data/penguins.csv');
const EPOCHS = 15;
let run = '';
let events: Record<string, unknown>[] = [];

beforeAll(async () => {
  buildOnce();
  run = path.join(tempDir(), 'penguins');
  const result = await runCli(['train', '--data', `csv:${penguins}`, '--target', 'species', '--epochs', String(EPOCHS), '--batch-size', '16', '--out', run, '--json']);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
  events = jsonLines(result.stdout);
}, 60_000);

describe('gradiente train', () => {
  it('--json prints one parseable object per epoch, framed by start and end', () => {
    expect(events[0]).toMatchObject({ event: 'start', epochs: EPOCHS, batchSize: 16 });
    const epochs = events.filter((e) => e.event === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    for (const e of epochs) expect(Object.keys(e)).toEqual(expect.arrayContaining(['loss', 'accuracy', 'val_loss', 'val_accuracy', 'learningRate', 'seconds', 'iteration']));
    const end = events.at(-1)!;
    expect(end).toMatchObject({ event: 'end', out: run, epochs: EPOCHS, stopped: null });
    expect((end.test as { accuracy: number }).accuracy).toBeGreaterThan(0.9);
  });

  it('writes the model, history.json, metrics.json, config.json and a self-contained report.html', () => {
    for (const file of ['model/model.json', 'model/weights.bin', 'history.json', 'metrics.json', 'config.json', 'report.html', 'checkpoint/latest.json']) {
      expect(existsSync(path.join(run, file)), file).toBe(true);
    }
    const history = readJsonFile<{ epoch: number[]; iterationLoss: number[]; iterationsPerEpoch: number; history: Record<string, number[]>; gradientNorms: { layers: string[] } }>(path.join(run, 'history.json'));
    // 342 rows: 20% test → 273 train; 10% validation → 245 to train on; batch 16 → 16 iterations per epoch.
    expect(history.iterationsPerEpoch).toBe(16);
    expect(history.epoch).toHaveLength(EPOCHS);
    expect(history.iterationLoss).toHaveLength(EPOCHS * 16);
    expect(history.history.val_accuracy).toHaveLength(EPOCHS);
    expect(history.gradientNorms.layers).toEqual(['1 Dense(32, relu)', '2 Dense(32, relu)', '3 Dense(3, softmax)']);
    const metrics = readJsonFile<{ test: { accuracy: number }; confusionMatrix: { labels: string[]; counts: number[][] }; testSamples: number }>(path.join(run, 'metrics.json'));
    expect(metrics.confusionMatrix.labels).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(metrics.confusionMatrix.counts.flat().reduce((a, b) => a + b, 0)).toBe(metrics.testSamples);
    const config = readJsonFile(path.join(run, 'config.json'));
    expect(config).toMatchObject({ data: `csv:${penguins}`, target: 'species', epochs: EPOCHS, batchSize: 16, seed: 42, layers: [32, 32], optimizer: 'adam' });
    const html = readFileSync(path.join(run, 'report.html'), 'utf8');
    expect(html).toContain('Chart.js v4');
    // Everything inline: no script, style sheet or image is fetched (the Chromium test checks the network too).
    expect(/<script[^>]*\ssrc=|<link[^>]*\shref=|<img[^>]*\ssrc=/.test(html)).toBe(false);
  });

  it('config.json repeats the run exactly (same weights)', async () => {
    const again = path.join(tempDir(), 'again');
    const result = await runCli(['train', '--config', path.join(run, 'config.json'), '--out', again, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const checksum = (dir: string): string => readJsonFile<{ weightsChecksum: string }>(path.join(dir, 'metrics.json')).weightsChecksum;
    expect(checksum(again)).toBe(checksum(run));
  }, 30_000);

  it('without a terminal prints one plain line per epoch, then the test figures and where things are', async () => {
    const out = path.join(tempDir(), 'xor');
    const result = await runCli(['train', '--data', 'xor', '--epochs', '3', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Data: +xor \(synthetic\): 800 train, 200 test samples, 2 features, 2 classes$/);
    expect(lines[2]).toMatch(/batch size 32 \(mini-batch gradient descent\): 23 iterations per epoch, 3 epochs$/);
    expect(lines.filter((l) => l.startsWith('Epoch '))).toHaveLength(3);
    expect(lines.find((l) => l.startsWith('Epoch 2/3'))).toMatch(/^Epoch 2\/3 - 23\/23 iterations - [\d.]+s [\d.]+ms\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$/);
    expect(lines.at(-3)).toMatch(/^Test: +loss: \d\.\d{4} - accuracy: \d\.\d{4} \(200 samples\)$/);
  }, 30_000);

  it('--quiet prints nothing; a suspicious loss choice warns on stderr and still trains', async () => {
    const result = await runCli(['train', '--data', 'spiral', '--loss', 'bce', '--epochs', '2', '--out', path.join(tempDir(), 'bce'), '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^warning: binaryCrossentropy with 3 classes: it scores each of the 3 softmax outputs as a separate yes\/no question/);
  }, 30_000);

  it('mean squared error on one-hot labels is allowed, with a warning that says so', async () => {
    const result = await runCli(['train', '--data', 'spiral', '--loss', 'mse', '--epochs', '1', '--out', path.join(tempDir(), 'mse'), '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^warning: meanSquaredError on class labels: the targets are one-hot encoded: 3 columns/);
  }, 30_000);

  it('a diverging learning rate stops training with a warning, not a crash', async () => {
    const out = path.join(tempDir(), 'diverge');
    const result = await runCli(['train', '--data', 'line', '--optimizer', 'sgd', '--lr', '100', '--epochs', '5', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^warning: training stopped: the loss became (Infinity|NaN) at epoch 1, iteration \d+ \(learning rate 100\); the weights diverged/);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ event: 'end', stopped: { reason: 'nonFinite' } });
  }, 30_000);

  it('a regression run reports its error and draws predicted against true', async () => {
    const out = path.join(tempDir(), 'line');
    const result = await runCli(['train', '--data', 'line', '--epochs', '40', '--out', out, '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    const metrics = readJsonFile<{ test: { loss: number; mae: number } }>(path.join(out, 'metrics.json'));
    expect(metrics.test.mae).toBeLessThan(0.15); // noise of the line is 0.1
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('Predicted against true');
    expect(html).not.toContain('Confusion matrix');
  }, 30_000);
});

describe('gradiente evaluate and predict', () => {
  it('evaluate on the data it trained on measures the same test part as train did', async () => {
    const result = await runCli(['evaluate', '--model', run, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const measured = JSON.parse(result.stdout) as { loss: number; accuracy: number; samples: number; confusionMatrix: unknown };
    const metrics = readJsonFile<{ test: { loss: number; accuracy: number }; testSamples: number; confusionMatrix: unknown }>(path.join(run, 'metrics.json'));
    expect(measured.samples).toBe(metrics.testSamples);
    expect(measured.accuracy).toBe(metrics.test.accuracy);
    expect(measured.loss).toBeCloseTo(metrics.test.loss, 6);
    expect(measured.confusionMatrix).toEqual(metrics.confusionMatrix);
  }, 30_000);

  it('evaluate prints the figures and the confusion matrix', async () => {
    const result = await runCli(['evaluate', '--model', run, '--data', `csv:${penguins}`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^loss: \d\.\d{4} - accuracy: 0\.9\d{3}$/m);
    expect(result.stdout).toMatch(/^true +Adelie Chinstrap +Gentoo +\(columns: predicted\)$/m);
  }, 30_000);

  it('predict writes a class and probabilities for every row, as CSV or JSON', async () => {
    const csv = await runCli(['predict', '--model', run, '--input', penguins]);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('predicted_species,probability,p_Adelie,p_Chinstrap,p_Gentoo');
    expect(lines).toHaveLength(343);
    const truth = readFileSync(penguins, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').at(-1));
    const right = lines.slice(1).filter((l, i) => l.split(',')[0] === truth[i]).length;
    expect(right / truth.length).toBeGreaterThan(0.9);
    const file = path.join(tempDir(), 'predictions.json');
    const json = await runCli(['predict', '--model', run, '--input', penguins, '--output', file]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout.trim()).toBe(`wrote 342 predictions to ${file}`);
    const rows = readJsonFile<Record<string, number | string>[]>(file);
    expect(rows).toHaveLength(342);
    expect(Object.keys(rows[0]!)).toEqual(['predicted_species', 'probability', 'p_Adelie', 'p_Chinstrap', 'p_Gentoo']);
    const first = rows[0]!;
    expect((first.p_Adelie as number) + (first.p_Chinstrap as number) + (first.p_Gentoo as number)).toBeCloseTo(1, 5);
  }, 30_000);
});

describe('the small commands', () => {
  it('gradcheck: every parameter tensor matches finite differences', async () => {
    const result = await runCli(['gradcheck', '--layers', '5,4', '--loss', 'cce', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; parameters: { name: string; maxRelError: number }[] };
    expect(report.ok).toBe(true);
    expect(report.parameters.map((p) => p.name)).toEqual(['0.kernel', '0.bias', '1.kernel', '1.bias', '2.kernel', '2.bias']);
    for (const p of report.parameters) expect(p.maxRelError).toBeLessThan(1e-4);
  });

  it('compare --json: every object names its run; results.json holds each run', async () => {
    const out = path.join(tempDir(), 'compare');
    const result = await runCli(['compare', '--lr', '0.01,0.1', '--data', 'xor', '--epochs', '2', '--out', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const events = jsonLines(result.stdout);
    expect(events.filter((e) => e.event === 'epoch').map((e) => [e.run, e.epoch])).toEqual([
      ['learning rate 0.01', 1],
      ['learning rate 0.01', 2],
      ['learning rate 0.1', 1],
      ['learning rate 0.1', 2],
    ]);
    expect(events.filter((e) => e.event === 'run').map((e) => e.run)).toEqual(['learning rate 0.01', 'learning rate 0.1']);
    expect(events.at(-1)).toEqual({ event: 'end', out, runs: 2 });
    const results = readJsonFile<{ varied: string; runs: { label: string; history: { iterationLoss: number[] } }[] }>(path.join(out, 'results.json'));
    expect(results.varied).toBe('lr');
    expect(results.runs.map((r) => r.history.iterationLoss.length)).toEqual([46, 46]);
  }, 30_000);

  it('info names the version and the backend', async () => {
    const result = await runCli(['info', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const info = JSON.parse(result.stdout) as { version: string; backend: string; backends: string[] };
    expect(info.version).toBe(readJsonFile<{ version: string }>(path.join(ROOT, 'package.json')).version);
    expect(info.backends).toContain(info.backend);
  });

  it.each(['train', 'evaluate', 'predict', 'compare', 'lr-find', 'gradcheck', 'info'])('%s --help shows its options and examples', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: gradiente ${command} \\[options\\]`));
    expect(result.stdout).toMatch(new RegExp(`\\nExamples:\\n  \\$ gradiente ${command}\\b`));
  });
});
