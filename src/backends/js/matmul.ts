/**
 * Reference matrix product for the JS backend: GotoBLAS-style packing into 4-wide panels
 * and a 4×4 register tile (16 accumulators in locals), blocked so panels stay in cache.
 * Packing reads A and B through strides, so A·Bᵀ and Aᵀ·B cost the same as A·B and no
 * transpose is ever materialized.
 */
import type { FloatArray } from '../../tensor/tensor.js';

const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 512;

let packA32 = new Float32Array(MC * KC);
let packB32 = new Float32Array(KC * NC);
let packA64 = new Float64Array(0);
let packB64 = new Float64Array(0);

export function matmul(
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  bias: FloatArray | null = null,
): void {
  // Start from the bias (fused linear) or zero; the kernels accumulate into c.
  if (bias !== null) {
    for (let i = 0; i < m; i++) c.set(bias.subarray(0, n), i * n);
  } else {
    c.fill(0);
  }
  if (m === 0 || n === 0 || k === 0) return;
  // Strides of A(i,p) and B(p,j) in their stored layouts.
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  const bRow = transB ? 1 : n;
  const bCol = transB ? k : 1;
  if (m * n * k <= 32768 || m < MR || n < NR) {
    smallMatmul(a, b, c, m, k, n, aRow, aCol, bRow, bCol);
    return;
  }
  const wide = a instanceof Float64Array || b instanceof Float64Array;
  let pa: FloatArray;
  let pb: FloatArray;
  if (wide) {
    if (packA64.length < MC * KC) packA64 = new Float64Array(MC * KC);
    if (packB64.length < KC * NC) packB64 = new Float64Array(KC * NC);
    pa = packA64;
    pb = packB64;
  } else {
    pa = packA32;
    pb = packB32;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packB(b, pb, pc, jc, kc, nc, bRow, bCol);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, pa, ic, pc, mc, kc, aRow, aCol);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = Math.min(MR, mc - ir);
            microKernel(kc, pa, ir * kc, pb, jr * kc, c, (ic + ir) * n + jc + jr, n, mr, nr);
          }
        }
      }
    }
  }
}

/** Copy an mc×kc block of A into MR-row panels: panel-major, then k, then the MR rows. */
function packA(a: FloatArray, pa: FloatArray, ic: number, pc: number, mc: number, kc: number, aRow: number, aCol: number): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = Math.min(MR, mc - ir);
    const base = ir * kc;
    for (let p = 0; p < kc; p++) {
      const dst = base + p * MR;
      const col = (pc + p) * aCol;
      for (let r = 0; r < MR; r++) {
        pa[dst + r] = r < rows ? a[(ic + ir + r) * aRow + col]! : 0;
      }
    }
  }
}

/** Copy a kc×nc block of B into NR-column panels: panel-major, then k, then the NR columns. */
function packB(b: FloatArray, pb: FloatArray, pc: number, jc: number, kc: number, nc: number, bRow: number, bCol: number): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    const base = jr * kc;
    for (let p = 0; p < kc; p++) {
      const dst = base + p * NR;
      const row = (pc + p) * bRow;
      for (let q = 0; q < NR; q++) {
        pb[dst + q] = q < cols ? b[row + (jc + jr + q) * bCol]! : 0;
      }
    }
  }
}

function microKernel(
  kc: number,
  pa: FloatArray,
  aOff: number,
  pb: FloatArray,
  bOff: number,
  c: FloatArray,
  cOff: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aOff;
  let bi = bOff;
  for (let p = 0; p < kc; p++, ai += MR, bi += NR) {
    const a0 = pa[ai]!, a1 = pa[ai + 1]!, a2 = pa[ai + 2]!, a3 = pa[ai + 3]!;
    const b0 = pb[bi]!, b1 = pb[bi + 1]!, b2 = pb[bi + 2]!, b3 = pb[bi + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (mr === MR && nr === NR) {
    let o = cOff;
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += ldc;
    c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += ldc;
    c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += ldc;
    c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < mr; r++) {
    for (let q = 0; q < nr; q++) c[cOff + r * ldc + q] += tile[r * 4 + q]!;
  }
}

/** Small or thin products (batch size 1, tiny layers): packing would cost more than it saves. */
function smallMatmul(
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
  m: number,
  k: number,
  n: number,
  aRow: number,
  aCol: number,
  bRow: number,
  bCol: number,
): void {
  if (bCol === 1) {
    // B rows are contiguous: stream them (i-p-j order).
    for (let i = 0; i < m; i++) {
      const cRow = i * n;
      for (let p = 0; p < k; p++) {
        const av = a[i * aRow + p * aCol]!;
        if (av === 0) continue;
        const bRowStart = p * bRow;
        for (let j = 0; j < n; j++) c[cRow + j] += av * b[bRowStart + j]!;
      }
    }
    return;
  }
  // B is stored transposed: each output is a dot product of contiguous runs when aCol = 1.
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * aRow + p * aCol]! * b[p * bRow + j * bCol]!;
      c[i * n + j] += s;
    }
  }
}
