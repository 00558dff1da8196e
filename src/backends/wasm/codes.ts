/**
 * Op codes shared with the kernels: these numbers must equal the constants at the top of
 * assembly/elementwise.ts. The conformance test runs every op on both backends, so a
 * mismatch shows up there as wrong values.
 */
import type { BinaryOp, UnaryOp } from '../backend.js';

export const UNARY_CODES: Readonly<Record<UnaryOp, number>> = {
  neg: 0,
  exp: 1,
  log: 2,
  sqrt: 3,
  abs: 4,
  sign: 5,
  square: 6,
  reciprocal: 7,
  clip: 8,
  sigmoid: 9,
  tanh: 10,
  relu: 11,
  leakyRelu: 12,
  elu: 13,
  gelu: 14,
  geluTanh: 15,
  swish: 16,
  softplus: 17,
  linear: 18,
};

/** Binary ops with a kernel; `pow` stays on the reference backend (no SIMD pow). */
export const BINARY_CODES: Readonly<Partial<Record<BinaryOp, number>>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
};
