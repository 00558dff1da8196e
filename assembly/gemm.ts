/**
 * Matrix product C = op(A)·op(B) [+ bias], float32, GotoBLAS style.
 *
 * A(i, p) is read at a + 4·(i·aRow + p·aCol) and B(p, j) at b + 4·(p·bRow + j·bCol), so the
 * transposed forms (A·Bᵀ, Aᵀ·B, which backward needs) are only different strides: packing
 * reads through them into the same panel layout, and all three forms run the same inner loop
 * at the same speed. C is row-major with `ldc` floats per row.
 *
 * One call computes the block of rows [m0, m1) and columns [n0, n1) of C with its own
 * workspace, so threads can each take a block of the same product.
 *
 * Measured on V8: only micro-kernels with 8 v128 accumulators are fast (larger tiles or
 * unrolling over k spill to the stack), hence the 4×8 register tile.
 */
import { madd } from './simd';

/** Rows of the register tile (one splat of A each). */
const MR: i32 = 4;
/** Columns of the register tile (two v128 of B). */
const NR: i32 = 8;
/**
 * Depth of a packed block. Short on purpose: each block's sums are added into C, so a value
 * of C is rounded to float32 in chains of at most KC terms rather than k. Against a float64
 * reference, 64×784×128 products of N(0, 1) values err by up to 2.3e-5 (relative to 1 + |C|)
 * with one chain per value and by ~8e-6 with 32-term chains; the speed is the same.
 */
const KC: i32 = 32;
/** Rows of A packed at once (MC×KC floats: 32 KiB). */
const MC: i32 = 256;
/** Columns of B packed at once (KC×NC floats: 64 KiB). Blocking sizes move speed by only ±5%. */
const NC: i32 = 512;

const PACK_A_BYTES: i32 = MC * KC * 4;
const PACK_B_BYTES: i32 = KC * NC * 4;
const TILE_BYTES: i32 = MR * NR * 4;

/** How the micro-kernel writes its tile into C. */
const ACCUMULATE: i32 = 0; // C += tile (later blocks of k)
const STORE: i32 = 1; // C = tile (first block of k, no bias)
const STORE_BIAS: i32 = 2; // C = tile + bias (first block of k)

/** Bytes of workspace one thread needs for `gemm`. */
export function gemmWorkspaceBytes(): i32 {
  return PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES;
}

/** Row granularity for splitting a product between threads. */
export function gemmTileRows(): i32 {
  return MR;
}

/** Column granularity for splitting a product between threads. */
export function gemmTileCols(): i32 {
  return NR;
}

/**
 * Depth of the k blocks for a product of depth k: equal blocks of at most KC (e.g. 100 =
 * 4×25 rather than 3×32 + 4, whose thin last block would pay the tile load/store for only a
 * few steps). Shared packing and `gemm` must agree on it.
 */
// @ts-ignore: decorator
@inline
function depthBlock(k: i32): i32 {
  const kBlocks = (k + KC - 1) / KC;
  return (k + kBlocks - 1) / kBlocks;
}

/** Floats `packSharedA` writes for an m×k operand (rows padded to whole tiles). */
export function packedASize(m: i32, k: i32): i32 {
  return ((m + MR - 1) / MR) * MR * k;
}

/** Floats `packSharedB` writes for a k×n operand (columns padded to whole tiles). */
export function packedBSize(k: i32, n: i32): i32 {
  return ((n + NR - 1) / NR) * NR * k;
}

/**
 * Pack all of op(A) (m×k) once, for threads that split a product by columns and would
 * otherwise each pack the same A. Layout: k block after k block; within one, the row
 * panels as `packA` writes them, so block (pc, ic) starts at float pc·mPad + ic·kc.
 */
export function packSharedA(a: usize, aRow: i32, aCol: i32, m: i32, k: i32, dst: usize): void {
  const kcMax = depthBlock(k);
  const mPad = ((m + MR - 1) / MR) * MR;
  for (let pc = 0; pc < k; pc += kcMax) {
    packA(a, aRow, aCol, 0, pc, m, min(kcMax, k - pc), dst + (<usize>(pc * mPad) << 2));
  }
}

/** Pack all of op(B) (k×n) once, for threads that split by rows; block (pc, jc) at pc·nPad + jc·kc. */
export function packSharedB(b: usize, bRow: i32, bCol: i32, k: i32, n: i32, dst: usize): void {
  const kcMax = depthBlock(k);
  const nPad = ((n + NR - 1) / NR) * NR;
  for (let pc = 0; pc < k; pc += kcMax) {
    packB(b, bRow, bCol, pc, 0, min(kcMax, k - pc), n, dst + (<usize>(pc * nPad) << 2));
  }
}

/**
 * Packed, register-tiled product for the block [m0, m1) × [n0, n1) of C. `bias` 0 means none.
 * `sharedA` / `sharedB`, when not 0, hold op(A) / op(B) already packed by packSharedA/B for
 * the whole product (then m0 / n0 must be a multiple of the tile rows / columns).
 */
export function gemm(
  a: usize, aRow: i32, aCol: i32,
  b: usize, bRow: i32, bCol: i32,
  c: usize, ldc: i32, bias: usize,
  k: i32, m0: i32, m1: i32, n0: i32, n1: i32,
  work: usize, sharedA: usize, sharedB: usize, m: i32, n: i32,
): void {
  if (m1 <= m0 || n1 <= n0) return;
  if (k <= 0) {
    fillRows(c, ldc, bias, m0, m1, n0, n1);
    return;
  }
  const tile = work + <usize>(PACK_A_BYTES + PACK_B_BYTES);
  const kcMax = depthBlock(k);
  const mPad = ((m + MR - 1) / MR) * MR;
  const nPad = ((n + NR - 1) / NR) * NR;
  for (let jc = n0; jc < n1; jc += NC) {
    const nc = min(NC, n1 - jc);
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = min(kcMax, k - pc);
      let pb = work + <usize>PACK_A_BYTES;
      if (sharedB != 0) pb = sharedB + (<usize>(pc * nPad + jc * kc) << 2);
      else packB(b, bRow, bCol, pc, jc, kc, nc, pb);
      const mode = pc > 0 ? ACCUMULATE : bias != 0 ? STORE_BIAS : STORE;
      for (let ic = m0; ic < m1; ic += MC) {
        const mc = min(MC, m1 - ic);
        let pa = work;
        if (sharedA != 0) pa = sharedA + (<usize>(pc * mPad + ic * kc) << 2);
        else packA(a, aRow, aCol, ic, pc, mc, kc, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const panelB = pb + <usize>(jr * kc * 4);
          const biasJ = bias + (<usize>(jc + jr) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const cTile = c + (<usize>((ic + ir) * ldc + jc + jr) << 2);
            microKernel(kc, pa + <usize>(ir * kc * 4), panelB, cTile, <usize>ldc << 2, mr, nr, mode, biasJ, tile);
          }
        }
      }
    }
  }
}

/** C = bias (or 0) on a block: the product with k = 0. */
function fillRows(c: usize, ldc: i32, bias: usize, m0: i32, m1: i32, n0: i32, n1: i32): void {
  for (let i = m0; i < m1; i++) {
    const row = c + (<usize>(i * ldc) << 2);
    for (let j = n0; j < n1; j++) {
      store<f32>(row + (<usize>j << 2), bias != 0 ? load<f32>(bias + (<usize>j << 2)) : 0);
    }
  }
}

/**
 * Copy the kc×nc block of B at (pc, jc) into NR-column panels: panel after panel, each
 * p-major with NR floats per step, zero-padded past the last column.
 */
function packB(b: usize, bRow: i32, bCol: i32, pc: i32, jc: i32, kc: i32, nc: i32, pb: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    let dst = pb + <usize>(jr * kc * 4);
    if (cols == NR && bCol == 1) {
      // Rows of B are contiguous: each step copies 8 floats.
      let src = b + (<usize>(pc * bRow + jc + jr) << 2);
      const step = <usize>bRow << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += step;
        dst += 32;
      }
    } else if (cols == NR && bRow == 1) {
      // B stored transposed (columns contiguous): transpose 4×4 blocks in registers.
      const colStep = <usize>bCol << 2;
      const s0 = b + (<usize>(pc + (jc + jr) * bCol) << 2);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const src = s0 + (<usize>p << 2);
        transposeStore4(src, colStep, dst, 32);
        transposeStore4(src + colStep * 4, colStep, dst + 16, 32);
        dst += 128;
      }
      for (; p < kc; p++) {
        const src = s0 + (<usize>p << 2);
        for (let q = 0; q < NR; q++) store<f32>(dst + (<usize>q << 2), load<f32>(src + colStep * <usize>q));
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const row = b + (<usize>((pc + p) * bRow) << 2);
        for (let q = 0; q < NR; q++) {
          const v: f32 = q < cols ? load<f32>(row + (<usize>((jc + jr + q) * bCol) << 2)) : 0;
          store<f32>(dst + (<usize>q << 2), v);
        }
        dst += 32;
      }
    }
  }
}

/**
 * Copy the mc×kc block of A at (ic, pc) into MR-row panels: panel after panel, each p-major
 * with MR floats per step, zero-padded past the last row.
 */
function packA(a: usize, aRow: i32, aCol: i32, ic: i32, pc: i32, mc: i32, kc: i32, pa: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    let dst = pa + <usize>(ir * kc * 4);
    if (rows == MR && aRow == 1) {
      // A stored transposed (Aᵀ·B): the MR values of one step are contiguous.
      let src = a + (<usize>(ic + ir + pc * aCol) << 2);
      const step = <usize>aCol << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        src += step;
        dst += 16;
      }
    } else if (rows == MR && aCol == 1) {
      // Rows of A are contiguous: transpose 4×4 blocks in registers.
      const rowStep = <usize>aRow << 2;
      const s0 = a + (<usize>((ic + ir) * aRow + pc) << 2);
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        transposeStore4(s0 + (<usize>p << 2), rowStep, dst, 16);
        dst += 64;
      }
      for (; p < kc; p++) {
        const src = s0 + (<usize>p << 2);
        for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), load<f32>(src + rowStep * <usize>r));
        dst += 16;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const col = <usize>((pc + p) * aCol);
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < rows ? load<f32>(a + ((<usize>((ic + ir + r) * aRow) + col) << 2)) : 0;
          store<f32>(dst + (<usize>r << 2), v);
        }
        dst += 16;
      }
    }
  }
}

/**
 * Read four runs of 4 floats (run r at src + r·stride) and store them transposed: the 4
 * floats at dst + t·dstStride are element t of each run.
 */
// @ts-ignore: decorator
@inline
function transposeStore4(src: usize, stride: usize, dst: usize, dstStride: usize): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + stride);
  const r2 = v128.load(src + stride * 2);
  const r3 = v128.load(src + stride * 3);
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(dst + dstStride, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(dst + dstStride * 2, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
  v128.store(dst + dstStride * 3, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

/** The MR×NR register tile over kc steps of packed panels, written into C by `mode`. */
function microKernel(
  kc: i32, pa: usize, pb: usize, c: usize, ldcBytes: usize,
  mr: i32, nr: i32, mode: i32, bias: usize, tile: usize,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  if (mr == MR && nr == NR) {
    if (mode == STORE_BIAS) {
      const bias0 = v128.load(bias);
      const bias1 = v128.load(bias, 16);
      c00 = f32x4.add(c00, bias0); c01 = f32x4.add(c01, bias1);
      c10 = f32x4.add(c10, bias0); c11 = f32x4.add(c11, bias1);
      c20 = f32x4.add(c20, bias0); c21 = f32x4.add(c21, bias1);
      c30 = f32x4.add(c30, bias0); c31 = f32x4.add(c31, bias1);
    }
    let row = c;
    if (mode == ACCUMULATE) {
      v128.store(row, f32x4.add(v128.load(row), c00)); v128.store(row, f32x4.add(v128.load(row, 16), c01), 16);
      row += ldcBytes;
      v128.store(row, f32x4.add(v128.load(row), c10)); v128.store(row, f32x4.add(v128.load(row, 16), c11), 16);
      row += ldcBytes;
      v128.store(row, f32x4.add(v128.load(row), c20)); v128.store(row, f32x4.add(v128.load(row, 16), c21), 16);
      row += ldcBytes;
      v128.store(row, f32x4.add(v128.load(row), c30)); v128.store(row, f32x4.add(v128.load(row, 16), c31), 16);
    } else {
      v128.store(row, c00); v128.store(row, c01, 16);
      row += ldcBytes;
      v128.store(row, c10); v128.store(row, c11, 16);
      row += ldcBytes;
      v128.store(row, c20); v128.store(row, c21, 16);
      row += ldcBytes;
      v128.store(row, c30); v128.store(row, c31, 16);
    }
    return;
  }
  // Edge tile: park it in the workspace, then write only the mr×nr part that exists.
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  for (let r = 0; r < mr; r++) {
    const row = c + ldcBytes * <usize>r;
    const src = tile + (<usize>(r * NR) << 2);
    for (let q = 0; q < nr; q++) {
      const at = row + (<usize>q << 2);
      let v = load<f32>(src + (<usize>q << 2));
      if (mode == ACCUMULATE) v += load<f32>(at);
      else if (mode == STORE_BIAS) v += load<f32>(bias + (<usize>q << 2));
      store<f32>(at, v);
    }
  }
}
