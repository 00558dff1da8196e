/**
 * `npm run bench`: gradiente (js; wasm on 1 thread; wasm on all threads) side by side with
 * TensorFlow.js (cpu, wasm), PyTorch and numpy on the same data, initial weights and
 * hyper-parameters. Writes bench/results/latest.json, prints markdown tables, and refreshes
 * the tables in docs/PERFORMANCE.md (between its bench:begin / bench:end markers).
 *
 *   node dist/bench/run.js [--quick] [--no-peers] [--no-tfjs] [--native-only] [--no-docs] [--report]
 *
 * --no-tfjs leaves out TensorFlow.js (the slowest peers) but keeps PyTorch and numpy;
 * --native-only leaves out gradiente's js and wasm backends (both for quick comparisons).
 * --quick trains a tenth of the samples (a smoke run; its numbers are noisier).
 * --report measures nothing: it prints the tables of bench/results/latest.json and refreshes
 * docs/PERFORMANCE.md from it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchData, initialWeights, loadBenchData } from './data.js';
import { defaultThreadCount } from '../src/node/native.js';
import { type GradienteConfig, gemmGradiente, trainGradiente, useConfig } from './gradiente.js';
import { fullReport } from './report.js';
import { PYTHON, runPython, writePythonJob } from './python.js';
import { runTfjs } from './tfjs.js';
import type { BenchResults, Contender, Workload } from './types.js';
import { GEMM_SHAPES, SCALING_BATCH_SIZES, workloads } from './workloads.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const gemmBudget = quick ? 0.3 : 1.5;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** The threads native uses by default, as src/node/native.ts picks them. */
function defaultNativeThreads(cores: number): number {
  const env = Number(process.env.GRADIENTE_THREADS);
  return Number.isInteger(env) && env >= 1 ? env : defaultThreadCount(cores);
}

function scalingSamples(w1: Workload, batchSize: number): number {
  return Math.min(w1.samples, Math.max(batchSize * 50, quick ? 500 : 5000));
}

async function runGradiente(config: GradienteConfig, id: string, label: string, data: BenchData, jobs: { workload: Workload; weights: Float32Array[] }[], withScaling: boolean): Promise<Contender> {
  const contender: Contender = { id, label, gemm: [], workloads: {} };
  try {
    contender.details = await useConfig(config);
  } catch (error) {
    contender.skipped = error instanceof Error ? error.message : String(error);
    return contender;
  }
  contender.gemm = gemmGradiente(GEMM_SHAPES, gemmBudget);
  log(`  ${label}: GEMM done`);
  for (const { workload, weights } of jobs) {
    contender.workloads[workload.id] = await trainGradiente(workload, data, weights);
    log(`  ${label}: ${workload.id} ${Math.round(contender.workloads[workload.id]!.samplesPerSecond)} samples/s`);
  }
  if (withScaling) {
    const w1 = jobs.find((j) => j.workload.id === 'W1');
    if (w1 !== undefined) {
      contender.scaling = {};
      for (const bs of SCALING_BATCH_SIZES) {
        const r = await trainGradiente(w1.workload, data, w1.weights, scalingSamples(w1.workload, bs), bs);
        contender.scaling[String(bs)] = r.samplesPerSecond;
      }
      log(`  ${label}: W1 scaling done`);
    }
  }
  return contender;
}

/** The widest x86 vector extensions the CPU reports (what native BLAS can use), where known. */
function vectorExtensions(): string {
  try {
    const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1]?.split(/\s+/) ?? [];
    const has = (f: string) => flags.includes(f);
    return has('avx512f') ? 'AVX-512' : has('avx2') ? 'AVX2' : has('sse4_2') ? 'SSE4.2' : 'unknown';
  } catch {
    return 'unknown';
  }
}

function pythonHas(module: string): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  if (args.has('--report')) {
    const saved = JSON.parse(readFileSync(join(root, 'bench', 'results', 'latest.json'), 'utf8')) as BenchResults;
    const report = fullReport(saved);
    console.log(report);
    if (!args.has('--no-docs')) updateDocs(report);
    return;
  }
  const loadAverageAtStart = loadavg();
  const data = await loadBenchData();
  const ws = workloads(quick, data.trainCount);
  const jobs = ws.map((workload) => ({ workload, weights: initialWeights(workload) }));
  const cores = availableParallelism();
  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model.trim() ?? 'unknown',
      cores,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${type()} ${release().split('-')[0]}`,
      vectorExtensions: vectorExtensions(),
      node: process.versions.node,
      loadAverageAtStart,
    },
    dataset: data.name,
    workloads: ws,
    gemmShapes: GEMM_SHAPES,
    contenders: [],
    notes: [],
  };
  log(`bench: ${data.name}; ${quick ? 'quick run' : 'full run'}`);

  log('gradiente');
  if (!args.has('--native-only')) {
    results.contenders.push(await runGradiente({ backend: 'js' }, 'gradiente-js', 'gradiente js', data, jobs, false));
    results.contenders.push(await runGradiente({ backend: 'wasm', threads: 1 }, 'gradiente-wasm-1', 'gradiente wasm 1 thread', data, jobs, true));
    const all = await runGradiente({ backend: 'wasm', threads: cores }, 'gradiente-wasm-all', 'gradiente wasm all threads', data, jobs, true);
    all.label = `gradiente wasm ${String(all.details?.threads ?? cores)} threads`;
    results.contenders.push(all);
  }
  // The native backend (OpenBLAS) on its default threads (what ready() gives a user; the
  // headline), and on 1 and on all cores when those differ from it, to compare with numpy's
  // BLAS at the same count. Skipped with the reason when the addon is absent.
  const nativeThreads = defaultNativeThreads(cores);
  const nativeLabel = (t: number): string => `gradiente native ${t} thread${t === 1 ? '' : 's'}`;
  results.contenders.push(await runGradiente({ backend: 'native', threads: nativeThreads }, 'gradiente-native', `${nativeLabel(nativeThreads)} (default)`, data, jobs, true));
  for (const t of new Set([1, cores])) {
    if (t !== nativeThreads) results.contenders.push(await runGradiente({ backend: 'native', threads: t }, `gradiente-native-${t === 1 ? '1' : 'all'}`, nativeLabel(t), data, jobs, false));
  }

  if (!args.has('--no-peers')) {
    if (!args.has('--no-tfjs')) {
      log('TensorFlow.js');
      results.contenders.push(await runTfjs('cpu', data, jobs, GEMM_SHAPES, gemmBudget, log));
      results.contenders.push(await runTfjs('wasm', data, jobs, GEMM_SHAPES, gemmBudget, log));
    }

    const dir = mkdtempSync(join(tmpdir(), 'gradiente-bench-'));
    try {
      writePythonJob(dir, data, jobs, { gemmBudgetSeconds: gemmBudget, scalingMinSamples: quick ? 500 : 5000 });
      const torch: Contender = { id: 'pytorch', label: 'PyTorch (1 intra-op thread)', gemm: [], workloads: {} };
      if (!pythonHas('torch')) {
        torch.skipped = `${PYTHON} cannot import torch`;
      } else {
        log('PyTorch');
        const r = runPython(dir, 'torch');
        if (r.ok) Object.assign(torch, r.value);
        else torch.skipped = `bench/peers.py ${r.why}`;
      }
      results.contenders.push(torch);
      const blas = String((torch.details as Record<string, unknown> | undefined)?.blas ?? '');
      if (blas !== '' && !/openblas|mkl|blis/i.test(blas)) {
        results.notes.push(`PyTorch ran on ${blas}, which looks like the reference BLAS (an unfair, slow peer); install an optimized BLAS (Debian: libopenblas0-pthread).`);
      }
      for (const threads of [1, cores]) {
        const label = `numpy BLAS ${threads} thread${threads > 1 ? 's' : ''}`;
        const numpy: Contender = { id: `numpy-${threads}`, label, gemm: [], workloads: {} };
        if (!pythonHas('numpy')) {
          numpy.skipped = `${PYTHON} cannot import numpy`;
        } else {
          log(label);
          const r = runPython(dir, 'numpy', { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) });
          if (r.ok) Object.assign(numpy, r.value);
          else numpy.skipped = `bench/peers.py ${r.why}`;
        }
        results.contenders.push(numpy);
        if (cores === 1) break;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  results.notes.push(
    'Every library trains on the same rows in the same order (shuffled once, with a seed) from the same initial weights, with plain SGD and no metrics during training; final loss is the mean training loss over the last tenth of the iterations.',
    'PyTorch runs with torch.set_num_threads(1), its fastest setting on this 2-core class of machine: its own threads starve OpenBLAS’s pool.',
  );
  if (quick) results.notes.push('Quick run: a tenth of the samples; numbers are noisier than a full run.');

  const report = fullReport(results);
  const resultsDir = join(root, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, quick ? 'quick.json' : 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(report);
  if (!quick && !args.has('--no-docs')) updateDocs(report);
}

/** Replace the generated part of docs/PERFORMANCE.md (between the markers) with the new tables. */
function updateDocs(report: string): void {
  const file = join(root, 'docs', 'PERFORMANCE.md');
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) return;
  writeFileSync(file, `${text.slice(0, i + begin.length)}\n${report}\n${text.slice(j)}`);
  log('bench: updated docs/PERFORMANCE.md');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
