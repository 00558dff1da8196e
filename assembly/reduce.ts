/**
 * Reductions over a contiguous run of axes, seen as x[outer][reduced][inner], and row-wise
 * (log-)softmax with its gradient.
 */
/**
 * out[o][i] = Σ_r x[o][r][i] for inner > 1: whole rows added at once, four lanes at a time.
 * This is the bias gradient (the column sums of dY). The additions happen in the same order
 * as in the reference backend, so the results are identical.
 */
export function sumColumns(x: usize, out: usize, outer: i32, reduced: i32, inner: i32): void {
  foldColumns(x, out, outer, reduced, inner, false);
}

/** out[o][i] = max_r x[o][r][i] for inner > 1 (NaN propagates). */
export function maxColumns(x: usize, out: usize, outer: i32, reduced: i32, inner: i32): void {
  foldColumns(x, out, outer, reduced, inner, true);
}

/**
 * The loop both column reductions share: out row = first x row, then each further row folded
 * in with + or max. Inlined with a constant `isMax`, so each caller compiles to its own loop
 * with no branch inside.
 */
// @ts-ignore: decorator
@inline
function foldColumns(x: usize, out: usize, outer: i32, reduced: i32, inner: i32, isMax: bool): void {
  const i4 = inner & ~3;
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const dst = out + rowBytes * <usize>o;
    const src0 = x + rowBytes * <usize>(o * reduced);
    memory.copy(dst, src0, rowBytes);
    for (let r = 1; r < reduced; r++) {
      const src = src0 + rowBytes * <usize>r;
      let i = 0;
      for (; i < i4; i += 4) {
        const t = <usize>i << 2;
        const a = v128.load(dst + t);
        const b = v128.load(src + t);
        v128.store(dst + t, isMax ? f32x4.max(a, b) : f32x4.add(a, b));
      }
      for (; i < inner; i++) {
        const t = <usize>i << 2;
        const a = load<f32>(dst + t);
        const b = load<f32>(src + t);
        store<f32>(dst + t, isMax ? max(a, b) : a + b);
      }
    }
  }
}

/**
 * out[o] = Σ x[o][0..len) (the reduced axes are last, inner = 1): per-sample losses, the
 * mean of a loss, a full sum. Accumulated in f64 (two lanes per register) like the reference
 * backend's full sum, so long sums do not drift.
 */
export function sumRows(x: usize, out: usize, rows: i32, len: i32): void {
  const l4 = len & ~3;
  for (let o = 0; o < rows; o++) {
    const row = x + (<usize>(o * len) << 2);
    let lo = f64x2.splat(0);
    let hi = f64x2.splat(0);
    let j = 0;
    for (; j < l4; j += 4) {
      const v = v128.load(row + (<usize>j << 2));
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
    }
    const both = f64x2.add(lo, hi);
    let s = f64x2.extract_lane(both, 0) + f64x2.extract_lane(both, 1);
    for (; j < len; j++) s += <f64>load<f32>(row + (<usize>j << 2));
    store<f32>(out + (<usize>o << 2), <f32>s);
  }
}

/** out[o] = max x[o][0..len) (NaN propagates; -Infinity for an empty row). */
export function maxRows(x: usize, out: usize, rows: i32, len: i32): void {
  const l4 = len & ~3;
  for (let o = 0; o < rows; o++) {
    const row = x + (<usize>(o * len) << 2);
    let m = f32x4.splat(-Infinity);
    let j = 0;
    for (; j < l4; j += 4) m = f32x4.max(m, v128.load(row + (<usize>j << 2)));
    m = f32x4.max(m, i32x4.shuffle(m, m, 2, 3, 0, 1));
    let best = max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1));
    for (; j < len; j++) best = max(best, load<f32>(row + (<usize>j << 2)));
    store<f32>(out + (<usize>o << 2), best);
  }
}

/** Row-wise softmax (or log-softmax) of rows × cols, the row max subtracted first. */
export function softmax(x: usize, out: usize, rows: i32, cols: i32, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>(r * cols) << 2;
    const xr = x + base;
    const orow = out + base;
    let mx: f64 = -Infinity;
    for (let j = 0; j < cols; j++) mx = Math.max(mx, <f64>load<f32>(xr + (<usize>j << 2)));
    if (log) {
      // log1p of the other entries' sum, as the reference backend does: the max's own term is
      // exactly 1, and log(1 + tiny) would lose tiny when one logit dominates.
      let argmax = -1;
      for (let j = 0; j < cols; j++) {
        if (<f64>load<f32>(xr + (<usize>j << 2)) == mx) { argmax = j; break; }
      }
      let rest: f64 = 0;
      for (let j = 0; j < cols; j++) {
        if (j != argmax) rest += Math.exp(<f64>load<f32>(xr + (<usize>j << 2)) - mx);
      }
      const logSum = Math.log1p(rest);
      for (let j = 0; j < cols; j++) {
        const t = <usize>j << 2;
        store<f32>(orow + t, <f32>(<f64>load<f32>(xr + t) - mx - logSum));
      }
    } else {
      let sum: f64 = 0;
      for (let j = 0; j < cols; j++) sum += Math.exp(<f64>load<f32>(xr + (<usize>j << 2)) - mx);
      for (let j = 0; j < cols; j++) {
        const t = <usize>j << 2;
        store<f32>(orow + t, <f32>(Math.exp(<f64>load<f32>(xr + t) - mx) / sum));
      }
    }
  }
}

/**
 * Gradient of row-wise softmax from its output y and dL/dy:
 * log-softmax dx = dy − softmax·Σdy; softmax dx = y·(dy − Σ dy·y).
 */
export function softmaxGrad(y: usize, dy: usize, out: usize, rows: i32, cols: i32, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>(r * cols) << 2;
    const yr = y + base;
    const gr = dy + base;
    const orow = out + base;
    let s: f64 = 0;
    if (log) {
      for (let j = 0; j < cols; j++) s += <f64>load<f32>(gr + (<usize>j << 2));
      for (let j = 0; j < cols; j++) {
        const t = <usize>j << 2;
        const yv = <f64>load<f32>(yr + t);
        const g = <f64>load<f32>(gr + t);
        // Near probability 1, (dy − s) − expm1(y)·s keeps the digits dy − e^y·s would cancel.
        store<f32>(orow + t, <f32>(yv > -Math.LN2 ? g - s - Math.expm1(yv) * s : g - Math.exp(yv) * s));
      }
    } else {
      for (let j = 0; j < cols; j++) {
        const t = <usize>j << 2;
        s += <f64>load<f32>(gr + t) * <f64>load<f32>(yr + t);
      }
      for (let j = 0; j < cols; j++) {
        const t = <usize>j << 2;
        const yv = <f64>load<f32>(yr + t);
        store<f32>(orow + t, <f32>(yv * (<f64>load<f32>(gr + t) - s)));
      }
    }
  }
}
