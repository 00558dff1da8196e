/**
 * What a run recorded about its data (model.json's trainingConfig) is input like any other:
 * evaluate and predict use a recorded path only when --data is left out, through the same
 * checks as a path typed by the user (regular files only), and a damaged or edited field is
 * one clear error naming it, never an internal error.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, runCli, tempDir } from './cli-harness.js';

let run: string;
let original: string;

/** The run's model.json with its trainingConfig changed by `edit`. */
function withRecord(edit: (config: { settings: Record<string, unknown>; preprocessing: Record<string, unknown> }) => void): void {
  const json = JSON.parse(original) as { trainingConfig: { settings: Record<string, unknown>; preprocessing: Record<string, unknown> } };
  edit(json.trainingConfig);
  writeFileSync(path.join(run, 'model', 'model.json'), JSON.stringify(json));
}

describe('data recorded in a run', () => {
  beforeAll(async () => {
    buildOnce();
    run = path.join(tempDir(), 'run');
    const trained = await runCli(['train', '--data', 'spiral', '--samples', '200', '--epochs', '1', '--out', run, '--quiet']);
    expect(trained.code, trained.stderr).toBe(0);
    original = readFileSync(path.join(run, 'model', 'model.json'), 'utf8');
  }, 60_000);

  it.each([
    ['settings.data is not a string', (c: { settings: Record<string, unknown> }) => void (c.settings.data = 42), /trainingConfig\.settings\.data must be the data source, as for --data, not 42; the file was edited or damaged/],
    ['settings.lr is not a number', (c: { settings: Record<string, unknown> }) => void (c.settings.lr = 'fast'), /model\.json \(trainingConfig\.settings\).*lr.*fast/],
    ['preprocessing.inputDim is a string', (c: { preprocessing: Record<string, unknown> }) => void (c.preprocessing.inputDim = 'two'), /trainingConfig\.preprocessing\.inputDim must be a positive whole number, not "two"/],
    ['preprocessing.split.file is an object', (c: { preprocessing: Record<string, unknown> }) => void (c.preprocessing.split = { file: { path: '/etc/passwd' }, rows: 3 }), /trainingConfig\.preprocessing\.split\.file must be the path of the training file/],
    ['preprocessing.scaling has the wrong length', (c: { preprocessing: Record<string, unknown> }) => void (c.preprocessing.scaling = { mean: [0], std: [1] }), /trainingConfig\.preprocessing\.scaling must be null or \{mean, std\} with 2 numbers each/],
  ])('%s: one clear error line', async (_what, edit, message) => {
    withRecord(edit as never);
    for (const command of [['evaluate', '--model', run], ['predict', '--model', run, '--input', path.join(run, 'history.json')]]) {
      const result = await runCli(command);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/internal error/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 60_000);

  it('a recorded path to a FIFO or a device is refused unread, as a typed one would be; --data overrides the record', async () => {
    const fifo = path.join(tempDir(), 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    for (const source of [`json:${fifo}`, 'json:/dev/zero']) {
      withRecord((c) => void Object.assign(c.settings, { data: source, target: 'y' }));
      const result = await runCli(['evaluate', '--model', run], { timeoutMs: 20_000 });
      expect(result.signal).toBeNull();
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/cannot read it \(not a regular file but a pipe, device or socket; only regular files are read\)/);
    }
    // The record is used only when --data is left out, and said before it is read.
    withRecord(() => undefined);
    const recorded = await runCli(['evaluate', '--model', run]);
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(recorded.stdout.split('\n')[0]).toBe(`Reading:  spiral (the data recorded in ${path.join(run, 'model')}, since --data was not given)`);
    const chosen = await runCli(['evaluate', '--model', run, '--data', 'spiral']);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stdout).not.toMatch(/^Reading:/m);
  }, 60_000);
});
