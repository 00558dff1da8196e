/**
 * Running the real `gradiente` executable in tests: the sources are compiled once (per
 * content of src/ and examples/) into node_modules/.cache, where Node still finds the
 * dependencies, and every test spawns `node main.js ...` as a user's shell would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|json)$/.test(entry)) hash.update(full).update(readFileSync(full));
    }
  };
  for (const dir of ['src', 'examples']) if (existsSync(path.join(ROOT, dir))) walk(path.join(ROOT, dir));
  hash.update(readFileSync(path.join(ROOT, 'tsconfig.json'))).update(readFileSync(path.join(ROOT, 'tsconfig.build.json')));
  return hash.digest('hex').slice(0, 16);
}

let built: string | null = null;

/** The compiled output directory (holding src/cli/main.js and examples/*.js), built if needed. */
export function buildOnce(): string {
  if (built !== null) return built;
  const cache = path.join(ROOT, 'node_modules', '.cache', 'gradiente-cli-test');
  const out = path.join(cache, sourceHash());
  const done = path.join(out, '.built');
  const lock = `${out}.lock`;
  mkdirSync(cache, { recursive: true });
  const deadline = Date.now() + 120_000;
  while (!existsSync(done)) {
    let owner = false;
    try {
      mkdirSync(lock);
      owner = true;
    } catch {
      // Another test file is compiling the same sources: wait for it.
    }
    if (owner) {
      try {
        if (!existsSync(done)) {
          const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out], { cwd: ROOT, encoding: 'utf8' });
          // Type errors elsewhere in the tree still emit JavaScript; the CLI must have been emitted.
          if (!existsSync(path.join(out, 'src/cli/main.js'))) throw new Error(`compiling the CLI failed:\n${result.stdout}${result.stderr}`);
          writeFileSync(done, new Date().toISOString());
          removeStaleBuilds(cache, out);
        }
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    } else {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      spawnSync('sleep', ['0.2']);
    }
  }
  built = out;
  return out;
}

/** Builds of older sources, untouched for an hour (a build in use by a running test is fresh). */
function removeStaleBuilds(cache: string, keep: string): void {
  for (const entry of readdirSync(cache)) {
    const full = path.join(cache, entry);
    if (full !== keep && !entry.endsWith('.lock') && Date.now() - statSync(full).mtimeMs > 3_600_000) rmSync(full, { recursive: true, force: true });
  }
}

export function cliPath(): string {
  return path.join(buildOnce(), 'src/cli/main.js');
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const tempDirs: string[] = [];

/** A fresh directory, removed when the test file is done. */
export function tempDir(prefix = 'gradiente-cli-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Run `gradiente ...args` to completion. */
export function runCli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export function spawnCli(args: string[], options: { cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [cliPath(), ...args], { cwd: options.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
}

/**
 * Run a command and send `signal` to it once `when(line)` holds for a line of its stdout.
 * Resolves with everything it printed and how it ended.
 */
export function runAndSignal(args: string[], signal: NodeJS.Signals, when: (line: string) => boolean): Promise<CliResult & { signalledAfter: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args);
    let stdout = '';
    let stderr = '';
    let pending = '';
    let signalledAfter: string | null = null;
    child.stdout!.on('data', (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (signalledAfter === null && when(line)) {
          signalledAfter = line;
          child.kill(signal);
        }
      }
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, stdout, stderr, signalledAfter });
    });
  });
}

/** The JSON objects a --json run printed, one per line. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function readJsonFile<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
