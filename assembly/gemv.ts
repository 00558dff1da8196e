/**
 * Products with very few rows of C (batch size 1 to 3: stochastic gradient descent) or very
 * little depth (k ≤ 8: outer products). Packing B would copy the whole weight matrix to use
 * each value once or twice, so these read the operands where they lie. Same stride
 * conventions as `gemm`.
 *
 * Like `gemm`, sums run in chains of at most BLOCK terms that are then added into C, which
 * keeps float32 rounding error near the reference backend's (see KC in gemm.ts).
 */
import { hsum, madd } from './simd';

const BLOCK: i32 = 32;

/**
 * C = op(A)·B [+ bias] when B's rows are contiguous (bCol = 1): each row of C is a sum of rows
 * of B scaled by A(i, p), accumulated 32 columns at a time in 8 registers.
 */
export function gemmRowsByRows(
  a: usize, aRow: i32, aCol: i32,
  b: usize, bRow: i32,
  c: usize, ldc: i32, bias: usize,
  m: i32, k: i32, n: i32,
): void {
  const bStep = <usize>bRow << 2;
  const aStep = <usize>aCol << 2;
  for (let i = 0; i < m; i++) {
    const aRowPtr = a + (<usize>(i * aRow) << 2);
    const cRow = c + (<usize>(i * ldc) << 2);
    initRow(cRow, bias, n);
    for (let p0 = 0; p0 < k; p0 += BLOCK) {
      const p1 = min(k, p0 + BLOCK);
      const aStart = aRowPtr + aStep * <usize>p0;
      const bStart = b + bStep * <usize>p0;
      let j = 0;
      for (; j + 32 <= n; j += 32) {
        let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
        let s4 = f32x4.splat(0), s5 = f32x4.splat(0), s6 = f32x4.splat(0), s7 = f32x4.splat(0);
        let ap = aStart;
        let bp = bStart + (<usize>j << 2);
        for (let p = p0; p < p1; p++) {
          const av = v128.load32_splat(ap);
          s0 = madd(av, v128.load(bp), s0);
          s1 = madd(av, v128.load(bp, 16), s1);
          s2 = madd(av, v128.load(bp, 32), s2);
          s3 = madd(av, v128.load(bp, 48), s3);
          s4 = madd(av, v128.load(bp, 64), s4);
          s5 = madd(av, v128.load(bp, 80), s5);
          s6 = madd(av, v128.load(bp, 96), s6);
          s7 = madd(av, v128.load(bp, 112), s7);
          ap += aStep;
          bp += bStep;
        }
        const out = cRow + (<usize>j << 2);
        v128.store(out, f32x4.add(v128.load(out), s0));
        v128.store(out, f32x4.add(v128.load(out, 16), s1), 16);
        v128.store(out, f32x4.add(v128.load(out, 32), s2), 32);
        v128.store(out, f32x4.add(v128.load(out, 48), s3), 48);
        v128.store(out, f32x4.add(v128.load(out, 64), s4), 64);
        v128.store(out, f32x4.add(v128.load(out, 80), s5), 80);
        v128.store(out, f32x4.add(v128.load(out, 96), s6), 96);
        v128.store(out, f32x4.add(v128.load(out, 112), s7), 112);
      }
      for (; j + 4 <= n; j += 4) {
        let s = f32x4.splat(0);
        let ap = aStart;
        let bp = bStart + (<usize>j << 2);
        for (let p = p0; p < p1; p++) {
          s = madd(v128.load32_splat(ap), v128.load(bp), s);
          ap += aStep;
          bp += bStep;
        }
        const out = cRow + (<usize>j << 2);
        v128.store(out, f32x4.add(v128.load(out), s));
      }
      for (; j < n; j++) {
        let s: f32 = 0;
        let ap = aStart;
        let bp = bStart + (<usize>j << 2);
        for (let p = p0; p < p1; p++) {
          s += load<f32>(ap) * load<f32>(bp);
          ap += aStep;
          bp += bStep;
        }
        const out = cRow + (<usize>j << 2);
        store<f32>(out, load<f32>(out) + s);
      }
    }
  }
}

/**
 * C = A·op(B) [+ bias] when both A's rows and B's columns are contiguous along k (aCol = 1,
 * bRow = 1: the A·Bᵀ form, e.g. dX = dY·Wᵀ at batch size 1). Each C(i, j) is a dot product;
 * four columns share each load of A.
 */
export function gemmRowsByCols(
  a: usize, aRow: i32,
  b: usize, bCol: i32,
  c: usize, ldc: i32, bias: usize,
  m: i32, k: i32, n: i32,
): void {
  const colStep = <usize>bCol << 2;
  const k4 = k & ~3;
  for (let i = 0; i < m; i++) {
    const ai = a + (<usize>(i * aRow) << 2);
    const cRow = c + (<usize>(i * ldc) << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = b + colStep * <usize>j;
      const b1 = b0 + colStep;
      const b2 = b1 + colStep;
      const b3 = b2 + colStep;
      let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0), t3 = f32x4.splat(0);
      for (let p0 = 0; p0 < k4; p0 += BLOCK) {
        const p1 = min(k4, p0 + BLOCK);
        let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
        for (let p = p0; p < p1; p += 4) {
          const off = <usize>p << 2;
          const av = v128.load(ai + off);
          s0 = madd(av, v128.load(b0 + off), s0);
          s1 = madd(av, v128.load(b1 + off), s1);
          s2 = madd(av, v128.load(b2 + off), s2);
          s3 = madd(av, v128.load(b3 + off), s3);
        }
        t0 = f32x4.add(t0, s0);
        t1 = f32x4.add(t1, s1);
        t2 = f32x4.add(t2, s2);
        t3 = f32x4.add(t3, s3);
      }
      let d0 = hsum(t0), d1 = hsum(t1), d2 = hsum(t2), d3 = hsum(t3);
      for (let p = k4; p < k; p++) {
        const off = <usize>p << 2;
        const av = load<f32>(ai + off);
        d0 += av * load<f32>(b0 + off);
        d1 += av * load<f32>(b1 + off);
        d2 += av * load<f32>(b2 + off);
        d3 += av * load<f32>(b3 + off);
      }
      if (bias != 0) {
        const bj = bias + (<usize>j << 2);
        d0 += load<f32>(bj); d1 += load<f32>(bj, 4); d2 += load<f32>(bj, 8); d3 += load<f32>(bj, 12);
      }
      const out = cRow + (<usize>j << 2);
      store<f32>(out, d0); store<f32>(out, d1, 4); store<f32>(out, d2, 8); store<f32>(out, d3, 12);
    }
    for (; j < n; j++) {
      const bj = b + colStep * <usize>j;
      let t = f32x4.splat(0);
      for (let p0 = 0; p0 < k4; p0 += BLOCK) {
        const p1 = min(k4, p0 + BLOCK);
        let s = f32x4.splat(0);
        for (let p = p0; p < p1; p += 4) {
          const off = <usize>p << 2;
          s = madd(v128.load(ai + off), v128.load(bj + off), s);
        }
        t = f32x4.add(t, s);
      }
      let d = hsum(t);
      for (let p = k4; p < k; p++) d += load<f32>(ai + (<usize>p << 2)) * load<f32>(bj + (<usize>p << 2));
      if (bias != 0) d += load<f32>(bias + (<usize>j << 2));
      store<f32>(cRow + (<usize>j << 2), d);
    }
  }
}

/** A row of C set to the bias, or to zero. */
function initRow(cRow: usize, bias: usize, n: i32): void {
  if (bias != 0) memory.copy(cRow, bias, <usize>n << 2);
  else memory.fill(cRow, 0, <usize>n << 2);
}
