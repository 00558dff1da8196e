/**
 * The worker pool and the life of a Node process: a program that uses the threaded 'wasm'
 * backend and never shuts it down must still exit on its own when its work is done, and
 * exiting while the workers are busy must not crash. Runs the library in a fresh Node
 * process (the sources transpiled to a temporary folder, as a build would).
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

describe.skipIf(info === null || info.poolThreads < 2)('wasm worker pool in a Node process', () => {
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

  it('exits by itself when the work is done, workers still started', () => {
    const r = runNode(dir, work);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const reported = JSON.parse(r.stdout.trim()) as { threads: number };
    expect(reported.threads).toBeGreaterThan(1);
  });

  it('exits cleanly when the process ends while workers are spinning', () => {
    const r = runNode(dir, `${work}\nprocess.exit(3);\n`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
  });
});
