/**
 * A run stopped mid-epoch — by Ctrl-C (SIGINT) or killed outright (SIGKILL) — and then
 * continued with --resume must end bit-identical to the same run left alone: same weights
 * (checksum), same history, same test figures.
 */
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, jsonLines, readJsonFile, runAndSignal, runCli, tempDir } from './cli-harness.js';
import { runWithEnv } from './lifecycle-harness.js';

// 1440 iterations per epoch (1600 samples, 10% validation, batch size 1): long enough to land a signal mid-epoch.
const RUN = ['train', '--data', 'spiral', '--samples', '1600', '--batch-size', '1', '--epochs', '3', '--lr', '0.003', '--lr-schedule', 'cosine', '--seed', '7', '--layers', '12,12', '--json-iterations'];
const ITERATIONS_PER_EPOCH = 1440;

interface Outcome {
  checksum: string;
  history: Record<string, unknown>;
  test: unknown;
}

function outcome(dir: string): Outcome {
  const metrics = readJsonFile<{ weightsChecksum: string; test: unknown }>(path.join(dir, 'metrics.json'));
  return { checksum: metrics.weightsChecksum, history: readJsonFile(path.join(dir, 'history.json')), test: metrics.test };
}

/** The signal lands at epoch 2, a fifth into it: the checkpoint holds epoch 1 only. */
const midEpochTwo = (line: string): boolean => line.includes('"event":"iteration","epoch":2,') && /"batch":300,/.test(line);

describe('train --resume', () => {
  let reference: Outcome;

  beforeAll(async () => {
    buildOnce();
    const dir = path.join(tempDir(), 'run');
    const result = await runCli([...RUN, '--out', dir]);
    expect(result.code, result.stderr).toBe(0);
    reference = outcome(dir);
    expect((reference.history.iterationLoss as number[]).length).toBe(3 * ITERATIONS_PER_EPOCH);
  }, 60_000);

  it('after Ctrl-C mid-epoch: finishes the batch, saves, says how to resume, exits 130; the resumed run equals the uninterrupted one', async () => {
    const dir = path.join(tempDir(), 'run');
    const interrupted = await runAndSignal([...RUN, '--out', dir], 'SIGINT', midEpochTwo);
    expect(interrupted.signalledAfter).not.toBeNull();
    expect(interrupted.code, interrupted.stderr).toBe(130);
    const events = jsonLines(interrupted.stdout);
    const stop = events.find((e) => e.event === 'interrupted')!;
    expect(stop).toBeDefined();
    expect(stop.resume).toBe(`gradiente train --resume ${dir}`);
    expect(stop.epoch).toBe(2);
    // Stopped between batches of epoch 2 (not at its end): the checkpoint is the end of epoch 1.
    expect((stop.iteration as number) % ITERATIONS_PER_EPOCH).not.toBe(0);
    expect(stop.checkpointEpoch).toBe(1);
    expect(readJsonFile(path.join(dir, 'checkpoint', 'latest.json'))).toEqual({ epoch: 1, dir: 'epoch-0001' });
    // What was there when Ctrl-C came is saved too: the model as it was, history and report so far.
    const partial = readJsonFile<{ iterationLoss: number[]; stopped: { reason: string } }>(path.join(dir, 'history.json'));
    expect(partial.iterationLoss.length).toBe(stop.iteration);
    expect(partial.stopped.reason).toBe('callback');

    const resumed = await runCli(['train', '--resume', dir, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const end = jsonLines(resumed.stdout).find((e) => e.event === 'end')!;
    expect(end.epochs).toBe(3);
    expect(outcome(dir)).toEqual(reference);
  }, 60_000);

  it('after kill -9 mid-epoch: the last checkpoint is complete, and the resumed run equals the uninterrupted one', async () => {
    const dir = path.join(tempDir(), 'run');
    const killed = await runAndSignal([...RUN, '--out', dir], 'SIGKILL', midEpochTwo);
    expect(killed.signal).toBe('SIGKILL');
    expect(readJsonFile(path.join(dir, 'checkpoint', 'latest.json'))).toEqual({ epoch: 1, dir: 'epoch-0001' });

    const resumed = await runCli(['train', '--resume', dir, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(jsonLines(resumed.stdout)[0]).toMatchObject({ event: 'start', epochs: 3, iterationsPerEpoch: ITERATIONS_PER_EPOCH });
    expect(outcome(dir)).toEqual(reference);
  }, 60_000);

  it('early stopping keeps counting its patience, and restores the same best weights, across a resume', async () => {
    const args = ['train', '--data', 'xor', '--samples', '800', '--batch-size', '4', '--epochs', '30', '--early-stopping', '1', '--seed', '2', '--lr', '0.01', '--json-iterations'];
    const whole = path.join(tempDir(), 'run');
    const alone = await runCli([...args, '--out', whole, '--json']);
    expect(alone.code, alone.stderr).toBe(0);
    const reference = outcome(whole);
    const epochs = (reference.history.epoch as number[]).length;
    expect(epochs).toBeLessThan(30);
    expect(jsonLines(alone.stdout).at(-1)).toMatchObject({ event: 'end', stopped: { reason: 'earlyStopping' } });

    // Killed inside the last epoch, after the best one; and killed once training ended, before the outputs.
    for (const moment of [`batch:${epochs}:50`, 'outputs']) {
      const dir = path.join(tempDir(), 'run');
      const killed = await runWithEnv([...args, '--out', dir], { GRADIENTE_TEST_KILL_AT: moment });
      expect(killed.signal).toBe('SIGKILL');
      const resumed = await runCli(['train', '--resume', dir, '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(jsonLines(resumed.stdout).at(-1)).toMatchObject({ event: 'end', epochs, stopped: { reason: 'earlyStopping' } });
      expect(outcome(dir), `killed at ${moment}`).toEqual(reference);
    }
  }, 60_000);

  it('refuses to resume a run that has nothing left to do, and to change its settings', async () => {
    const dir = path.join(tempDir(), 'run');
    expect((await runCli(['train', '--data', 'xor', '--epochs', '2', '--out', dir, '--quiet'])).code).toBe(0);
    const done = await runCli(['train', '--resume', dir]);
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/^error: --resume .*already completed its 2 epochs; pass --epochs with a larger number/);
    const changed = await runCli(['train', '--resume', dir, '--lr', '0.5']);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/--lr cannot change \(only --epochs/);
    const longer = await runCli(['train', '--resume', dir, '--epochs', '3', '--json']);
    expect(longer.code, longer.stderr).toBe(0);
    expect(readJsonFile<{ epochs: number }>(path.join(dir, 'metrics.json')).epochs).toBe(3);
  }, 60_000);
});
