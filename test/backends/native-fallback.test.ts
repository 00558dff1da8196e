/**
 * The native backend can only make things faster, never break them: an install without a
 * compiler or OpenBLAS still succeeds (the build prints one line and exits 0), and with the
 * addon hidden or broken every command, and `npm start`, runs on 'wasm' and says why. Each
 * case is a fresh process, as a user's would be. (Also here, for the same reason: the
 * threads GRADIENTE_THREADS asks for.)
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, buildOnce, cliPath, tempDir } from '../cli/cli-harness.js';

const ADDON = path.join(ROOT, 'native', 'build', 'gradiente.node');
const HINT = 'apt-get install build-essential libopenblas-dev';

function run(args: string[], env: Record<string, string>, cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withoutNativeEnv(): Record<string, string> {
  // The parent's own settings must not leak into the cases that choose them.
  return { GRADIENTE_NATIVE: '', GRADIENTE_NATIVE_PATH: '', GRADIENTE_THREADS: '' };
}

describe('installing without a compiler or OpenBLAS', () => {
  const script = path.join(ROOT, 'scripts', 'build-native.mjs');

  it('no compiler: one line naming what to install, exit 0, an existing addon left alone', () => {
    const before = existsSync(ADDON) ? statSync(ADDON).mtimeMs : null;
    const r = run([script, '--force'], { ...withoutNativeEnv(), CXX: path.join(tempDir(), 'no-such-compiler') });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^native backend not built: no C\+\+ compiler found/);
    expect(lines[0]).toContain(HINT);
    expect(r.stderr).toBe('');
    expect(existsSync(ADDON) ? statSync(ADDON).mtimeMs : null).toBe(before);
  });

  it('no OpenBLAS headers: the compiler error becomes one line that names them', () => {
    // A compiler that fails as g++ does without libopenblas-dev.
    const fake = path.join(tempDir(), 'fake-c++');
    writeFileSync(fake, '#!/bin/sh\nif [ "$1" = --version ]; then echo fake 1.0; exit 0; fi\necho "native/gradiente.cc:16:10: fatal error: cblas.h: No such file or directory" >&2\necho "compilation terminated." >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    const before = existsSync(ADDON) ? statSync(ADDON).mtimeMs : null;
    const r = run([script, '--force'], { ...withoutNativeEnv(), CXX: fake });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([`native backend not built: ${fake} failed: OpenBLAS headers (cblas.h) not found; for native speed: ${HINT}`]);
    expect(existsSync(ADDON) ? statSync(ADDON).mtimeMs : null).toBe(before);
  });

  it('GRADIENTE_NATIVE=0 skips the build with the same one line', () => {
    const r = run([script, '--force'], { ...withoutNativeEnv(), GRADIENTE_NATIVE: '0' });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`native backend not built: GRADIENTE_NATIVE=0; for native speed: ${HINT}`);
  });
});

describe('every command runs on wasm when the addon is hidden or broken', () => {
  buildOnce();

  it('info finds the built addon from any output folder in the checkout, and says native when it is there', () => {
    const r = run([cliPath(), 'info', '--json'], withoutNativeEnv());
    expect(r.code).toBe(0);
    const facts = JSON.parse(r.stdout) as { backend: string; native: { available: boolean; reason?: string } };
    if (existsSync(ADDON)) expect(facts).toMatchObject({ backend: 'native', native: { available: true } });
    else expect(facts).toMatchObject({ backend: 'wasm', native: { available: false, reason: expect.stringContaining('not built') } });
  });

  it('GRADIENTE_NATIVE=0: info reports wasm and why; --backend native is a one-line error', () => {
    const env = { ...withoutNativeEnv(), GRADIENTE_NATIVE: '0' };
    const r = run([cliPath(), 'info', '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ backend: 'wasm', native: { available: false, reason: 'hidden by GRADIENTE_NATIVE=0' } });
    expect(r.stderr).toBe('');
    const forced = run([cliPath(), 'info', '--backend', 'native'], env);
    expect(forced.code).not.toBe(0);
    expect(forced.stderr.trim().split('\n')).toHaveLength(1);
    expect(forced.stderr).toContain('--backend native: the native backend is not available: hidden by GRADIENTE_NATIVE=0');
  });

  it('a .node file that fails to load: one warning line, then train runs on wasm', () => {
    const broken = path.join(tempDir(), 'gradiente.node');
    writeFileSync(broken, 'not a shared library');
    const out = path.join(tempDir(), 'run');
    const r = run([cliPath(), 'train', '--data', 'xor', '--epochs', '2', '--out', out, '--quiet'], { ...withoutNativeEnv(), GRADIENTE_NATIVE_PATH: broken });
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('native'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^gradiente: native backend not used: .*gradiente\.node could not be loaded \(.+\); falling back to wasm/);
    const info = run([cliPath(), 'info', '--json'], { ...withoutNativeEnv(), GRADIENTE_NATIVE_PATH: broken });
    expect(JSON.parse(info.stdout)).toMatchObject({ backend: 'wasm', native: { available: false } });
  });

  it('npm start (examples/train-mnist) says in its header that it runs on wasm and why', () => {
    const example = path.join(buildOnce(), 'examples', 'train-mnist.js');
    const driver = `import { trainMnist } from ${JSON.stringify(example)};\nawait trainMnist({ epochs: 1, log: (line) => console.log(line) });\n`;
    const r = run(['--input-type=module', '-e', driver], { ...withoutNativeEnv(), GRADIENTE_NATIVE: '0' });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/backend wasm \(native: hidden by GRADIENTE_NATIVE=0\)$/);
    expect(r.stdout).toMatch(/test accuracy \d+\.\d+%/);
  });
});

describe.skipIf(!existsSync(ADDON))('GRADIENTE_THREADS', () => {
  it('sets the threads info reports, and a bad value is one warning line and the default', () => {
    const set = run([cliPath(), 'info', '--json'], { ...withoutNativeEnv(), GRADIENTE_THREADS: '3' });
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ backend: 'native', threads: 3, native: { threads: 3, threadsFrom: 'GRADIENTE_THREADS' } });
    const bad = run([cliPath(), 'info', '--json'], { ...withoutNativeEnv(), GRADIENTE_THREADS: 'many' });
    expect(bad.code).toBe(0);
    expect(bad.stderr.trim().split('\n')).toEqual(['gradiente: GRADIENTE_THREADS=many is not a whole number from 1 to 256; using the default']);
    expect(JSON.parse(bad.stdout)).toMatchObject({ backend: 'native', native: { threadsFrom: 'default' } });
  });
});
