/**
 * Scalar definitions of every elementwise map and its derivative. This is the single
 * definition of correct for the activations: the reference backend applies these, and the
 * plotting helpers (activations/) call them too.
 */
import type { BinaryOp, UnaryOp } from '../backend.js';
import { erf } from './erf.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const GELU_TANH_C = 0.044715;

export function sigmoid(x: number): number {
  // Two forms so exp() never overflows: large negative z must give a tiny positive value.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

type Unary = (x: number) => number;
/** Derivative f'(x), given x and y = f(x). */
type UnaryDerivative = (x: number, y: number) => number;

export function unaryFunction(op: UnaryOp, alpha: number, beta: number): Unary {
  switch (op) {
    case 'neg': return (x) => -x;
    case 'exp': return Math.exp;
    case 'log': return Math.log;
    case 'sqrt': return Math.sqrt;
    case 'abs': return Math.abs;
    case 'sign': return (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);
    case 'square': return (x) => x * x;
    case 'reciprocal': return (x) => 1 / x;
    case 'clip': return (x) => (x < alpha ? alpha : x > beta ? beta : x);
    case 'sigmoid': return sigmoid;
    case 'tanh': return Math.tanh;
    case 'relu': return (x) => (x > 0 ? x : 0);
    case 'leakyRelu': return (x) => (x > 0 ? x : alpha * x);
    case 'elu': return (x) => (x > 0 ? x : alpha * Math.expm1(x));
    case 'gelu': return (x) => 0.5 * x * (1 + erf(x * INV_SQRT_2));
    case 'geluTanh': return (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x)));
    case 'swish': return (x) => x * sigmoid(x);
    case 'softplus': return softplus;
    case 'linear': return (x) => x;
  }
}

export function unaryDerivative(op: UnaryOp, alpha: number, beta: number): UnaryDerivative {
  switch (op) {
    case 'neg': return () => -1;
    case 'exp': return (_x, y) => y;
    case 'log': return (x) => 1 / x;
    case 'sqrt': return (_x, y) => 0.5 / y;
    // NOTE: |x| has no derivative at 0; 0 is the subgradient PyTorch and TF use (MAE needs it).
    case 'abs': return (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);
    case 'sign': return () => 0;
    case 'square': return (x) => 2 * x;
    case 'reciprocal': return (_x, y) => -y * y;
    case 'clip': return (x) => (x >= alpha && x <= beta ? 1 : 0);
    case 'sigmoid': return (_x, y) => y * (1 - y);
    case 'tanh': return (_x, y) => 1 - y * y;
    case 'relu': return (x) => (x > 0 ? 1 : 0);
    case 'leakyRelu': return (x) => (x > 0 ? 1 : alpha);
    case 'elu': return (x) => (x > 0 ? 1 : alpha * Math.exp(x));
    case 'gelu': return (x) => 0.5 * (1 + erf(x * INV_SQRT_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    case 'geluTanh': return (x) => {
      const u = SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
      const t = Math.tanh(u);
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_C * x * x);
    };
    case 'swish': return (x) => {
      const s = sigmoid(x);
      return s + x * s * (1 - s);
    };
    case 'softplus': return sigmoid;
    case 'linear': return () => 1;
  }
}

export function binaryFunction(op: BinaryOp): (a: number, b: number) => number {
  switch (op) {
    case 'add': return (a, b) => a + b;
    case 'sub': return (a, b) => a - b;
    case 'mul': return (a, b) => a * b;
    case 'div': return (a, b) => a / b;
    case 'pow': return Math.pow;
    case 'maximum': return (a, b) => (a >= b ? a : b);
    case 'minimum': return (a, b) => (a <= b ? a : b);
  }
}
