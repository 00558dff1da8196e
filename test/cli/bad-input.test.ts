/**
 * Every bad input ends with one clear line on stderr ("error: ..."), a non-zero exit, no
 * stack trace (unless --debug), and nothing already saved touched.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, ROOT, runCli, tempDir } from './cli-harness.js';

let dir = '';
let run = '';
const penguins = path.join(ROOT, 'examples/data/penguins.csv');

/** Hash of every file under `root`: equal before and after means nothing was touched. */
function snapshot(root: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const full = path.join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(full).update(readFileSync(full)).update(String(statSync(full).mtimeMs));
    }
  };
  walk(root);
  return hash.digest('hex');
}

beforeAll(async () => {
  buildOnce();
  dir = tempDir();
  writeFileSync(path.join(dir, 'text-in-feature.csv'), 'a,b,label\n1,2,x\n3,oops,y\n');
  writeFileSync(path.join(dir, 'short-row.csv'), 'a,b,label\n1,2,x\n3,4\n');
  // Line endings mixed ("\n", then "\r\n"): the short row is still named by its own line.
  writeFileSync(path.join(dir, 'mixed-endings.csv'), 'a,b,label\n1,2,x\r\n5,6,y\n3,4\r\n');
  writeFileSync(path.join(dir, 'table-syntax.json'), '[{"a": 1, "label": "x"},\n {"a": 2, "label": }]');
  writeFileSync(path.join(dir, 'table-nested.json'), '[{"a": 1, "label": "x"}, {"a": [2], "label": "y"}]');
  writeFileSync(path.join(dir, 'typo.json'), '{"data": "spiral", "epochz": 3}');
  writeFileSync(path.join(dir, 'broken.json'), '{"data": "spiral",');
  // A quoted note that spans two lines: the bad value is on line 3, where its row starts.
  writeFileSync(path.join(dir, 'multiline.csv'), 'beak_length_mm,beak_depth_mm,flipper_length_mm,body_mass_g\n39.1,18.7,181,3750\n"big\nbird",18.7,181,3750\n');
  writeFileSync(path.join(dir, 'extra-column.csv'), 'beak_length_mm,beak_depth_mm,flipper_length_mm,body_mass_g,colour\n39.1,18.7,181,3750,3\n');
  run = path.join(dir, 'run');
  const trained = await runCli(['train', '--data', `csv:${penguins}`, '--target', 'species', '--epochs', '2', '--out', run, '--quiet']);
  expect(trained.code, trained.stderr).toBe(0);
}, 60_000);

const cases: [string, () => string[], RegExp][] = [
  ['unknown flag, with "did you mean"', () => ['train', '--epcohs', '3'], /^error: unknown option '--epcohs' \(Did you mean --epochs\?\)$/],
  ['unknown command', () => ['trian'], /^error: unknown command 'trian' \(Did you mean train\?\)$/],
  ['negative learning rate', () => ['train', '--lr', '-1'], /^error: --lr must be a positive number, got '-1'$/],
  ['learning rate that is not a number', () => ['train', '--lr', 'fast'], /^error: --lr must be a positive number, got 'fast'$/],
  ['batch size 0', () => ['train', '--batch-size', '0'], /^error: --batch-size must be a positive whole number or 'full'.*got '0'$/],
  ['epochs 2.5', () => ['train', '--epochs', '2.5'], /^error: --epochs must be a positive whole number, got '2.5'$/],
  ['validation split of 1', () => ['train', '--validation-split', '1'], /^error: --validation-split must be a fraction in \[0, 1\), got '1'$/],
  ['unknown optimizer', () => ['train', '--optimizer', 'adamm'], /^error: --optimizer: unknown value 'adamm' \(did you mean 'adam'\?\)/],
  ['unknown activation', () => ['train', '--data', 'xor', '--activation', 'rellu'], /^error: --activation: unknown activation 'rellu' \(did you mean 'relu'\?\)/],
  ['unknown loss', () => ['train', '--data', 'xor', '--loss', 'crossentropy'], /^error: --loss: unknown loss 'crossentropy'/],
  ['unknown data source', () => ['train', '--data', 'spirl'], /^error: --data: unknown data source 'spirl' \(did you mean 'spiral'\?\)/],
  ['missing data file (path and reason)', () => ['train', '--data', `csv:${path.join(dir, 'nope.csv')}`, '--target', 'y'], /^error: .*nope\.csv: cannot read it \(no such file\)$/],
  ['bad CSV value (line, column)', () => ['train', '--data', `csv:${path.join(dir, 'text-in-feature.csv')}`, '--target', 'label'], /^error: .*text-in-feature\.csv: line 3, column 2 \('b'\) is "oops", not a number/],
  ['CSV row with a missing field (line)', () => ['train', '--data', `csv:${path.join(dir, 'short-row.csv')}`, '--target', 'label'], /^error: .*short-row\.csv: line 3 has 2 fields but the header \(line 1\) has 3/],
  ['CSV mixing line endings, row with a missing field (its line)', () => ['train', '--data', `csv:${path.join(dir, 'mixed-endings.csv')}`, '--target', 'label'], /^error: .*mixed-endings\.csv: line 4 has 2 fields but the header \(line 1\) has 3/],
  ['JSON table with a syntax error (line, column)', () => ['train', '--data', `json:${path.join(dir, 'table-syntax.json')}`, '--target', 'label'], /^error: .*table-syntax\.json: is not valid JSON \(expected a value\) at line 2, column 20$/],
  ['JSON record holding an array (record, key)', () => ['train', '--data', `json:${path.join(dir, 'table-nested.json')}`, '--target', 'label'], /^error: .*table-nested\.json: record 1, key 'a' holds an array; values must be numbers, strings or booleans$/],
  ['target column absent', () => ['train', '--data', `csv:${penguins}`, '--target', 'specie'], /^error: .*penguins\.csv: no column named 'specie' to use as the target; the columns are: 'beak_length_mm'/],
  ['table without --target', () => ['train', '--data', `csv:${penguins}`], /^error: --data csv:.* needs --target COLUMN/],
  ['incompatible loss and output', () => ['train', '--data', 'line', '--loss', 'cce'], /^error: --loss categoricalCrossentropy does not fit a numeric target: with one output, softmax is always 1/],
  ['activations that do not match the layers', () => ['train', '--data', 'xor', '--layers', '4,4', '--activation', 'relu,tanh,relu'], /^error: --activation lists 3 activations for 2 hidden layers/],
  ['config file with an unknown setting', () => ['train', '--config', path.join(dir, 'typo.json')], /^error: --config .*typo\.json: unknown setting "epochz" \(did you mean 'epochs'\?\)/],
  ['config file that is not JSON', () => ['train', '--config', path.join(dir, 'broken.json')], /^error: --config .*broken\.json: is not valid JSON/],
  ['unknown backend', () => ['train', '--data', 'xor', '--backend', 'gpu'], /^error: --backend: unknown backend 'gpu'; choose one of: auto, native, wasm, js$/],
  ['--quiet with --json', () => ['train', '--quiet', '--json'], /^error: --quiet and --json contradict each other/],
  ['compare without a list', () => ['compare', '--data', 'xor'], /^error: compare needs a list of values for one setting/],
  ['compare with two lists', () => ['compare', '--lr', '0.1,1', '--batch-size', '1,2'], /^error: compare varies one setting at a time.*--batch-size and --lr$/],
  ['evaluate a missing model', () => ['evaluate', '--model', path.join(dir, 'nope')], /^error: .*nope: cannot open the model \(no such file or directory\)$/],
  ['predict without --input', () => ['predict', '--model', run], /^error: required option '--input <file>' not specified$/],
  ['predict on a file with a bad value in a row that spans lines (the line it starts on)', () => ['predict', '--model', run, '--input', path.join(dir, 'multiline.csv')], /^error: .*multiline\.csv: line 3, column 1 \('beak_length_mm'\) is "big\\nbird", not a number/],
  ['predict on a file with a column the model does not know', () => ['predict', '--model', run, '--input', path.join(dir, 'extra-column.csv')], /^error: .*extra-column\.csv: column 'colour' is neither one of the model's features/],
  ['lr-find with an empty range', () => ['lr-find', '--start-lr', '1', '--end-lr', '0.1'], /^error: --end-lr 0\.1 must be larger than --start-lr 1$/],
  ['gradcheck with a layer of size 0', () => ['gradcheck', '--layers', '0'], /^error: --layers: every layer size must be a positive whole number, got '0'/],
];

describe('bad input', () => {
  it.each(cases)('%s: one line, non-zero exit', async (_name, args, message) => {
    const result = await runCli(args());
    expect(result.code).not.toBe(0);
    expect(result.stderr.trimEnd()).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('--debug adds the stack trace', async () => {
    const result = await runCli(['train', '--data', `csv:${path.join(dir, 'nope.csv')}`, '--target', 'y', '--debug']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*nope\.csv: cannot read it/);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('leaves a saved run untouched: training into it, or with bad flags pointing at it, changes nothing', async () => {
    const before = snapshot(run);
    const into = await runCli(['train', '--data', 'xor', '--out', run]);
    expect(into.code).toBe(1);
    expect(into.stderr).toMatch(/already holds files; choose another directory, or continue that run with --resume/);
    const badResume = await runCli(['train', '--resume', run, '--lr', '-1']);
    expect(badResume.code).toBe(1);
    const badPredict = await runCli(['predict', '--model', run, '--input', path.join(dir, 'text-in-feature.csv'), '--output', path.join(run, 'history.json')]);
    expect(badPredict.code).toBe(1);
    expect(snapshot(run)).toBe(before);
  }, 30_000);
});
