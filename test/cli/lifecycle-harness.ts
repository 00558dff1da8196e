/**
 * Helpers for the run-lifecycle tests: the CLI with the test hooks of src/node/test-hooks.ts
 * set (GRADIENTE_TEST_KILL_AT, GRADIENTE_TEST_FAIL_WRITE), and what a finished run left.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliPath, ROOT, type CliResult } from './cli-harness.js';

/** Run `gradiente ...args` with extra environment variables, to completion. */
export function runWithEnv(args: string[], env: Record<string, string>, options: { cwd?: string } = {}): Promise<CliResult & { pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath(), ...args], { cwd: options.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, pid: child.pid! });
    });
  });
}

export interface Outcome {
  checksum: string;
  history: Record<string, unknown>;
  test: unknown;
}

/** What a run ended with: the weights (checksum), the whole history, the test figures. */
export function outcome(dir: string): Outcome {
  const metrics = JSON.parse(readFileSync(path.join(dir, 'metrics.json'), 'utf8')) as { weightsChecksum: string; test: unknown };
  return { checksum: metrics.weightsChecksum, history: JSON.parse(readFileSync(path.join(dir, 'history.json'), 'utf8')) as Record<string, unknown>, test: metrics.test };
}

/** run.json: present only once every final output is written. */
export function runRecord(dir: string): { status: string; epochsDone: number } | null {
  const file = path.join(dir, 'run.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { status: string; epochsDone: number }) : null;
}
