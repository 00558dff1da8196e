/**
 * Every path the command line reads goes through the data-file checks (regular file, size
 * limit) before a byte is read: a FIFO, /dev/zero or a folder given as csv:PATH, recorded in
 * a run, or given as --config is one error line, never a hang. Each command runs under a
 * subprocess time limit, so a regression fails here (killed, signal set) instead of hanging.
 * Also: default output folders of compare and lr-find are claimed, never shared.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, jsonLines, ROOT, runCli, tempDir } from './cli-harness.js';

const REFUSED = /cannot read it \(not a regular file but a pipe, device or socket; only regular files are read\)/;
const LIMIT = { timeoutMs: 20_000 };

function expectOneErrorLine(result: { code: number | null; signal: NodeJS.Signals | null; stderr: string }, message: RegExp): void {
  expect(result.signal, 'killed by the time limit: it waited on the input').toBeNull();
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
}

describe('inputs that are not regular files', () => {
  let dir: string;
  let fifo: string;
  beforeAll(() => {
    buildOnce();
    dir = tempDir();
    fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
  }, 120_000);

  it.each([
    ['a FIFO', () => fifo, REFUSED],
    ['/dev/zero', () => '/dev/zero', REFUSED],
    ['a folder', () => dir, /cannot read it \(is a directory, not a file\)/],
  ])('train --data csv: on %s is one error line', async (_what, file, message) => {
    const result = await runCli(['train', '--data', `csv:${file()}`, '--target', 'y', '--out', path.join(tempDir(), 'run')], LIMIT);
    expectOneErrorLine(result, message);
  }, 30_000);

  it('--config naming a FIFO or /dev/zero is one error line', async () => {
    for (const file of [fifo, '/dev/zero']) {
      const result = await runCli(['train', '--config', file, '--out', path.join(tempDir(), 'run')], LIMIT);
      expectOneErrorLine(result, /^error: --config .*cannot read it \(not a regular file/);
    }
  }, 30_000);

  it('a table run whose recorded CSV became a FIFO: evaluate and predict refuse it unread; --json says what it reads on stderr', async () => {
    const data = path.join(dir, 'penguins.csv');
    copyFileSync(path.join(ROOT, 'examples/data/penguins.csv'), data);
    const run = path.join(dir, 'run');
    const trained = await runCli(['train', '--data', `csv:${data}`, '--target', 'species', '--epochs', '1', '--out', run, '--quiet']);
    expect(trained.code, trained.stderr).toBe(0);

    // Before: the record is named on stderr before reading, and stdout is the one result object.
    const json = await runCli(['evaluate', '--model', run, '--json'], LIMIT);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toBe(`Reading:  ${data} (the data recorded in ${path.join(run, 'model')}, since --data was not given)\n`);
    expect(jsonLines(json.stdout)).toHaveLength(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ samples: expect.any(Number) as number });

    rmSync(data);
    execFileSync('mkfifo', [data]);
    const recorded = await runCli(['evaluate', '--model', run, '--json'], LIMIT);
    expect(recorded.signal, 'killed by the time limit: it waited on the FIFO').toBeNull();
    expect(recorded.code).toBe(1);
    expect(recorded.stderr).toMatch(REFUSED);
    expect(recorded.stdout).toBe('');
    const predicted = await runCli(['predict', '--model', run, '--input', data], LIMIT);
    expectOneErrorLine(predicted, REFUSED);
  }, 60_000);
});

describe('default output folders of compare and lr-find', () => {
  beforeAll(() => void buildOnce(), 120_000);

  it.each([
    ['lr-find', ['lr-find', '--data', 'xor', '--steps', '20', '--json']],
    ['compare', ['compare', '--lr', '0.1,0.3', '--data', 'xor', '--epochs', '1', '--json']],
  ])('%s: three started together get three folders, each with its own report', async (_name, args) => {
    const cwd = tempDir();
    const runs = await Promise.all([0, 1, 2].map(() => runCli(args, { cwd, timeoutMs: 60_000 })));
    const outs = runs.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return String(jsonLines(r.stdout).at(-1)!.out);
    });
    expect(new Set(outs).size).toBe(3);
    for (const out of outs) expect(existsSync(path.join(cwd, out, 'report.html'))).toBe(true);
    expect(readdirSync(path.join(cwd, 'runs'))).toHaveLength(3);
  }, 120_000);

  it('a run that fails leaves no empty folder behind', async () => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, 'runs'));
    const result = await runCli(['lr-find', '--data', 'csv:/dev/zero', '--target', 'y'], { cwd, ...LIMIT });
    expectOneErrorLine(result, REFUSED);
    expect(readdirSync(path.join(cwd, 'runs'))).toEqual([]);
  }, 30_000);
});
