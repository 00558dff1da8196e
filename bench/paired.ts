/**
 * `node dist/bench/paired.js [rounds] [--threads N]`: gradiente native against PyTorch, the two
 * run alternately, workload by workload, for several rounds, and the ratio of each round is
 * taken from two runs minutes apart at most. On a machine others share, the load moves
 * between a long bench's gradiente part and its PyTorch part; side by side in time, it
 * moves both alike. Prints, per workload, the median ratio and its spread (min–max) and the
 * samples/s of both, as markdown. The workloads are those of the bench, trained on fewer
 * samples (W4 keeps its full epoch).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialWeights, loadBenchData } from './data.js';
import { trainGradiente, useConfig } from './gradiente.js';
import { runPython, writePythonJob } from './python.js';
import type { TrainResult, Workload } from './types.js';
import { workloads } from './workloads.js';

const argv = process.argv.slice(2);
const rounds = Number(argv.find((a) => /^\d+$/.test(a)) ?? 5);
const threadsFlag = argv.indexOf('--threads');
const threads = threadsFlag >= 0 ? Number(argv[threadsFlag + 1]) : undefined;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Samples per paired run: enough for a steady rate, few enough for several rounds. */
const PAIRED_SAMPLES: Record<string, number> = { W1: 20_000, W2: 3_000, W3: 256 * 32, W4: 8_000 };

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function main(): Promise<void> {
  const data = await loadBenchData();
  const ws: Workload[] = workloads(false, data.trainCount).map((w) => ({ ...w, samples: Math.min(w.samples, PAIRED_SAMPLES[w.id] ?? w.samples) }));
  const jobs = ws.map((workload) => ({ workload, weights: initialWeights(workload) }));
  const details = await useConfig({ backend: 'native', ...(threads !== undefined ? { threads } : {}) });
  log(`paired: gradiente native (${String(details.threads)} threads) against PyTorch, ${rounds} rounds, ${data.name}`);
  const ours = new Map<string, number[]>();
  const theirs = new Map<string, number[]>();
  const ratios = new Map<string, number[]>();
  const dir = mkdtempSync(join(tmpdir(), 'gradiente-paired-'));
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const job of jobs) {
        const id = job.workload.id;
        const g: TrainResult = await trainGradiente(job.workload, data, job.weights);
        writePythonJob(dir, data, [job], { gemmBudgetSeconds: 0, scalingMinSamples: 0, trainingOnly: true });
        const r = runPython(dir, 'torch');
        if (!r.ok) throw new Error(`bench/peers.py ${r.why}`);
        const t = (r.value.workloads as Record<string, TrainResult>)[id]!;
        for (const [map, v] of [[ours, g.samplesPerSecond], [theirs, t.samplesPerSecond], [ratios, g.samplesPerSecond / t.samplesPerSecond]] as const) {
          map.set(id, [...(map.get(id) ?? []), v]);
        }
        log(`  round ${round} ${id}: native ${Math.round(g.samplesPerSecond)} / PyTorch ${Math.round(t.samplesPerSecond)} samples/s = ${(g.samplesPerSecond / t.samplesPerSecond).toFixed(2)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lines = [
    `| workload | native samples/s (median) | PyTorch samples/s (median) | native ÷ PyTorch, median of ${rounds} paired rounds | min–max |`,
    '|---|---:|---:|---:|---:|',
  ];
  for (const w of ws) {
    const r = ratios.get(w.id)!;
    lines.push(`| ${w.id} ${w.title} (${w.samples.toLocaleString('en-US')} samples) | ${Math.round(median(ours.get(w.id)!)).toLocaleString('en-US')} | ${Math.round(median(theirs.get(w.id)!)).toLocaleString('en-US')} | ${median(r).toFixed(2)}× | ${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)} |`);
  }
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
