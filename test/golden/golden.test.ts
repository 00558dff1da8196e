/**
 * Golden tests: every op, activation and loss replayed in float32 on every backend and
 * compared with PyTorch's float64 values and gradients (test/golden/ops.json, written by
 * test/golden/generate.py; see that file for how Keras loss semantics map onto torch).
 *
 * The gradient compared is d sum(w · output) / d input for the stored random w: the test
 * passes w as backward()'s seed, which is the same thing without an extra op in the graph.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Tensor,
  abs,
  add,
  binaryCrossentropy,
  categoricalCrossentropy,
  clip,
  concat,
  div,
  elu,
  exp,
  flatten,
  gatherRows,
  gelu,
  huber,
  leakyRelu,
  linear,
  log,
  logSoftmax,
  matmul,
  max,
  maximum,
  mean,
  meanAbsoluteError,
  meanSquaredError,
  minimum,
  mul,
  neg,
  pow,
  relu,
  reshape,
  sigmoid,
  silu,
  slice,
  softmax,
  softplus,
  sparseCategoricalCrossentropy,
  sqrt,
  square,
  sub,
  sum,
  swish,
  tanh,
  tensor,
  transpose,
} from '../../src/index.js';
import type { Reduction } from '../../src/losses/index.js';
import { backendsUnderTest, useBackend } from '../helpers/backends.js';

interface StoredTensor {
  shape: number[];
  data: number[];
  requiresGrad: boolean;
}
interface StoredNumber {
  number: number;
}
interface Params {
  axis?: number | number[];
  keepDims?: boolean;
  shape?: number[];
  perm?: number[];
  start?: number;
  end?: number;
  indices?: number[];
  transposeA?: boolean;
  transposeB?: boolean;
  alpha?: number;
  approximate?: 'none' | 'tanh';
  low?: number;
  high?: number;
  reduction?: Reduction;
  fromLogits?: boolean;
  delta?: number;
}
interface GoldenCase {
  name: string;
  op: string;
  params: Params;
  inputs: (StoredTensor | StoredNumber)[];
  weights: number[];
  output: { shape: number[]; data: number[] };
  grads: (number[] | null)[];
}

const golden = JSON.parse(readFileSync(new URL('./ops.json', import.meta.url), 'utf8')) as { cases: GoldenCase[] };

type Operand = Tensor | number;
const T = (x: Operand | undefined): Tensor => {
  if (!(x instanceof Tensor)) throw new Error('golden case: expected a tensor operand');
  return x;
};

/** How each stored op name is called in gradiente. */
const ops: Record<string, (xs: Operand[], p: Params) => Tensor> = {
  add: ([a, b]) => add(a!, b!),
  sub: ([a, b]) => sub(a!, b!),
  mul: ([a, b]) => mul(a!, b!),
  div: ([a, b]) => div(a!, b!),
  pow: ([a, b]) => pow(a!, b!),
  maximum: ([a, b]) => maximum(a!, b!),
  minimum: ([a, b]) => minimum(a!, b!),
  neg: ([x]) => neg(T(x)),
  exp: ([x]) => exp(T(x)),
  log: ([x]) => log(T(x)),
  sqrt: ([x]) => sqrt(T(x)),
  abs: ([x]) => abs(T(x)),
  square: ([x]) => square(T(x)),
  clip: ([x], p) => clip(T(x), p.low!, p.high!),
  sum: ([x], p) => sum(T(x), p.axis, p.keepDims),
  mean: ([x], p) => mean(T(x), p.axis, p.keepDims),
  max: ([x], p) => max(T(x), p.axis, p.keepDims),
  reshape: ([x], p) => reshape(T(x), p.shape!),
  flatten: ([x]) => flatten(T(x)),
  transpose: ([x], p) => transpose(T(x), p.perm),
  slice: ([x], p) => slice(T(x), p.start!, p.end!, p.axis as number),
  gatherRows: ([x], p) => gatherRows(T(x), p.indices!),
  concat: (xs, p) => concat(xs.map(T), p.axis as number),
  matmul: ([a, b], p) => matmul(T(a), T(b), { transposeA: p.transposeA, transposeB: p.transposeB }),
  linear: ([x, w, b]) => linear(T(x), T(w), b === undefined ? null : T(b)),
  sigmoid: ([z]) => sigmoid(T(z)),
  tanh: ([z]) => tanh(T(z)),
  relu: ([z]) => relu(T(z)),
  leakyRelu: ([z], p) => leakyRelu(T(z), p.alpha),
  elu: ([z], p) => elu(T(z), p.alpha),
  gelu: ([z], p) => gelu(T(z), p.approximate),
  swish: ([z]) => swish(T(z)),
  silu: ([z]) => silu(T(z)),
  softplus: ([z]) => softplus(T(z)),
  softmax: ([z]) => softmax(T(z)),
  logSoftmax: ([z]) => logSoftmax(T(z)),
  meanSquaredError: ([t, y], p) => meanSquaredError(T(t), T(y), { reduction: p.reduction }),
  meanAbsoluteError: ([t, y], p) => meanAbsoluteError(T(t), T(y), { reduction: p.reduction }),
  huber: ([t, y], p) => huber(T(t), T(y), { reduction: p.reduction, delta: p.delta }),
  binaryCrossentropy: ([t, y], p) => binaryCrossentropy(T(t), T(y), { reduction: p.reduction, fromLogits: p.fromLogits }),
  categoricalCrossentropy: ([t, y], p) =>
    categoricalCrossentropy(T(t), T(y), { reduction: p.reduction, fromLogits: p.fromLogits }),
  sparseCategoricalCrossentropy: ([t, y], p) =>
    sparseCategoricalCrossentropy(T(t), T(y), { reduction: p.reduction, fromLogits: p.fromLogits }),
};

/**
 * float32 against a float64 reference: |actual − expected| ≤ ATOL + RTOL·|expected|.
 * RTOL 1e-5 is ~80 float32 ulps; the ATOL floor covers values that are 0 or nearly so in
 * float64 but round to 0 (or to a subnormal) in float32, e.g. sigmoid(−100) ≈ 3.7e−44,
 * 1 − tanh(20)² ≈ 1.7e−17. Relative precision at confident predictions, where a naive
 * cross-entropy cancels, is held to its own stricter test (precision.test.ts).
 */
const RTOL = 1e-5;
const ATOL = 1e-6;

/**
 * Matrix products get a larger absolute floor, grown with the length L of their sums (the
 * forward sums over K, the gradients over M or N). A backend that accumulates in float32 (as
 * SIMD kernels do) rounds once per term: the error of a sum of L products of unit-size
 * values is about 2⁻²⁴·√L·Σ|aᵢbᵢ| ≈ 2⁻²⁴·L^1.5, which for L = 35 (the packed-kernel cases)
 * is ~1.2e−5 on entries whose value is near 0 by cancellation. Small products keep ATOL.
 */
function absoluteFloor(c: GoldenCase): number {
  if (c.op !== 'matmul' && c.op !== 'linear') return ATOL;
  const longestSum = Math.max(...c.inputs.flatMap((t) => ('shape' in t ? t.shape : [])));
  return Math.max(ATOL, 2 ** -24 * longestSum ** 1.5);
}

function firstMismatch(actual: ArrayLike<number>, expected: readonly number[], atol: number): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} != ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + RTOL * Math.abs(e))) {
      return `index ${i}: got ${a}, expected ${e} (|diff| ${Math.abs(a - e).toExponential(2)})`;
    }
  }
  return null;
}

function load(stored: StoredTensor | StoredNumber): Operand {
  if ('number' in stored) return stored.number;
  return tensor(stored.data, stored.shape, { requiresGrad: stored.requiresGrad, dtype: 'float32' });
}

/** Every op the golden file must cover, so a case removed from the generator is noticed. */
const requiredOps = Object.keys(ops);

describe('golden file', () => {
  it('covers every op, activation and loss', () => {
    const present = new Set(golden.cases.map((c) => c.op));
    expect(requiredOps.filter((op) => !present.has(op))).toEqual([]);
    expect(golden.cases.filter((c) => !(c.op in ops)).map((c) => c.op)).toEqual([]);
  });

  it('covers every reduction of every loss, and fromLogits both ways', () => {
    for (const loss of ['meanSquaredError', 'meanAbsoluteError', 'huber', 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy']) {
      const reductions = new Set(golden.cases.filter((c) => c.op === loss).map((c) => c.params.reduction));
      expect([...reductions].sort(), loss).toEqual(['mean', 'none', 'sum']);
    }
    for (const loss of ['binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy']) {
      const modes = new Set(golden.cases.filter((c) => c.op === loss).map((c) => c.params.fromLogits));
      expect([...modes].sort(), loss).toEqual([false, true]);
    }
  });
});

const backends = await backendsUnderTest();

describe.each(backends)('%s backend matches PyTorch (float32 vs float64 reference)', (name) => {
  beforeEach(() => useBackend(name));
  afterEach(() => useBackend('js'));

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_label, c) => {
    const operands = c.inputs.map(load);
    const out = ops[c.op]!(operands, c.params);
    const atol = absoluteFloor(c);
    expect(out.dtype).toBe('float32');
    expect([...out.shape]).toEqual(c.output.shape);
    expect(firstMismatch(out.data, c.output.data, atol), 'forward values').toBeNull();

    out.backward(tensor(c.weights, c.output.shape));
    c.grads.forEach((expected, i) => {
      const input = operands[i];
      if (expected === null) {
        if (input instanceof Tensor) expect(input.grad, `input ${i} needs no gradient`).toBeNull();
        return;
      }
      const grad = T(input).grad;
      expect(grad, `gradient of input ${i}`).not.toBeNull();
      expect([...grad!.shape]).toEqual([...T(input).shape]);
      expect(firstMismatch(grad!.data, expected, atol), `gradient of input ${i}`).toBeNull();
    });
  });
});
