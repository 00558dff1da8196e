/**
 * Op codes shared with the addon: the position of each name here is the number the C++
 * kernels switch on (native/gradiente.cc, UNARY_NAMES and BINARY_NAMES). The addon reports
 * its own lists and the loader refuses an addon whose lists differ (one built from another
 * version of the sources), so a mismatch can never silently compute the wrong function.
 */
import type { BinaryOp, UnaryOp } from '../backend.js';

export const NATIVE_UNARY_OPS: readonly UnaryOp[] = [
  'neg', 'exp', 'log', 'sqrt', 'abs', 'sign', 'square', 'reciprocal', 'clip', 'sigmoid',
  'tanh', 'relu', 'leakyRelu', 'elu', 'gelu', 'geluTanh', 'swish', 'softplus', 'linear',
];

export const NATIVE_BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'];

export const UNARY_CODE = new Map<UnaryOp, number>(NATIVE_UNARY_OPS.map((op, i) => [op, i]));
export const BINARY_CODE = new Map<BinaryOp, number>(NATIVE_BINARY_OPS.map((op, i) => [op, i]));

/** Why an addon's op lists do not match these, or null when they do. */
export function codesMismatch(unaryOps: unknown, binaryOps: unknown): string | null {
  const same = (a: unknown, b: readonly string[]): boolean => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(unaryOps, NATIVE_UNARY_OPS) || !same(binaryOps, NATIVE_BINARY_OPS)) {
    return 'the addon was built from other sources (its op list differs); rebuild it with npm run build:native';
  }
  return null;
}
