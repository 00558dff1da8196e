/**
 * `node dist/bench/builds.js <before> <after> [W2] [samples] [rounds]`: two builds of
 * gradiente (each a folder holding its compiled `dist/bench` and `native/build`, e.g. a
 * worktree of the previous commit after `npm ci && npx tsc -p bench/tsconfig.json`) train
 * the same workload on native, alternating in one process — ABBA order, so neither always
 * runs first — with the same data and initial weights. Prints the median of the per-round
 * ratios after ÷ before and their spread: the measure of a change to a step's cost, which
 * the load of a shared machine moves alike for both.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchData } from './data.js';
import type { TrainResult, Workload } from './types.js';

interface Build {
  useConfig(config: { backend: 'native' }): Promise<unknown>;
  trainGradiente(workload: Workload, data: BenchData, weights: Float32Array[]): Promise<TrainResult>;
  initialWeights(workload: Workload): Float32Array[];
  workloads(quick: boolean, trainCount: number): Workload[];
  loadBenchData(): Promise<BenchData>;
  manualSeed(seed: number): void;
}

const usage = 'usage: node dist/bench/builds.js <before folder> <after folder> [W1|W2|W3|W4] [samples] [rounds]';

async function load(folder: string): Promise<Build> {
  const at = (file: string): string => pathToFileURL(resolve(folder, 'dist', 'bench', file)).href;
  const [g, d, w, lib] = await Promise.all([import(at('gradiente.js')), import(at('data.js')), import(at('workloads.js')), import(at('../src/node.js'))]);
  return { ...g, ...d, ...w, manualSeed: lib.manualSeed } as Build;
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function main(): Promise<void> {
  const [beforeDir, afterDir, id = 'W2', samplesArg, roundsArg] = process.argv.slice(2);
  if (beforeDir === undefined || afterDir === undefined) throw new Error(usage);
  const before = await load(beforeDir);
  const after = await load(afterDir);
  const data = await before.loadBenchData();
  const pick = (b: Build): Workload => {
    const w = b.workloads(false, data.trainCount).find((x) => x.id === id);
    if (w === undefined) throw new Error(`no workload ${id}; ${usage}`);
    return samplesArg === undefined ? w : { ...w, samples: Number(samplesArg) };
  };
  const rounds = Number(roundsArg ?? 8);
  const runs = [before, after].map((b) => ({ b, workload: pick(b) }));
  const weights = before.initialWeights(runs[0]!.workload);
  // The last result of each build: both must have run the same computation (same loss and accuracy).
  const last: (TrainResult | null)[] = [null, null];
  const rate = async (i: number): Promise<number> => {
    const { b, workload } = runs[i]!;
    await b.useConfig({ backend: 'native' });
    // Each build has its own global generator: the same seed before every run gives both the same dropout masks.
    b.manualSeed(7);
    const result = await b.trainGradiente(workload, data, weights);
    last[i] = result;
    return result.samplesPerSecond;
  };
  // One unmeasured run each first: the first training in a process also pays for compiling it.
  await rate(0);
  await rate(1);
  const rates: [number[], number[]] = [[], []];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    const r: number[] = [];
    for (const i of order) r[i] = await rate(i);
    rates[0].push(r[0]!);
    rates[1].push(r[1]!);
    ratios.push(r[1]! / r[0]!);
    process.stderr.write(`  round ${round + 1}: before ${Math.round(r[0]!)} / after ${Math.round(r[1]!)} samples/s = ${(r[1]! / r[0]!).toFixed(2)}\n`);
  }
  console.log(
    `${id} (${runs[0]!.workload.samples} samples, ${rounds} rounds): before ${Math.round(median(rates[0]))}, after ${Math.round(median(rates[1]))} samples/s (medians); ` +
      `after ÷ before ${median(ratios).toFixed(2)}× median, ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
  );
  const [lb, la] = last as [TrainResult, TrainResult];
  const same = lb.finalLoss === la.finalLoss && lb.testAccuracy === la.testAccuracy;
  console.log(
    `final loss before ${lb.finalLoss}, after ${la.finalLoss}; test accuracy ${lb.testAccuracy} / ${la.testAccuracy}` +
      (same ? ' (identical)' : ' — the builds computed different numbers: a ratio of different work'),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
