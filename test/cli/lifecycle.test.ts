/**
 * A run is never lost: killed at any file write or named moment, stopped by Ctrl-C or
 * SIGTERM in its first epoch, out of disk space while writing its outputs, a closed stdout,
 * a damaged checkpoint — `--resume` (or, before anything was written, the same command)
 * always ends bit-identical to the run left alone. The moments come from the test hooks
 * (GRADIENTE_TEST_KILL_AT, GRADIENTE_TEST_FAIL_WRITE), so nothing here races a clock.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, cliPath, jsonLines, readJsonFile, ROOT, runAndSignal, runCli, tempDir } from './cli-harness.js';
import { outcome, runRecord, runWithEnv, type Outcome } from './lifecycle-harness.js';

// Small and quick: 17 iterations per epoch, 2 epochs.
const SMALL = ['train', '--data', 'spiral', '--samples', '300', '--batch-size', '16', '--epochs', '2', '--seed', '3', '--layers', '8', '--quiet'];
// Long enough per epoch (1440 iterations of batch size 1) for a signal to land inside epoch 1.
const LONG = ['train', '--data', 'spiral', '--samples', '1600', '--batch-size', '1', '--epochs', '2', '--seed', '7', '--layers', '12,12', '--json-iterations'];

/** Finish an interrupted run the way a user would: --resume, or the same command again when nothing was written. */
async function finish(dir: string, args: string[]): Promise<void> {
  const entries = readdirSync(dir).filter((e) => !e.startsWith('.lock'));
  const result = entries.length === 0 ? await runCli([...args, '--out', dir]) : await runCli(['train', '--resume', dir, '--quiet']);
  expect(result.code, `${result.stderr}`).toBe(0);
}

describe('run lifecycle', () => {
  let small: Outcome;
  let long: Outcome;

  beforeAll(async () => {
    buildOnce();
    const a = path.join(tempDir(), 'small');
    expect((await runCli([...SMALL, '--out', a])).code).toBe(0);
    small = outcome(a);
    expect(runRecord(a)).toMatchObject({ status: 'completed', epochsDone: 2 });
    const b = path.join(tempDir(), 'long');
    expect((await runCli([...LONG, '--out', b, '--json'])).code).toBe(0);
    long = outcome(b);
  }, 120_000);

  it('killed before each of its file writes, the run resumes and ends bit-identical', async () => {
    let killed = 0;
    for (let n = 1; n < 100; n++) {
      const dir = path.join(tempDir(), `write-${n}`);
      const result = await runWithEnv([...SMALL, '--out', dir], { GRADIENTE_TEST_KILL_AT: `write:${n}` });
      if (result.signal !== 'SIGKILL') {
        // The run made fewer than n writes: it completed untouched.
        expect(result.code, result.stderr).toBe(0);
        break;
      }
      killed++;
      expect(runRecord(dir)).toBeNull();
      await finish(dir, SMALL);
      expect(outcome(dir), `killed before write ${n}`).toEqual(small);
      expect(runRecord(dir)).toMatchObject({ status: 'completed', epochsDone: 2 });
    }
    // config, 3 checkpoints of 6 writes, 4 outputs, model files and run.json: every one was a kill point.
    expect(killed).toBeGreaterThan(20);
  }, 600_000);

  it.each(['start', 'batch:1:1', 'batch:1:7', 'epoch:1', 'batch:2:17', 'epoch:2', 'outputs', 'outputs:model', 'outputs:history', 'outputs:metrics', 'outputs:report', 'outputs:run'])(
    'killed at %s, the run resumes and ends bit-identical',
    async (moment) => {
      const dir = path.join(tempDir(), 'run');
      const result = await runWithEnv([...SMALL, '--out', dir], { GRADIENTE_TEST_KILL_AT: moment });
      expect(result.signal).toBe('SIGKILL');
      await finish(dir, SMALL);
      expect(outcome(dir)).toEqual(small);
      // Resuming a complete run is refused: nothing is left to do.
      const again = await runCli(['train', '--resume', dir]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/^error: --resume .*already completed its 2 epochs/);
    },
    60_000,
  );

  it.each([
    ['SIGINT', 130, /Ctrl-C: finishing the current batch/],
    ['SIGTERM', 143, /SIGTERM: finishing the current batch/],
  ] as const)('%s inside the first epoch: saves, exits %i, and the resumed run equals the uninterrupted one', async (signal, code, said) => {
    const dir = path.join(tempDir(), 'run');
    const stopped = await runAndSignal([...LONG, '--out', dir, '--json'], signal, (line) => line.includes('"event":"iteration","epoch":1,') && /"batch":200,/.test(line));
    expect(stopped.code, stopped.stderr).toBe(code);
    expect(stopped.stderr).toMatch(said);
    const event = jsonLines(stopped.stdout).find((e) => e.event === 'interrupted')!;
    expect(event).toMatchObject({ epoch: 1, checkpointEpoch: 0, signal: signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM', resume: `gradiente train --resume ${dir}` });
    expect(runRecord(dir)).toMatchObject({ status: 'interrupted', epochsDone: 0 });
    const resumed = await runCli(['train', '--resume', dir, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(outcome(dir)).toEqual(long);
  }, 60_000);

  it('a closed stdout (| head) stops the printing, not the training', async () => {
    const dir = path.join(tempDir(), 'run');
    const child = spawn(process.execPath, [cliPath(), ...LONG, '--out', dir, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read one chunk, then close our end of the pipe, as `head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('');
    expect(runRecord(dir)).toMatchObject({ status: 'completed', epochsDone: 2 });
    expect(outcome(dir)).toEqual(long);
  }, 60_000);

  it('disk full while writing the outputs: one line naming the file and what to do; --resume writes them', async () => {
    const dir = path.join(tempDir(), 'run');
    const full = await runWithEnv([...SMALL, '--out', dir], { GRADIENTE_TEST_FAIL_WRITE: 'ENOSPC:outputs' });
    expect(full.code).toBe(1);
    expect(full.stderr).toBe(`error: ${path.join(dir, 'model')}: no space left on the device; free some space, then run \`gradiente train --resume ${dir}\`\n`);
    expect(runRecord(dir)).toBeNull();
    const resumed = await runCli(['train', '--resume', dir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/Finishing: training ended at epoch 2 but its outputs were not all written/);
    expect(outcome(dir)).toEqual(small);
  }, 60_000);

  it('disk full in the middle of training: the last checkpoint is intact and the resumed run is bit-identical', async () => {
    const dir = path.join(tempDir(), 'run');
    const full = await runWithEnv([...SMALL, '--out', dir], { GRADIENTE_TEST_FAIL_WRITE: 'ENOSPC:epoch:1' });
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(new RegExp(`^error: ${dir}/checkpoint/epoch-0002/model: no space left on the device; free some space, then run \`gradiente train --resume ${dir}\`\\n$`));
    await finish(dir, SMALL);
    expect(outcome(dir)).toEqual(small);
  }, 60_000);

  it('a read-only place fails at once with one line', async () => {
    const dir = path.join(tempDir(), 'run');
    const result = await runWithEnv([...SMALL, '--out', dir], { GRADIENTE_TEST_FAIL_WRITE: 'EROFS:1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: ${path.join(dir, 'config.json')}: the file system is read-only; use a writable place with --out\n`);
  }, 30_000);

  it('permission denied in the middle of a run: one line naming the file, and the run resumes once it is fixed', async () => {
    const dir = path.join(tempDir(), 'run');
    const denied = await runWithEnv([...SMALL, '--out', dir], { GRADIENTE_TEST_FAIL_WRITE: 'EACCES:epoch:1' });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe(`error: ${dir}/checkpoint/epoch-0002/model: permission denied; make it writable for you, then run \`gradiente train --resume ${dir}\`\n`);
    await finish(dir, SMALL);
    expect(outcome(dir)).toEqual(small);
  }, 60_000);

  it('--out where no folder can be made fails at once, naming the path', async () => {
    const proc = await runCli([...SMALL, '--out', '/proc/gradiente-run'], { timeoutMs: 20_000 });
    expect(proc.signal).toBeNull();
    expect(proc.code).toBe(1);
    expect(proc.stderr).toBe('error: /proc/gradiente-run: no such file or folder (it cannot be created there); choose another path\n');
    const file = path.join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    const under = await runCli([...SMALL, '--out', path.join(file, 'run')]);
    expect(under.code).toBe(1);
    expect(under.stderr).toBe(`error: ${path.join(file, 'run')}: a part of this path is a file, not a folder; choose another path\n`);
  }, 30_000);

  it('--out on a folder that holds other files is refused, and nothing is written there', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const result = await runCli([...SMALL, '--out', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: --out ${dir} already holds files that are not a gradiente run; choose a new or empty directory (train never writes among other files)\n`);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('a second process cannot train into or resume a run in use; the lock names the first one and goes stale when it dies', async () => {
    const dir = path.join(tempDir(), 'run');
    const first = spawn(process.execPath, [cliPath(), ...LONG, '--out', dir, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => first.stdout.on('data', (d: Buffer) => d.toString().includes('"event":"iteration"') && resolve()));
    const resume = await runCli(['train', '--resume', dir]);
    expect(resume.code).toBe(1);
    expect(resume.stderr).toMatch(new RegExp(`^error: ${dir} is in use by process ${first.pid} \\(gradiente train, since [^)]+\\); wait for it to finish or stop it, then try again\\n$`));
    const into = await runCli([...LONG, '--out', dir]);
    expect(into.code).toBe(1);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.on('close', resolve));
    const resumed = await runCli(['train', '--resume', dir, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`warning: ${path.join(dir, '.lock')} was left by process ${first.pid}, which is no longer running; taking over the run folder`);
    expect(outcome(dir)).toEqual(long);
    expect(readdirSync(dir).filter((e) => e.startsWith('.lock'))).toEqual([]);
  }, 60_000);

  it('two runs started at once on the same --out: exactly one trains there', async () => {
    const dir = path.join(tempDir(), 'run');
    const results = await Promise.all([runCli([...SMALL, '--out', dir]), runCli([...SMALL, '--out', dir])]);
    expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(results.find((r) => r.code === 1)!.stderr).toMatch(/is in use by process \d+|already holds files/);
    expect(outcome(dir)).toEqual(small);
  }, 60_000);

  it('runs started at once without --out get folders of their own', async () => {
    const cwd = tempDir();
    const args = SMALL.filter((a) => a !== '--quiet').concat('--json');
    const results = await Promise.all([0, 1, 2].map(() => runCli(args, { cwd })));
    const outs = results.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return jsonLines(r.stdout).at(-1)!.out as string;
    });
    expect(new Set(outs).size).toBe(3);
    for (const out of outs) expect(outcome(path.join(cwd, out))).toEqual(small);
  }, 60_000);

  it('a damaged checkpoint is refused and the previous one used; with none intact, one clear error', async () => {
    const dir = path.join(tempDir(), 'run');
    expect((await runWithEnv([...SMALL, '--out', dir], { GRADIENTE_TEST_KILL_AT: 'outputs' })).signal).toBe('SIGKILL');
    const weights = path.join(dir, 'checkpoint', 'epoch-0002', 'model', 'weights.bin');
    const bytes = readFileSync(weights);
    bytes[10] ^= 1;
    writeFileSync(weights, bytes);
    const resumed = await runCli(['train', '--resume', dir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`the checkpoint ${path.join(dir, 'checkpoint', 'epoch-0002')} is unusable: model/weights.bin does not match its checksum (damaged or edited); resuming from the intact checkpoint ${path.join(dir, 'checkpoint', 'epoch-0001')} (end of epoch 1) instead`);
    expect(outcome(dir)).toEqual(small);

    const other = path.join(tempDir(), 'run');
    expect((await runWithEnv([...SMALL, '--out', other], { GRADIENTE_TEST_KILL_AT: 'outputs' })).signal).toBe('SIGKILL');
    for (const epoch of ['epoch-0001', 'epoch-0002']) {
      const state = path.join(other, 'checkpoint', epoch, 'training-state.json');
      writeFileSync(state, readFileSync(state, 'utf8').replace('"trainingSeconds": ', '"trainingSeconds": 1'));
    }
    const refused = await runCli(['train', '--resume', other]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n').at(-2)).toMatch(/^error: --resume .*: no intact checkpoint \(.*epoch-0002 is unusable: training-state.json does not match its checksum.*epoch-0001 is unusable: training-state.json does not match its checksum.*\); start the run again with --config .*config.json --out <new dir>$/);
  }, 60_000);

  it('an old checkpoint that cannot be removed is a warning, not an abort', async () => {
    const dir = path.join(tempDir(), 'run');
    const result = await runWithEnv([...SMALL, '--out', dir], { GRADIENTE_TEST_FAIL_REMOVE: 'EBUSY' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`warning: could not remove the old checkpoint ${path.join(dir, 'checkpoint', 'epoch-0000')} (EBUSY: injected failure`);
    expect(result.stderr).toContain('training goes on, remove it by hand to free the space');
    expect(outcome(dir)).toEqual(small);
  }, 30_000);

  it('the checkpoint records its backend; resuming where that backend cannot run warns that the results will differ', async () => {
    const dir = path.join(tempDir(), 'run');
    expect((await runWithEnv([...SMALL, '--backend', 'js', '--out', dir], { GRADIENTE_TEST_KILL_AT: 'epoch:1' })).signal).toBe('SIGKILL');
    const checkpoint = path.join(dir, 'checkpoint', 'epoch-0001');
    const state = readJsonFile<{ backend: string }>(path.join(checkpoint, 'training-state.json'));
    expect(state.backend).toBe('js');
    // Say it came from a backend this machine lacks (and seal the edit, as if it were genuine).
    const edited = readFileSync(path.join(checkpoint, 'training-state.json'), 'utf8').replace('"backend": "js"', '"backend": "gpu"');
    writeFileSync(path.join(checkpoint, 'training-state.json'), edited);
    const sums = readJsonFile<Record<string, string>>(path.join(checkpoint, 'checksums.json'));
    sums['training-state.json'] = createHash('sha256').update(edited).digest('hex');
    writeFileSync(path.join(checkpoint, 'checksums.json'), JSON.stringify(sums));
    const resumed = await runCli(['train', '--resume', dir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("warning: the checkpoint was computed on the 'gpu' backend, which cannot run here; continuing on --backend js, so the results will differ slightly from an uninterrupted run");
  }, 60_000);

  it('resume runs on the backend the checkpoint names and says so', async () => {
    const dir = path.join(tempDir(), 'run');
    expect((await runWithEnv([...SMALL, '--backend', 'js', '--out', dir], { GRADIENTE_TEST_KILL_AT: 'epoch:1' })).signal).toBe('SIGKILL');
    const resumed = await runCli(['train', '--resume', dir, '--epochs', '2']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/Resuming: from the end of epoch 1 \(iteration 17, backend js\)/);
    // --epochs rewrites config.json, keeping the command that started the run.
    expect(readJsonFile<{ command: string }>(path.join(dir, 'config.json')).command).toMatch(/train --data spiral .*--backend js/);
  }, 60_000);
});
