/**
 * Elementwise maps, their gradients, and binary ops with the broadcasts training uses.
 *
 * The piecewise-linear maps (relu, leakyRelu, clip, abs, ...) run four lanes at a time. The
 * transcendental ones compute in f64 with the standard library's exp/log/tanh, one value at a
 * time: the reference backend computes in f64 too, and a float32 polynomial would not meet
 * 1e-5 relative agreement everywhere (tanh near 0, elu's gradient for very negative z).
 *
 * Op codes must match `UNARY_CODES` / `BINARY_CODES` in src/backends/wasm/codes.ts (the
 * conformance test runs every op on both backends, so a mismatch fails there).
 */

export const NEG: i32 = 0;
export const EXP: i32 = 1;
export const LOG: i32 = 2;
export const SQRT: i32 = 3;
export const ABS: i32 = 4;
export const SIGN: i32 = 5;
export const SQUARE: i32 = 6;
export const RECIPROCAL: i32 = 7;
export const CLIP: i32 = 8;
export const SIGMOID: i32 = 9;
export const TANH: i32 = 10;
export const RELU: i32 = 11;
export const LEAKY_RELU: i32 = 12;
export const ELU: i32 = 13;
export const GELU: i32 = 14;
export const GELU_TANH: i32 = 15;
export const SWISH: i32 = 16;
export const SOFTPLUS: i32 = 17;
export const LINEAR: i32 = 18;

export const ADD: i32 = 0;
export const SUB: i32 = 1;
export const MUL: i32 = 2;
export const DIV: i32 = 3;
export const MAXIMUM: i32 = 4;
export const MINIMUM: i32 = 5;

const SQRT_2_OVER_PI: f64 = 0.7978845608028654;
const INV_SQRT_2: f64 = 0.7071067811865476;
const INV_SQRT_2PI: f64 = 0.3989422804014327;
const GELU_TANH_C: f64 = 0.044715;
const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;
const SQRT_PI: f64 = 1.7724538509055159;

// ---------------------------------------------------------------------------------------
// Scalar definitions (f64), the same formulas as the reference backend's scalar.ts.

function sigmoid(x: f64): f64 {
  // Two forms so exp() never overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function softplus(x: f64): f64 {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** erf by power series near 0 and a continued fraction for erfc in the tails. */
function erf(x: f64): f64 {
  if (isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / <f64>n;
      const add = term / <f64>(2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (ax > 6) return x > 0 ? 1 : -1;
  let f = ax;
  for (let n = 60; n >= 1; n--) f = ax + <f64>n / 2 / f;
  const r = Math.exp(-ax * ax) / (SQRT_PI * f);
  return x > 0 ? 1 - r : r - 1;
}

function scalarMap(op: i32, x: f64, alpha: f64, beta: f64): f64 {
  switch (op) {
    case NEG: return -x;
    case EXP: return Math.exp(x);
    case LOG: return Math.log(x);
    case SQRT: return Math.sqrt(x);
    case ABS: return Math.abs(x);
    case SIGN: return x > 0 ? 1 : x < 0 ? -1 : 0;
    case SQUARE: return x * x;
    case RECIPROCAL: return 1 / x;
    case CLIP: return x < alpha ? alpha : x > beta ? beta : x;
    case SIGMOID: return sigmoid(x);
    case TANH: return Math.tanh(x);
    case RELU: return x > 0 ? x : 0;
    case LEAKY_RELU: return x > 0 ? x : alpha * x;
    case ELU: return x > 0 ? x : alpha * Math.expm1(x);
    case GELU: return 0.5 * x * (1 + erf(x * INV_SQRT_2));
    case GELU_TANH: return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x)));
    case SWISH: return x * sigmoid(x);
    case SOFTPLUS: return softplus(x);
    default: return x;
  }
}

/** f'(x), given x and y = f(x). */
function scalarDerivative(op: i32, x: f64, y: f64, alpha: f64, beta: f64): f64 {
  switch (op) {
    case NEG: return -1;
    case EXP: return y;
    case LOG: return 1 / x;
    case SQRT: return 0.5 / y;
    case ABS: return x > 0 ? 1 : x < 0 ? -1 : 0;
    case SIGN: return 0;
    case SQUARE: return 2 * x;
    case RECIPROCAL: return -y * y;
    case CLIP: return x >= alpha && x <= beta ? 1 : 0;
    case SIGMOID: return y * (1 - y);
    case TANH: return 1 - y * y;
    case RELU: return x > 0 ? 1 : 0;
    case LEAKY_RELU: return x > 0 ? 1 : alpha;
    case ELU: return x > 0 ? 1 : alpha * Math.exp(x);
    case GELU: return 0.5 * (1 + erf(x * INV_SQRT_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    case GELU_TANH: {
      const u = SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
      const t = Math.tanh(u);
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_C * x * x);
    }
    case SWISH: {
      const s = sigmoid(x);
      return s + x * s * (1 - s);
    }
    case SOFTPLUS: return sigmoid(x);
    default: return 1;
  }
}

// ---------------------------------------------------------------------------------------
// Unary maps.

/** out[i] = f(x[i]) for n floats. */
export function unary(op: i32, x: usize, out: usize, n: i32, alpha: f32, beta: f32): void {
  const n4 = n & ~3;
  let i = 0;
  switch (op) {
    case RELU: {
      const zero = f32x4.splat(0);
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        v128.store(out + at, f32x4.pmax(zero, v128.load(x + at)));
      }
      break;
    }
    case LEAKY_RELU: {
      const zero = f32x4.splat(0);
      const slope = f32x4.splat(alpha);
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        const v = v128.load(x + at);
        v128.store(out + at, v128.bitselect(v, f32x4.mul(v, slope), f32x4.gt(v, zero)));
      }
      break;
    }
    case NEG: {
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        v128.store(out + at, f32x4.neg(v128.load(x + at)));
      }
      break;
    }
    case ABS: {
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        v128.store(out + at, f32x4.abs(v128.load(x + at)));
      }
      break;
    }
    case SQUARE: {
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        const v = v128.load(x + at);
        v128.store(out + at, f32x4.mul(v, v));
      }
      break;
    }
    case SQRT: {
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        v128.store(out + at, f32x4.sqrt(v128.load(x + at)));
      }
      break;
    }
    case CLIP: {
      const lo = f32x4.splat(alpha);
      const hi = f32x4.splat(beta);
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        const v = v128.load(x + at);
        // x < lo ? lo : x > hi ? hi : x, keeping NaN as the reference does.
        const upper = v128.bitselect(hi, v, f32x4.gt(v, hi));
        v128.store(out + at, v128.bitselect(lo, upper, f32x4.lt(v, lo)));
      }
      break;
    }
    case LINEAR: {
      memory.copy(out, x, <usize>n << 2);
      return;
    }
  }
  // Tail of the vector loops, or all of the transcendental maps.
  const a = <f64>alpha;
  const b = <f64>beta;
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, <f32>scalarMap(op, <f64>load<f32>(x + at), a, b));
  }
}

/** out[i] = dy[i] · f'(x[i]) for n floats; y = f(x). */
export function unaryGrad(op: i32, x: usize, y: usize, dy: usize, out: usize, n: i32, alpha: f32, beta: f32): void {
  const n4 = n & ~3;
  let i = 0;
  switch (op) {
    case RELU: {
      const zero = f32x4.splat(0);
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        v128.store(out + at, v128.and(v128.load(dy + at), f32x4.gt(v128.load(x + at), zero)));
      }
      break;
    }
    case LEAKY_RELU: {
      const zero = f32x4.splat(0);
      const slope = f32x4.splat(alpha);
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        const g = v128.load(dy + at);
        v128.store(out + at, v128.bitselect(g, f32x4.mul(g, slope), f32x4.gt(v128.load(x + at), zero)));
      }
      break;
    }
    case SIGMOID: {
      const one = f32x4.splat(1);
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        const s = v128.load(y + at);
        v128.store(out + at, f32x4.mul(f32x4.mul(v128.load(dy + at), s), f32x4.sub(one, s)));
      }
      break;
    }
    case TANH: {
      const one = f32x4.splat(1);
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        const t = v128.load(y + at);
        // (1 − t)(1 + t), not 1 − t²: near |t| = 1 the square's rounding would dominate.
        const d = f32x4.mul(f32x4.sub(one, t), f32x4.add(one, t));
        v128.store(out + at, f32x4.mul(v128.load(dy + at), d));
      }
      break;
    }
    case LINEAR: {
      memory.copy(out, dy, <usize>n << 2);
      return;
    }
    case NEG: {
      for (; i < n4; i += 4) {
        const at = <usize>i << 2;
        v128.store(out + at, f32x4.neg(v128.load(dy + at)));
      }
      break;
    }
  }
  const a = <f64>alpha;
  const b = <f64>beta;
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const d = scalarDerivative(op, <f64>load<f32>(x + at), <f64>load<f32>(y + at), a, b);
    store<f32>(out + at, <f32>(<f64>load<f32>(dy + at) * d));
  }
}

// ---------------------------------------------------------------------------------------
// Binary ops.

// @ts-ignore: decorator
@inline
function binaryLanes(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    // a >= b ? a : b, as the reference (so NaN in a picks b, NaN in b is kept).
    case MAXIMUM: return v128.bitselect(a, b, f32x4.ge(a, b));
    default: return v128.bitselect(a, b, f32x4.le(a, b));
  }
}

// @ts-ignore: decorator
@inline
function binaryScalar(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV: return a / b;
    case MAXIMUM: return a >= b ? a : b;
    default: return a <= b ? a : b;
  }
}

/** out[i] = a[i] (op) b[i] for n floats. */
export function binarySame(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  // One loop per op so the switch is not inside the hot loop.
  switch (op) {
    case ADD: for (; i < n4; i += 4) { const t = <usize>i << 2; v128.store(out + t, binaryLanes(ADD, v128.load(a + t), v128.load(b + t))); } break;
    case SUB: for (; i < n4; i += 4) { const t = <usize>i << 2; v128.store(out + t, binaryLanes(SUB, v128.load(a + t), v128.load(b + t))); } break;
    case MUL: for (; i < n4; i += 4) { const t = <usize>i << 2; v128.store(out + t, binaryLanes(MUL, v128.load(a + t), v128.load(b + t))); } break;
    case DIV: for (; i < n4; i += 4) { const t = <usize>i << 2; v128.store(out + t, binaryLanes(DIV, v128.load(a + t), v128.load(b + t))); } break;
    case MAXIMUM: for (; i < n4; i += 4) { const t = <usize>i << 2; v128.store(out + t, binaryLanes(MAXIMUM, v128.load(a + t), v128.load(b + t))); } break;
    default: for (; i < n4; i += 4) { const t = <usize>i << 2; v128.store(out + t, binaryLanes(MINIMUM, v128.load(a + t), v128.load(b + t))); } break;
  }
  for (; i < n; i++) {
    const t = <usize>i << 2;
    store<f32>(out + t, binaryScalar(op, load<f32>(a + t), load<f32>(b + t)));
  }
}

/**
 * A matrix (rows × cols) with a row vector of `cols` values repeated on every row (a bias
 * added to every sample): out = full (op) row, or row (op) full when `rowFirst`.
 * A scalar operand is the case cols = 1 with rows = n.
 */
export function binaryRows(op: i32, full: usize, row: usize, out: usize, rows: i32, cols: i32, rowFirst: bool): void {
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const base = <usize>(r * cols) << 2;
    const f = full + base;
    const o = out + base;
    let j = 0;
    if (rowFirst) {
      for (; j < c4; j += 4) { const t = <usize>j << 2; v128.store(o + t, binaryLanes(op, v128.load(row + t), v128.load(f + t))); }
      for (; j < cols; j++) { const t = <usize>j << 2; store<f32>(o + t, binaryScalar(op, load<f32>(row + t), load<f32>(f + t))); }
    } else {
      for (; j < c4; j += 4) { const t = <usize>j << 2; v128.store(o + t, binaryLanes(op, v128.load(f + t), v128.load(row + t))); }
      for (; j < cols; j++) { const t = <usize>j << 2; store<f32>(o + t, binaryScalar(op, load<f32>(f + t), load<f32>(row + t))); }
    }
  }
}

/**
 * A matrix (rows × cols) with one value per row repeated across the row (a [N, 1] column
 * against [N, C], as when a per-sample value meets per-class ones): out = full (op) column,
 * or column (op) full when `columnFirst`.
 */
export function binaryColumns(op: i32, full: usize, column: usize, out: usize, rows: i32, cols: i32, columnFirst: bool): void {
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const base = <usize>(r * cols) << 2;
    const f = full + base;
    const o = out + base;
    const s = load<f32>(column + (<usize>r << 2));
    const sv = f32x4.splat(s);
    let j = 0;
    if (columnFirst) {
      for (; j < c4; j += 4) { const t = <usize>j << 2; v128.store(o + t, binaryLanes(op, sv, v128.load(f + t))); }
      for (; j < cols; j++) { const t = <usize>j << 2; store<f32>(o + t, binaryScalar(op, s, load<f32>(f + t))); }
    } else {
      for (; j < c4; j += 4) { const t = <usize>j << 2; v128.store(o + t, binaryLanes(op, v128.load(f + t), sv)); }
      for (; j < cols; j++) { const t = <usize>j << 2; store<f32>(o + t, binaryScalar(op, load<f32>(f + t), s)); }
    }
  }
}

/** out[i] = a[i] (op) s, or s (op) a[i] when `scalarFirst`. */
export function binaryScalarOp(op: i32, a: usize, s: f32, out: usize, n: i32, scalarFirst: bool): void {
  const n4 = n & ~3;
  const sv = f32x4.splat(s);
  let i = 0;
  if (scalarFirst) {
    for (; i < n4; i += 4) { const t = <usize>i << 2; v128.store(out + t, binaryLanes(op, sv, v128.load(a + t))); }
    for (; i < n; i++) { const t = <usize>i << 2; store<f32>(out + t, binaryScalar(op, s, load<f32>(a + t))); }
  } else {
    for (; i < n4; i += 4) { const t = <usize>i << 2; v128.store(out + t, binaryLanes(op, v128.load(a + t), sv)); }
    for (; i < n; i++) { const t = <usize>i << 2; store<f32>(out + t, binaryScalar(op, load<f32>(a + t), s)); }
  }
}
