/**
 * Real tables as they come, through the command: each fixture of test/fixtures/tables is a
 * case a new user meets (missing values in several spellings, a text category, an ID column,
 * semicolons with decimal commas, a 0/1 label, labels 1..3, a date column). Every test checks
 * the exact header lines (the decision and why), and that something was learned.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { unpackRoles, type TableSplitRecord } from '../../src/cli/data-source.js';
import { buildOnce, jsonLines, ROOT, runCli, tempDir } from './cli-harness.js';

const TABLES = path.join(ROOT, 'test/fixtures/tables');
const CARS = path.join(ROOT, 'node_modules/vega-datasets/data/cars.json');
let dir = '';

beforeAll(() => {
  buildOnce();
  dir = tempDir('gradiente-tables-');
});

/** The header lines about the data (Task:, Columns:, Rows:, Target:). */
function decisions(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^(Task|Columns|Rows|Target): /.test(l));
}

function testFigures(stdout: string): Record<string, number> {
  const end = jsonLines(stdout).find((e) => e.event === 'end');
  return (end?.test ?? {}) as Record<string, number>;
}

async function train(name: string, args: string[]): Promise<{ stdout: string; run: string }> {
  const run = path.join(dir, name);
  const result = await runCli(['train', '--out', run, ...args], { timeoutMs: 120_000 });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return { stdout: result.stdout, run };
}

async function fails(args: string[]): Promise<string> {
  const result = await runCli(args);
  expect(result.code).not.toBe(0);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]!.length).toBeLessThanOrEqual(400);
  return lines[0]!;
}

describe('gradiente train on real tables', () => {
  it('missing values in several spellings: an error naming the column, the count, the line and the flags', async () => {
    const line = await fails(['train', '--data', `csv:${TABLES}/penguins-missing.csv`, '--target', 'species', '--out', path.join(dir, 'never')]);
    expect(line).toBe(
      `error: ${TABLES}/penguins-missing.csv: line 6, column 3 ('bill_length_mm') is missing ("NA"), as are 2 more cells of that column; it is a feature, so choose --missing drop (leave those rows out), --missing mean or --missing median (fill features in, leave out rows without a target)`,
    );
  });

  it('an ID column blocks nothing once dropped; text categories are one-hot encoded and reported; fills come from the training rows', async () => {
    const line = await fails(['train', '--data', `csv:${TABLES}/penguins-missing.csv`, '--target', 'species', '--missing', 'median', '--out', path.join(dir, 'never')]);
    expect(line).toBe(`error: ${TABLES}/penguins-missing.csv: column 'id' holds text with 90 different values in 90 rows (an ID or free text?); leave it out with --drop id, or one-hot encode it anyway with --categorical id`);
    const { stdout } = await train('penguins', ['--data', `csv:${TABLES}/penguins-missing.csv`, '--target', 'species', '--drop', 'id', '--missing', 'median', '--json']);
    expect(testFigures(stdout).accuracy).toBeGreaterThanOrEqual(0.9);
    // --json says the same decisions in its last object.
    const end = jsonLines(stdout).at(-1) as { data: { description: string; decisions: string[] } };
    expect(end.data.decisions[0]).toBe(`Task:     classification, 3 classes from column 'species' (it holds text, e.g. "Adelie")`);
    expect(end.data.decisions).toContain("Columns:  column 'island': text, one-hot encoded as 3 columns (Biscoe, Dream, Torgersen)");
    const { stdout: talk } = await train('penguins-talk', ['--data', `csv:${TABLES}/penguins-missing.csv`, '--target', 'species', '--drop', 'id', '--missing', 'median', '--epochs', '1']);
    expect(decisions(talk)).toEqual([
      `Task:     classification, 3 classes from column 'species' (it holds text, e.g. "Adelie")`,
      'Columns:  left out column id, as --drop id asks',
      "Columns:  column 'island': text, one-hot encoded as 3 columns (Biscoe, Dream, Torgersen)",
      "Columns:  column 'bill_length_mm': 2 missing cells filled with the median of the training rows, 46.85",
      "Columns:  column 'bill_depth_mm': 1 missing cell filled with the median of the training rows, 18.1",
      "Columns:  column 'flipper_length_mm': 1 missing cell filled with the median of the training rows, 196",
      "Columns:  column 'body_mass_g': 1 missing cell filled with the median of the training rows, 3884",
    ]);
    expect(talk).toMatch(/^Data: {5}.*penguins-missing\.csv: 72 train, 18 test samples, 7 features, 3 classes$/m);
  });

  it('semicolons and decimal commas (a Spanish spreadsheet) are detected and said; the regression error is in the target units', async () => {
    const { stdout } = await train('pisos', ['--data', `csv:${TABLES}/pisos-es.csv`, '--target', 'precio_miles', '--epochs', '100']);
    expect(decisions(stdout).slice(0, 4)).toEqual([
      "Task:     regression on column 'precio_miles' (numbers, 149 different values)",
      "Columns:  fields separated by ';' (the first line has 3 ';' and no ','); --delimiter ',' says otherwise",
      "Columns:  numbers use a decimal comma (e.g. '90,3' is 90.3); --decimal . reads them as text",
      "Columns:  column 'barrio': text, one-hot encoded as 3 columns (Centro, Norte, Sur)",
    ]);
    expect(decisions(stdout)[4]).toMatch(/^Target: {3}'precio_miles' trained as \(y - [\d.]+\) \/ [\d.]+ \(training rows\); the saved model undoes it/);
    // The noise of the table is 6 (thousand euros); the prices spread over about 60. MAE is in those units.
    const mae = Number(/^Test: {5}loss: [\d.]+ - mae: ([\d.]+)/m.exec(stdout)![1]);
    expect(mae).toBeGreaterThan(3);
    expect(mae).toBeLessThan(7);
    // The same file read with the wrong decimal mark is an error that names the cell and the fix.
    const line = await fails(['train', '--data', `csv:${TABLES}/pisos-es.csv`, '--target', 'precio_miles', '--decimal', '.', '--out', path.join(dir, 'never')]);
    expect(line).toMatch(/line 2, column 2 \('superficie_m2'\) is "90,3", not a number with a decimal point; for decimal commas use --decimal ','$/);
  });

  it('a 0/1 label is classification (said, with the flag for regression); --task regression overrides', async () => {
    const { stdout } = await train('titanic', ['--data', `csv:${TABLES}/titanic-like.csv`, '--target', 'survived', '--drop', 'name', '--missing', 'mean']);
    expect(decisions(stdout)).toEqual([
      "Task:     classification, 2 classes from column 'survived' (whole numbers with 2 different values; --task regression predicts them as numbers)",
      'Columns:  left out column name, as --drop name asks',
      "Columns:  column 'sex': text, one-hot encoded as 2 columns (female, male)",
      "Columns:  column 'age': 18 missing cells filled with the mean of the training rows, 35.993",
    ]);
    expect(Number(/accuracy: ([\d.]+) \(40 samples\)/.exec(stdout)![1])).toBeGreaterThan(0.6);
    const { stdout: regression } = await train('titanic-regression', ['--data', `csv:${TABLES}/titanic-like.csv`, '--target', 'survived', '--drop', 'name', '--missing', 'mean', '--task', 'regression', '--epochs', '1']);
    expect(decisions(regression)[0]).toBe("Task:     regression on column 'survived' (as --task regression asks)");
  });

  it('labels 1..3 are three classes (no empty class 0), and predict answers with those names', async () => {
    const { stdout, run } = await train('flowers', ['--data', `csv:${TABLES}/flowers-1-3.csv`, '--target', 'class']);
    expect(decisions(stdout)).toEqual([
      "Task:     classification, 3 classes from column 'class' (whole numbers with 3 different values; --task regression predicts them as numbers; labels 1, 2, 3 are classes 0..2)",
    ]);
    expect(Number(/accuracy: ([\d.]+) \(18 samples\)/.exec(stdout)![1])).toBeGreaterThanOrEqual(0.85);
    const input = path.join(dir, 'new-flowers.csv');
    writeFileSync(input, 'sepal_length,petal_width,petal_length\n5.0,0.2,1.4\n6.6,2.1,5.7\n');
    const predicted = await runCli(['predict', '--model', run, '--input', input]);
    expect(predicted.stderr).toBe('');
    const [header, first, second] = predicted.stdout.trim().split('\n');
    expect(header).toBe('predicted_class,probability,p_1,p_2,p_3');
    expect(first!.split(',')[0]).toBe('1');
    expect(second!.split(',')[0]).toBe('3');
  });

  it('a date column is read as its year, and said', async () => {
    const { stdout } = await train('dates', ['--data', `csv:${TABLES}/consumo-fechas.csv`, '--target', 'consumo', '--epochs', '100']);
    expect(decisions(stdout).slice(0, 2)).toEqual([
      "Task:     regression on column 'consumo' (numbers, 144 different values)",
      `Columns:  column 'fecha': dates (e.g. "2015-01-06"), used as the year; --drop fecha leaves them out`,
    ]);
    // consumption = 100 + 8·(year - 2015) - 1.5·temperature + noise(3): only the year explains the 8-a-year rise.
    expect(Number(/^Test: {5}loss: [\d.]+ - mae: ([\d.]+)/m.exec(stdout)![1])).toBeLessThan(4);
  });

  it('--samples draws random rows (stratified), not the first ones, and says so', async () => {
    const { stdout } = await train('flowers-samples', ['--data', `csv:${TABLES}/flowers-1-3.csv`, '--target', 'class', '--samples', '24', '--epochs', '1']);
    expect(decisions(stdout)).toContain('Rows:     --samples 24: a random, stratified draw of 30 of the 90 rows (train and test)');
    const config = JSON.parse(readFileSync(path.join(dir, 'flowers-samples', 'model', 'model.json'), 'utf8')) as { trainingConfig: { preprocessing: { split: TableSplitRecord } } };
    const record = config.trainingConfig.preprocessing.split;
    expect(record.rows).toBe(90);
    expect([record.trainCount, record.testCount]).toEqual([24, 6]);
    const split = unpackRoles(record);
    expect(split.train.length + split.test.length).toBe(30);
    expect(new Set([...split.train, ...split.test]).size).toBe(30);
    // Not the first 30 rows of the file.
    expect(Math.max(...split.train, ...split.test)).toBeGreaterThan(29);
  });
});

describe('gradiente evaluate and predict on tables', () => {
  let run = '';
  let copy = '';
  beforeAll(async () => {
    copy = path.join(dir, 'penguins-copy.csv');
    copyFileSync(path.join(TABLES, 'penguins-missing.csv'), copy);
    run = (await train('penguins-eval', ['--data', `csv:${copy}`, '--target', 'species', '--drop', 'id', '--missing', 'median', '--quiet'])).run;
  });

  it('evaluates the recorded test rows, from any directory', async () => {
    const result = await runCli(['evaluate', '--model', run, '--json'], { cwd: path.dirname(ROOT) });
    // The recorded file is named before it is read, on stderr: stdout stays one JSON object.
    expect(result.stderr).toBe(`Reading:  ${copy} (the data recorded in ${path.join(run, 'model')}, since --data was not given)\n`);
    const report = JSON.parse(result.stdout) as { samples: number; data: string };
    expect(report.samples).toBe(18);
    expect(report.data).toMatch(/the test part, 18 of 90 rows \(file unchanged since training\)/);
  });

  it('matches columns by name: a file with its columns in another order gives the same figures', async () => {
    const text = readFileSync(copy, 'utf8').trim().split('\n').map((l) => l.split(','));
    const order = [6, 5, 4, 3, 2, 1, 0];
    const swapped = path.join(dir, 'penguins-swapped.csv');
    writeFileSync(swapped, text.map((r) => order.map((k) => r[k]).join(',')).join('\n') + '\n');
    const straight = await runCli(['evaluate', '--model', run, '--data', `csv:${path.join(TABLES, 'penguins-missing.csv')}`, '--json']);
    const reordered = await runCli(['evaluate', '--model', run, '--data', `csv:${swapped}`, '--json']);
    expect(straight.stderr).toBe('');
    expect(reordered.stderr).toBe('');
    expect(JSON.parse(reordered.stdout).accuracy).toBe(JSON.parse(straight.stdout).accuracy);
    expect(JSON.parse(reordered.stdout).samples).toBe(90);
  });

  it('refuses a training file that changed, a missing or unknown column, and a --target other than the model\'s', async () => {
    writeFileSync(copy, readFileSync(copy, 'utf8').replace('P001,Biscoe,40.8', 'P001,Biscoe,41.8'));
    expect(await fails(['evaluate', '--model', run])).toMatch(/penguins-copy\.csv changed since the model was trained on it \(SHA-256 [0-9a-f]{12}… then, [0-9a-f]{12}… now\), so its test rows can no longer be told apart from training rows/);
    expect(await fails(['evaluate', '--model', run, '--target', 'island'])).toBe(
      "error: --target island: the model predicts 'species'; evaluate compares its outputs with that column (leave out --target, or name 'species')",
    );
    const lacking = path.join(dir, 'lacking.csv');
    writeFileSync(lacking, 'island,bill_length_mm,bill_depth_mm,flipper_length_mm\nDream,40,18,190\n');
    expect(await fails(['predict', '--model', run, '--input', lacking])).toMatch(/lacking\.csv: no column named 'body_mass_g', which the model needs as a feature/);
    const extra = path.join(dir, 'extra.csv');
    writeFileSync(extra, 'island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,colour\nDream,40,18,190,3700,red\n');
    expect(await fails(['predict', '--model', run, '--input', extra])).toMatch(/extra\.csv: column 'colour' is neither one of the model's features/);
  });

  it('exports carry the class names, the categories and the scaling (preprocessing.json), and come back through import', async () => {
    const out = path.join(dir, 'penguins-tfjs');
    const result = await runCli(['export', '--model', run, '--format', 'tfjs', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/how to prepare its inputs and read its outputs \(columns, categories, scaling, class names\): .*preprocessing\.json/);
    const pre = JSON.parse(readFileSync(path.join(out, 'preprocessing.json'), 'utf8')) as Record<string, unknown>;
    expect(pre.classNames).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(pre.outputs).toBe('one probability per class, in the order of classNames');
    expect(pre.target).toBe('species');
    expect(pre.featureNames).toEqual(['island=Biscoe', 'island=Dream', 'island=Torgersen', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g']);
    expect((pre.columns as { name: string; kind: string; categories?: string[] }[])[0]).toEqual({ name: 'island', kind: 'category', categories: ['Biscoe', 'Dream', 'Torgersen'], fill: null });
    expect((pre.mean as number[]).length).toBe(7);
    // Exported and imported back, the model still reads tables by its record: the same predictions and figures.
    const imported = path.join(dir, 'penguins-imported');
    const back = await runCli(['import', '--from', out, '--out', imported]);
    expect(back.stderr).toBe('');
    const input = path.join(dir, 'penguins-new.csv');
    writeFileSync(input, 'body_mass_g,island,bill_length_mm,bill_depth_mm,flipper_length_mm\n3700,Dream,39,18.5,190\n5000,Biscoe,47,15,217\n');
    const original = await runCli(['predict', '--model', run, '--input', input]);
    const again = await runCli(['predict', '--model', imported, '--input', input]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(original.stdout);
    expect(again.stdout.split('\n').slice(1, 3).map((l) => l.split(',')[0])).toEqual(['Adelie', 'Gentoo']);
    const other = path.join(TABLES, 'penguins-missing.csv');
    const scoreOriginal = await runCli(['evaluate', '--model', run, '--data', `csv:${other}`, '--json']);
    const scoreImported = await runCli(['evaluate', '--model', imported, '--data', `csv:${other}`, '--json']);
    expect(JSON.parse(scoreImported.stdout).accuracy).toBe(JSON.parse(scoreOriginal.stdout).accuracy);
  });

  it('an unseen category is an error naming it, or all zeros with --unknown-category zeros', async () => {
    const mars = path.join(dir, 'mars.csv');
    writeFileSync(mars, 'island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g\nMars,47,15,217,5000\n');
    expect(await fails(['predict', '--model', run, '--input', mars])).toBe(
      `error: ${mars}: line 2, column 1 ('island') is "Mars", a category the model never saw (it knows Biscoe, Dream, Torgersen); fix the value, or encode unknown categories as all zeros with --unknown-category zeros`,
    );
    const zeros = await runCli(['predict', '--model', run, '--input', mars, '--unknown-category', 'zeros']);
    expect(zeros.stderr).toBe('');
    expect(zeros.stdout.split('\n')[1]!.split(',')[0]).toBe('Gentoo');
  });
});

describe('Auto MPG (vega-datasets cars.json, as published)', () => {
  const CARS_ARGS = ['--data', `json:${CARS}`, '--target', 'Miles_per_Gallon', '--drop', 'Name', '--missing', 'drop'];

  it('trains with the defaults to a test MAE of at most 2.2 miles per gallon (mean of three splits), the split said in the header', async () => {
    const maes: number[] = [];
    for (const seed of ['1', '2', '3']) {
      const { stdout } = await train(`cars-${seed}`, [...CARS_ARGS, '--seed', seed, '--json']);
      maes.push(testFigures(stdout).mae!);
      const end = jsonLines(stdout).at(-1) as { data: { decisions: string[] } };
      expect(end.data.decisions.at(-1)).toBe("Rows:     test split: 79 of 392 rows (20%), a plain random draw; --stratify-target stratifies it by quintiles of 'Miles_per_Gallon'");
    }
    const mean = maes.reduce((s, v) => s + v, 0) / maes.length;
    expect(mean).toBeLessThanOrEqual(2.2);
  }, 180_000);

  it('--stratify-target gives each fifth of the mpg values its share of the 79 test cars, and says so', async () => {
    const { stdout, run } = await train('cars-stratified', [...CARS_ARGS, '--stratify-target', '--epochs', '1']);
    expect(decisions(stdout).at(-1)).toBe(
      "Rows:     test split: 79 of 392 rows (20%), stratified by quintiles of 'Miles_per_Gallon' (as --stratify-target asks), so the test rows span its values as the training rows do",
    );
    const config = JSON.parse(readFileSync(path.join(run, 'model', 'model.json'), 'utf8')) as { trainingConfig: { preprocessing: { split: TableSplitRecord } } };
    const { train: trainRows, test: testRows } = unpackRoles(config.trainingConfig.preprocessing.split);
    const mpg = (JSON.parse(readFileSync(CARS, 'utf8')) as { Miles_per_Gallon: number | null }[]).map((car) => car.Miles_per_Gallon);
    expect(trainRows.length + testRows.length).toBe(392);
    // The quintile edges of the 392 cars' mpg; each fifth (78 or 79 cars, ties kept together) gives 20% of its cars.
    const used = [...trainRows, ...testRows].map((i) => mpg[i]!).sort((a, b) => a - b);
    const edges = [1, 2, 3, 4].map((k) => used[Math.floor((k * 392) / 5)]!);
    const fifth = (v: number): number => edges.filter((e) => e <= v).length;
    const inFifth = (rows: number[], k: number): number => rows.filter((i) => fifth(mpg[i]!) === k).length;
    for (let k = 0; k < 5; k++) {
      const size = inFifth(trainRows, k) + inFifth(testRows, k);
      expect(Math.abs(inFifth(testRows, k) - (size * 79) / 392)).toBeLessThan(1);
    }
  }, 120_000);
});

describe('early stopping in the command', () => {
  it('restores the best epoch (default) and says so; --no-restore-best keeps the last', async () => {
    const { stdout } = await train('flowers-early', ['--data', `csv:${TABLES}/flowers-1-3.csv`, '--target', 'class', '--early-stopping', '2', '--epochs', '300', '--lr', '0.05']);
    const restored = /^Restored: the weights of epoch (\d+), the best val_loss \(([\d.e-]+)\); the saved model is that epoch's/m.exec(stdout);
    expect(restored).not.toBeNull();
    const stop = /^early stopping: val_loss has not improved for 2 epochs \(best ([\d.e-]+) at epoch (\d+)\); weights restored to that epoch$/m.exec(stdout);
    expect(stop).not.toBeNull();
    expect(stop![2]).toBe(restored![1]);
    const history = JSON.parse(readFileSync(path.join(dir, 'flowers-early', 'history.json'), 'utf8')) as { history: { val_loss: number[] } };
    // Keras's patience: training ran exactly 2 epochs past the best one.
    expect(history.history.val_loss.length).toBe(Number(restored![1]) + 2);
    const { stdout: last } = await train('flowers-early-last', ['--data', `csv:${TABLES}/flowers-1-3.csv`, '--target', 'class', '--early-stopping', '2', '--epochs', '300', '--lr', '0.05', '--no-restore-best']);
    expect(last).not.toMatch(/^Restored:/m);
    expect(last).toMatch(/^early stopping: val_loss has not improved for 2 epochs \(best [\d.e-]+ at epoch \d+\)$/m);
  });
});

describe('a regression table through PyTorch and back', () => {
  const PYTHON = '/usr/bin/python3';
  const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasTorch)('train.py trains in the standard units gradiente trained in; the imported model evaluates as the original', async () => {
    const { run } = await train('fechas-torch', ['--data', `csv:${TABLES}/consumo-fechas.csv`, '--target', 'consumo', '--epochs', '5', '--quiet']);
    const project = path.join(dir, 'fechas-torch-project');
    expect((await runCli(['export', '--model', run, '--format', 'pytorch', '--out', project])).code).toBe(0);
    const trained = spawnSync(PYTHON, ['train.py'], { cwd: project, encoding: 'utf8', timeout: 300_000 });
    expect(trained.status, trained.stderr).toBe(0);
    const back = path.join(dir, 'fechas-from-torch');
    expect((await runCli(['import', '--from', project, '--out', back])).code).toBe(0);
    const original = JSON.parse((await runCli(['evaluate', '--model', run, '--json'])).stdout) as { mae: number };
    const imported = JSON.parse((await runCli(['evaluate', '--model', back, '--json'])).stdout) as { mae: number };
    // Same trajectory in float32 on both sides: the same error, in the target's units (about 2-10, not 0.1-1 standard deviations).
    expect(imported.mae).toBeCloseTo(original.mae, 3);
    expect(original.mae).toBeGreaterThan(1);
  }, 300_000);
});
