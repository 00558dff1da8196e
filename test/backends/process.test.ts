/**
 * The 'wasm' backend in fresh Node processes (the sources transpiled to a folder, as a build
 * would), for what one process cannot test twice: a program that uses the threaded backend
 * and never shuts it down must still exit on its own, exiting while workers are busy must
 * not crash, and the fallbacks (plain SIMD; no SIMD at all) must work.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initWasmBackend } from '../../src/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const info = await initWasmBackend({ select: false });

function transpileTree(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) {
      transpileTree(source, join(to, entry.name));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const out = ts.transpileModule(readFileSync(source, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        fileName: relative(root, source),
      });
      mkdirSync(to, { recursive: true });
      writeFileSync(join(to, entry.name.replace(/\.ts$/, '.js')), out.outputText);
    }
  }
}

function runNode(dir: string, script: string): { status: number | null; stdout: string; stderr: string } {
  const file = join(dir, `main-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  // The time limit only catches a hang; a healthy run takes well under a second.
  const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const work = `
  import { initWasmBackend, matmul, randn, wasmBackendInfo } from './src/index.js';
  const info = await initWasmBackend({ parallelThreshold: 1 });
  const a = randn([300, 400]);
  const b = randn([400, 500]);
  for (let i = 0; i < 20; i++) matmul(a, b);
  console.log(JSON.stringify({ threads: wasmBackendInfo().threads, simd: info.simd }));
`;

const threaded = info !== null && info.poolThreads >= 2;

describe('wasm backend in fresh Node processes', () => {
  let dir = '';
  beforeAll(() => {
    // Inside the checkout, so the library's npm dependencies resolve from node_modules.
    const cache = join(root, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    dir = mkdtempSync(join(cache, 'gradiente-pool-'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    transpileTree(join(root, 'src'), join(dir, 'src'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!threaded)('exits by itself when the work is done, workers still started', () => {
    const r = runNode(dir, work);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const reported = JSON.parse(r.stdout.trim()) as { threads: number };
    expect(reported.threads).toBeGreaterThan(1);
  });

  it.skipIf(info === null)('falls back to plain SIMD when relaxed SIMD is turned off, and still agrees with js', () => {
    const r = runNode(
      dir,
      `
      import { initWasmBackend, matmul, randn, setBackend } from './src/index.js';
      const info = await initWasmBackend({ relaxedSimd: false, select: false, parallelThreshold: 1 });
      let worst = 0;
      for (const [m, k, n] of [[1, 784, 128], [64, 784, 128], [129, 513, 67]]) {
        for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]]) {
          const a = randn(ta ? [k, m] : [m, k]);
          const b = randn(tb ? [n, k] : [k, n]);
          setBackend('js');
          const want = matmul(a, b, { transposeA: ta, transposeB: tb }).data;
          setBackend('wasm');
          const got = matmul(a, b, { transposeA: ta, transposeB: tb }).data;
          let err = 0, size = 0;
          for (let i = 0; i < want.length; i++) { err = Math.max(err, Math.abs(got[i] - want[i])); size = Math.max(size, Math.abs(want[i])); }
          worst = Math.max(worst, err / size);
        }
      }
      console.log(JSON.stringify({ simd: info.simd, worst }));
      `,
    );
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout.trim()) as { simd: string; worst: number };
    expect(out.simd).toBe('simd');
    expect(out.worst).toBeLessThanOrEqual(1e-5);
  });

  it('keeps js, and never throws, on an engine without WebAssembly SIMD', () => {
    const r = runNode(
      dir,
      `
      // An engine that validates no SIMD module: what a browser without SIMD looks like.
      WebAssembly.validate = () => false;
      const { initWasmBackend, listBackends, ready } = await import('./src/index.js');
      const info = await initWasmBackend();
      console.log(JSON.stringify({ info, backends: listBackends(), chosen: await ready() }));
      `,
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ info: null, backends: ['js'], chosen: 'js' });
  });

  it.skipIf(!threaded)('exits cleanly when the process ends while workers are spinning', () => {
    const r = runNode(dir, `${work}\nprocess.exit(3);\n`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
  });
});
