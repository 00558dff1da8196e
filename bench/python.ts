/** Running bench/peers.py (PyTorch, numpy): the job folder it reads, and the process. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchData } from './data.js';
import type { Workload } from './types.js';
import { GEMM_SHAPES, SCALING_BATCH_SIZES } from './workloads.js';

export const PYTHON = '/usr/bin/python3';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Write the data, weights and job for bench/peers.py into a temporary folder. */
export function writePythonJob(dir: string, data: BenchData, jobs: { workload: Workload; weights: Float32Array[] }[], settings: { gemmBudgetSeconds: number; scalingMinSamples: number; trainingOnly?: boolean }): void {
  const needed = Math.max(...jobs.map((j) => j.workload.samples));
  const raw = (a: Float32Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  writeFileSync(join(dir, 'x_train.f32'), raw(data.xTrain.subarray(0, needed * data.inputs)));
  writeFileSync(join(dir, 'y_train.i32'), raw(data.yTrain.subarray(0, needed)));
  writeFileSync(join(dir, 'x_test.f32'), raw(data.xTest));
  writeFileSync(join(dir, 'y_test.i32'), raw(data.yTest));
  for (const { workload, weights } of jobs) weights.forEach((w, i) => writeFileSync(join(dir, `${workload.id}_${i}.f32`), raw(w)));
  const job = {
    data: { inputs: data.inputs, classes: data.classes },
    workloads: jobs.map((j) => j.workload),
    gemmShapes: GEMM_SHAPES,
    scalingBatchSizes: SCALING_BATCH_SIZES,
    ...settings,
  };
  writeFileSync(join(dir, 'job.json'), JSON.stringify(job));
}

export function runPython(dir: string, what: 'torch' | 'numpy', env: Record<string, string> = {}): { ok: true; value: Record<string, unknown> } | { ok: false; why: string } {
  const r = spawnSync(PYTHON, [join(root, 'bench', 'peers.py'), dir, what], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) return { ok: false, why: `exited with ${r.status ?? r.signal}` };
  try {
    return { ok: true, value: JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown> };
  } catch {
    return { ok: false, why: 'printed no result' };
  }
}

