/**
 * Elementwise ops with broadcasting: add, sub, mul, div, pow, maximum, minimum, and the
 * unary maps (neg, exp, log, sqrt, abs, square, clip). Each op's backward sits beside it.
 */
import { record } from '../autograd/graph.js';
import type { BinaryOp, UnaryOp } from '../backends/backend.js';
import { kernels } from '../backends/registry.js';
import { ValueError } from '../errors.js';
import { Tensor, allocate, dtypeOf, sizeOf, type FloatArray } from '../tensor/tensor.js';
import { asTensor, broadcastShapes, resultDType, sumToShape, type TensorLike } from './util.js';

type BinaryGrad = (g: FloatArray, a: Tensor, b: Tensor, out: FloatArray, shape: readonly number[]) => [FloatArray | null, FloatArray | null];

function binaryOp(op: BinaryOp, x: TensorLike, y: TensorLike, grad: BinaryGrad): Tensor {
  const a = asTensor(x, y instanceof Tensor ? y : undefined);
  const b = asTensor(y, a);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = allocate(resultDType(a, b), sizeOf(shape));
  kernels(a.data, b.data).binary(op, a.data, a.shape, b.data, b.shape, out, shape);
  return record(out, shape, op, [a, b], (g) => {
    const [ga, gb] = grad(g, a, b, out, shape);
    return [
      ga && a.requiresGrad ? sumToShape(ga, shape, a.shape) : null,
      gb && b.requiresGrad ? sumToShape(gb, shape, b.shape) : null,
    ];
  });
}

/** g (op) t, broadcast to `shape`: the building block of the binary gradients. */
function combine(op: BinaryOp, g: FloatArray, shape: readonly number[], t: FloatArray, tShape: readonly number[]): FloatArray {
  const out = allocate(dtypeOf(g, t), sizeOf(shape));
  kernels(g, t).binary(op, g, shape, t, tShape, out, shape);
  return out;
}

/** -g as a new array: g may be the output gradient, which other inputs also receive. */
function negate(g: FloatArray): FloatArray {
  return negateInPlace(g.slice());
}

function negateInPlace(a: FloatArray): FloatArray {
  for (let i = 0; i < a.length; i++) a[i] = -a[i]!;
  return a;
}

export function add(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('add', a, b, (g) => [g, g]);
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('sub', a, b, (g, _a, tb) => [g, tb.requiresGrad ? negate(g) : null]);
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('mul', a, b, (g, ta, tb, _out, shape) => [
    ta.requiresGrad ? combine('mul', g, shape, tb.data, tb.shape) : null,
    tb.requiresGrad ? combine('mul', g, shape, ta.data, ta.shape) : null,
  ]);
}

export function div(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('div', a, b, (g, ta, tb, out, shape) => {
    const ga = ta.requiresGrad ? combine('div', g, shape, tb.data, tb.shape) : null;
    // d(a/b)/db = -(a/b)/b = -out/b; combine() returns a fresh array, so it is negated where it lies.
    const gb = tb.requiresGrad ? negateInPlace(combine('div', combine('mul', g, shape, out, shape), shape, tb.data, tb.shape)) : null;
    return [ga, gb];
  });
}

/**
 * a^b. The gradient with respect to b uses log(a) and is only defined for a > 0.
 * At a = 0 the formulas give 0·∞ = NaN where the limit is 0; as PyTorch, d/da is 0 where
 * b = 0 (a^0 is constant) and d/db is 0 where b >= 0, so x^0 or a learned exponent over a
 * zero input does not turn the parameters into NaN.
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('pow', a, b, (g, ta, tb, out, shape) => {
    const av = broadcastTo(ta, shape);
    const bv = broadcastTo(tb, shape);
    let ga: FloatArray | null = null;
    if (ta.requiresGrad) {
      // d(a^b)/da = b · a^(b-1)
      const bm1 = allocate(tb.dtype, tb.size);
      for (let i = 0; i < bm1.length; i++) bm1[i] = tb.data[i]! - 1;
      const p = combine('pow', av, shape, bm1, tb.shape);
      ga = combine('mul', combine('mul', g, shape, p, shape), shape, tb.data, tb.shape);
    }
    let gb: FloatArray | null = null;
    if (tb.requiresGrad) {
      const logA = allocate(ta.dtype, ta.size);
      kernels(ta.data).unary('log', ta.data, logA, 0, 0);
      gb = combine('mul', combine('mul', g, shape, out, shape), shape, logA, ta.shape);
    }
    // combine() returned fresh arrays, so patching the 0·∞ entries in place is safe.
    for (let i = 0; i < g.length; i++) {
      if (ga !== null && bv[i] === 0) ga[i] = 0;
      if (gb !== null && av[i] === 0 && bv[i]! >= 0) gb[i] = 0;
    }
    return [ga, gb];
  });
}

function broadcastTo(t: Tensor, shape: readonly number[]): FloatArray {
  if (t.size === sizeOf(shape)) return t.data;
  const zero = allocate(t.dtype, sizeOf(shape));
  kernels(t.data).binary('add', zero, shape, t.data, t.shape, zero, shape);
  return zero;
}

/** Elementwise larger value. At ties the gradient is split equally, as in PyTorch. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('maximum', a, b, (g, ta, tb, _out, shape) => selectGrad(g, ta, tb, shape, (x, y) => x > y));
}

/** Elementwise smaller value. At ties the gradient is split equally, as in PyTorch. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('minimum', a, b, (g, ta, tb, _out, shape) => selectGrad(g, ta, tb, shape, (x, y) => x < y));
}

function selectGrad(
  g: FloatArray,
  ta: Tensor,
  tb: Tensor,
  shape: readonly number[],
  wins: (x: number, y: number) => boolean,
): [FloatArray, FloatArray] {
  const av = broadcastTo(ta, shape);
  const bv = broadcastTo(tb, shape);
  const ga = allocate(ta.dtype, g.length);
  const gb = allocate(tb.dtype, g.length);
  for (let i = 0; i < g.length; i++) {
    const x = av[i]!, y = bv[i]!;
    if (x === y) {
      ga[i] = gb[i] = g[i]! / 2;
    } else if (wins(x, y)) {
      ga[i] = g[i]!;
    } else {
      gb[i] = g[i]!;
    }
  }
  return [ga, gb];
}

/** A unary map f with dx = dy · f'(x); used by the math ops here and by the activations. */
export function unaryOp(op: UnaryOp, x: Tensor, alpha = 0, beta = 0): Tensor {
  const out = allocate(x.dtype, x.size);
  kernels(x.data).unary(op, x.data, out, alpha, beta);
  return record(out, x.shape, op, [x], (g) => {
    const dx = allocate(x.dtype, x.size);
    kernels(x.data, g).unaryGrad(op, x.data, out, g, dx, alpha, beta);
    return [dx];
  });
}

export const neg = (x: Tensor): Tensor => unaryOp('neg', x);
export const exp = (x: Tensor): Tensor => unaryOp('exp', x);
export const log = (x: Tensor): Tensor => unaryOp('log', x);
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x);
/** |x|, with gradient 0 at 0 (so MAE's gradient is 0 for a perfect prediction). */
export const abs = (x: Tensor): Tensor => unaryOp('abs', x);
export const square = (x: Tensor): Tensor => unaryOp('square', x);

/** Values limited to [low, high]; the gradient is 0 where a value was clipped. */
export function clip(x: Tensor, low: number, high: number): Tensor {
  if (!(low <= high)) throw new ValueError(`clip: low (${low}) must not be greater than high (${high})`);
  return unaryOp('clip', x, low, high);
}
