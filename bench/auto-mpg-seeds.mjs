// Auto MPG (vega-datasets cars.json, as published) over many seeds: the test MAE of
// `gradiente train` with its defaults (the test split drawn plainly at random), with the split
// stratified by quintiles of the target (--stratify-target), and with early stopping; then the Keras regression tutorial's recipe, run in PyTorch by
// bench/auto_mpg_keras.py, on exactly the same training and test rows of each seed. It prints
// one table (mean, median, spread over the seeds) and writes every figure to a JSON file.
// Figures quoted in docs/CLI.md ("How good is the test MAE?") come from this script.
//
// Usage: node bench/auto-mpg-seeds.mjs [--seeds 1-20,42] [--cli dist/src/cli/main.js]
//          [--out bench/results/auto-mpg-seeds.json] [--variants plain,stratified,early,early-stratified]
//          [--python /usr/bin/python3] [--inits 3]
// Runs one training at a time (the machine it runs on may be shared).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(' ')
    .split(/\s*--/)
    .filter(Boolean)
    .map((a) => {
      const [k, ...v] = a.split(/\s+/);
      return [k, v.join(' ')];
    }),
);
const seeds = parseSeeds(args.seeds ?? '1-20,42');
const cli = path.resolve(args.cli ?? path.join(ROOT, 'dist/src/cli/main.js'));
const outFile = path.resolve(args.out ?? path.join(ROOT, 'bench/results/auto-mpg-seeds.json'));
const python = args.python ?? '/usr/bin/python3';
const inits = Number(args.inits ?? 3);
const variants = (args.variants ?? 'plain,stratified,early,early-stratified').split(',');
const CARS = path.join(ROOT, 'node_modules/vega-datasets/data/cars.json');
const BASE = ['--data', `json:${CARS}`, '--target', 'Miles_per_Gallon', '--drop', 'Name', '--missing', 'drop'];

/** What each variant adds to the defaults, and which split it draws. */
const VARIANTS = {
  plain: { flags: [], split: 'plain', label: 'gradiente defaults (plain random split)' },
  stratified: { flags: ['--stratify-target'], split: 'stratified', label: 'gradiente defaults, split stratified by quintiles of mpg (--stratify-target)' },
  early: { flags: ['--early-stopping', '10', '--epochs', '200'], split: 'plain', label: 'early stopping (patience 10, up to 200 epochs, best epoch restored), plain split' },
  'early-stratified': { flags: ['--stratify-target', '--early-stopping', '10', '--epochs', '200'], split: 'stratified', label: 'early stopping (patience 10, up to 200 epochs, best epoch restored), stratified split' },
};

function parseSeeds(text) {
  const out = [];
  for (const part of text.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let s = a; s <= (b ?? a); s++) out.push(s);
  }
  return out;
}

const { unpackRoles } = await import(pathToFileURL(path.join(path.dirname(cli), 'data-source.js')).href);
const work = mkdtempSync(path.join(tmpdir(), 'auto-mpg-seeds-'));
const results = { seeds, gradiente: {}, splits: {}, keras: {} };

try {
  for (const name of variants) {
    const variant = VARIANTS[name];
    if (!variant) throw new Error(`unknown variant ${name}; known: ${Object.keys(VARIANTS).join(', ')}`);
    results.gradiente[name] = { label: variant.label, mae: {} };
    for (const seed of seeds) {
      const out = path.join(work, `${name}-${seed}`);
      const run = spawnSync(process.execPath, [cli, 'train', ...BASE, ...variant.flags, '--seed', String(seed), '--json', '--out', out], { encoding: 'utf8', maxBuffer: 64 << 20 });
      if (run.status !== 0) throw new Error(`seed ${seed} (${name}) failed:\n${run.stderr}`);
      const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
      const end = events.find((e) => e.event === 'end');
      results.gradiente[name].mae[seed] = end.test.mae;
      const key = `${variant.split}-${seed}`;
      if (!results.splits[key]) {
        const model = JSON.parse(readFileSync(path.join(out, 'model', 'model.json'), 'utf8'));
        const { train, test } = unpackRoles(model.trainingConfig.preprocessing.split);
        results.splits[key] = { split: variant.split, seed, train, test };
      }
      process.stderr.write(`${name} seed ${seed}: test MAE ${end.test.mae.toFixed(3)}\n`);
      rmSync(out, { recursive: true, force: true });
    }
  }
  // The Keras recipe on the very same rows.
  const splitsFile = path.join(work, 'splits.json');
  writeFileSync(splitsFile, JSON.stringify({ cars: CARS, inits, splits: Object.values(results.splits) }));
  const keras = spawnSync(python, [path.join(ROOT, 'bench/auto_mpg_keras.py'), splitsFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  if (keras.status !== 0) throw new Error('bench/auto_mpg_keras.py failed');
  results.keras = JSON.parse(keras.stdout);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const stats = (values) => {
  const v = [...values].sort((a, b) => a - b);
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1));
  const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return { mean, median, sd, min: v[0], max: v.at(-1), n: v.length };
};
const fmt = (x) => x.toFixed(2);
const rows = [];
const addRow = (label, bySeed) => {
  const others = seeds.filter((s) => s !== 42).map((s) => bySeed[s]);
  const all = seeds.map((s) => bySeed[s]);
  const st = stats(all);
  rows.push({ label, all: st, without42: stats(others), seed42: bySeed[42] });
  console.log(`${label}\n  seeds ${seeds.length}: mean ${fmt(st.mean)}, median ${fmt(st.median)}, sd ${fmt(st.sd)}, range ${fmt(st.min)}-${fmt(st.max)}` + (bySeed[42] !== undefined ? `; seed 42: ${fmt(bySeed[42])}` : ''));
};
for (const name of variants) addRow(VARIANTS[name].label, results.gradiente[name].mae);
for (const split of ['plain', 'stratified']) {
  const bySeed = {};
  const lsq = {};
  for (const seed of seeds) {
    const r = results.keras[`${split}-${seed}`];
    if (!r) continue;
    bySeed[seed] = r.mae.reduce((s, x) => s + x, 0) / r.mae.length;
    lsq[seed] = r.leastSquares;
  }
  if (Object.keys(bySeed).length === seeds.length) {
    addRow(`Keras tutorial recipe in PyTorch (mean of ${inits} inits), ${split} split`, bySeed);
    addRow(`least squares (exact), ${split} split`, lsq);
  }
}
results.summary = rows;
delete results.splits;
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(results, null, 1)}\n`);
console.log(`figures: ${path.relative(process.cwd(), outFile)}`);
