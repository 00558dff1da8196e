/** Markdown tables from the results: GEMM, workloads with ratios, targets, W1 scaling. */
import type { BenchResults, Contender, GemmForm, WorkloadId } from './types.js';

const fmt = (v: number | undefined, digits = 1): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const fmtInt = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : Math.round(v).toLocaleString('en-US'));
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !(b > 0) ? '—' : `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}×`;

function find(results: BenchResults, id: string): Contender | undefined {
  return results.contenders.find((c) => c.id === id && c.skipped === undefined);
}

function gemmValue(c: Contender | undefined, form: GemmForm, [m, k, n]: [number, number, number]): number | undefined {
  return c?.gemm.find((g) => g.form === form && g.m === m && g.k === k && g.n === n)?.gflops;
}

/** The gradiente configuration everything is compared with: native (what ready() picks in Node), else wasm on all threads, or the best that ran. */
export function headline(results: BenchResults): Contender | undefined {
  return find(results, 'gradiente-native') ?? wasmHeadline(results);
}

/** The best wasm configuration that ran (what a browser, or Node without the addon, gets). */
function wasmHeadline(results: BenchResults): Contender | undefined {
  return find(results, 'gradiente-wasm-all') ?? find(results, 'gradiente-wasm-1') ?? find(results, 'gradiente-js');
}

export function gemmTable(results: BenchResults): string {
  const cs = results.contenders.filter((c) => c.skipped === undefined && c.gemm.length > 0);
  const lines = [
    `| shape (m×k×n) | form | ${cs.map((c) => c.label).join(' | ')} |`,
    `|---|---|${cs.map(() => '---:').join('|')}|`,
  ];
  for (const shape of results.gemmShapes) {
    for (const form of ['A·B', 'A·Bᵀ', 'Aᵀ·B'] as GemmForm[]) {
      lines.push(`| ${shape.join('×')} | ${form} | ${cs.map((c) => fmt(gemmValue(c, form, shape))).join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

export function workloadTable(results: BenchResults): string {
  const g = headline(results);
  const cs = results.contenders.filter((c) => c.skipped === undefined && Object.keys(c.workloads).length > 0);
  const lines = [
    `| workload | library | samples/s | final loss | test accuracy | ${g?.label ?? 'gradiente'} ÷ this |`,
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const w of results.workloads) {
    for (const c of cs) {
      const r = c.workloads[w.id];
      if (r === undefined) continue;
      lines.push(
        `| ${w.id} ${w.title} | ${c.label} | ${fmtInt(r.samplesPerSecond)} | ${fmt(r.finalLoss, 4)} | ${fmt(100 * r.testAccuracy, 2)}% | ${c === g ? '1×' : ratio(g?.workloads[w.id]?.samplesPerSecond, r.samplesPerSecond)} |`,
      );
    }
  }
  return lines.join('\n');
}

interface Target {
  what: string;
  want: number;
  got: number | undefined;
  /** Digits to print (ratios near 1 need two). */
  digits?: number;
}

export function targets(results: BenchResults): Target[] {
  const g = wasmHeadline(results);
  const one = find(results, 'gradiente-wasm-1');
  const all = find(results, 'gradiente-wasm-all');
  const tfw = find(results, 'tfjs-wasm');
  const torch = find(results, 'pytorch');
  const sps = (c: Contender | undefined, w: WorkloadId) => c?.workloads[w]?.samplesPerSecond;
  const div = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a / b);
  const out: Target[] = [];
  for (const shape of results.gemmShapes) {
    for (const form of ['A·B', 'A·Bᵀ', 'Aᵀ·B'] as GemmForm[]) {
      out.push({ what: `wasm 1 thread GEMM ${form} ${shape.join('×')} (GFLOP/s)`, want: 45, got: gemmValue(one, form, shape) });
    }
  }
  for (const form of ['A·B', 'A·Bᵀ', 'Aᵀ·B'] as GemmForm[]) {
    out.push({ what: `wasm all threads GEMM ${form} 256×784×1024 (GFLOP/s)`, want: 85, got: gemmValue(all, form, [256, 784, 1024]) });
  }
  out.push({ what: 'W1 ÷ TensorFlow.js wasm', want: 6, got: div(sps(g, 'W1'), sps(tfw, 'W1')) });
  out.push({ what: 'W2 ÷ TensorFlow.js wasm', want: 10, got: div(sps(g, 'W2'), sps(tfw, 'W2')) });
  out.push({ what: 'W2 ÷ PyTorch', want: 2, got: div(sps(g, 'W2'), sps(torch, 'W2')) });
  out.push({ what: 'W3 ÷ TensorFlow.js wasm', want: 40, got: div(sps(g, 'W3'), sps(tfw, 'W3')) });
  // The native backend: OpenBLAS's products at ≥ 90% of numpy's (same BLAS, same thread count),
  // and training at PyTorch's speed or faster (the gap is gradiente's own overhead).
  // The native configuration on this many threads, whichever contender ran it (the default's or an extra one).
  const nativeOn = (threads: number): Contender | undefined =>
    results.contenders.find((c) => c.id.startsWith('gradiente-native') && c.skipped === undefined && c.details?.threads === threads);
  const native1 = nativeOn(1);
  const nativeAll = nativeOn(results.machine.cores);
  const nativeDefault = find(results, 'gradiente-native');
  const numpy1 = find(results, 'numpy-1');
  const numpyAll = find(results, `numpy-${results.machine.cores}`);
  for (const shape of results.gemmShapes.filter(([m]) => m >= 256)) {
    for (const form of ['A·B', 'A·Bᵀ', 'Aᵀ·B'] as GemmForm[]) {
      out.push({ what: `native 1 thread GEMM ${form} ${shape.join('×')} ÷ numpy 1 thread`, want: 0.9, digits: 2, got: div(gemmValue(native1, form, shape), gemmValue(numpy1, form, shape)) });
      if (results.machine.cores > 1) {
        const threads = String(results.machine.cores);
        out.push({ what: `native ${threads} threads GEMM ${form} ${shape.join('×')} ÷ numpy ${results.machine.cores} threads`, want: 0.9, digits: 2, got: div(gemmValue(nativeAll, form, shape), gemmValue(numpyAll, form, shape)) });
      }
    }
  }
  const wanted: [WorkloadId, number][] = [['W1', 1.0], ['W2', 1.5], ['W3', 0.95], ['W4', 1.0]];
  for (const [id, want] of wanted) out.push({ what: `${id} native ÷ PyTorch`, want, digits: 2, got: div(sps(nativeDefault, id), sps(torch, id)) });
  return out;
}

export function targetTable(results: BenchResults): string {
  const lines = ['| target | wanted | measured | |', '|---|---:|---:|---|'];
  for (const t of targets(results)) {
    const met = t.got === undefined ? 'not measured' : t.got >= t.want ? 'met' : `missed by ${(100 * (1 - t.got / t.want)).toFixed(0)}%`;
    lines.push(`| ${t.what} | ≥ ${t.want} | ${fmt(t.got, t.digits ?? 1)} | ${met} |`);
  }
  return lines.join('\n');
}

export function pytorchRatios(results: BenchResults): string {
  const torch = find(results, 'pytorch');
  if (torch === undefined) return '';
  const lines = [];
  for (const g of new Set([headline(results), wasmHeadline(results)])) {
    if (g === undefined) continue;
    const parts = results.workloads.map((w) => `${w.id} ${ratio2(g.workloads[w.id]?.samplesPerSecond, torch.workloads[w.id]?.samplesPerSecond)}`);
    lines.push(`${g.label} ÷ PyTorch: ${parts.join(', ')}`);
  }
  return lines.join('\n\n');
}

const ratio2 = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || !(b > 0) ? '—' : `${(a / b).toFixed(2)}×`);

export function scalingTable(results: BenchResults): string {
  const cs = results.contenders.filter((c) => c.skipped === undefined && c.scaling !== undefined);
  if (cs.length === 0) return '';
  const sizes = Object.keys(cs[0]!.scaling!);
  const lines = [
    `| batch size | ${cs.map((c) => `${c.label} samples/s`).join(' | ')} |`,
    `|---:|${cs.map(() => '---:').join('|')}|`,
  ];
  for (const s of sizes) lines.push(`| ${s} | ${cs.map((c) => fmtInt(c.scaling![s])).join(' | ')} |`);
  return lines.join('\n');
}

export function skippedList(results: BenchResults): string {
  return results.contenders
    .filter((c) => c.skipped !== undefined)
    .map((c) => `- ${c.label}: skipped (${c.skipped})`)
    .join('\n');
}

export function machineLine(results: BenchResults): string {
  const m = results.machine;
  const simd = m.vectorExtensions !== undefined && m.vectorExtensions !== 'unknown' ? ` (${m.vectorExtensions})` : '';
  return `${m.cpu}${simd}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}`;
}

export function fullReport(results: BenchResults): string {
  const sections = [
    `Machine: ${machineLine(results)} (load average at start ${results.machine.loadAverageAtStart.map((v) => v.toFixed(2)).join(' / ')}).`,
    `Data: ${results.dataset}.`,
    '',
    '### Matrix products (GFLOP/s, median)',
    '',
    gemmTable(results),
    '',
    '### Training workloads',
    '',
    workloadTable(results),
    '',
    pytorchRatios(results),
    '',
    '### Targets',
    '',
    targetTable(results),
    '',
    '### W1 samples/s against batch size',
    '',
    scalingTable(results),
  ];
  const skipped = skippedList(results);
  if (skipped !== '') sections.push('', '### Skipped', '', skipped);
  if (results.notes.length > 0) sections.push('', '### Notes', '', ...results.notes.map((n) => `- ${n}`));
  return sections.join('\n');
}
