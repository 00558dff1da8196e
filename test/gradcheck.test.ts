/**
 * Finite-difference checks of every op, activation and loss in float64. Inputs are drawn
 * away from kinks (relu and abs at 0, max ties, clip edges), where a central difference
 * does not measure the derivative, except in the tests that check a subgradient on purpose.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Random,
  Tensor,
  abs,
  activations,
  add,
  binaryCrossentropy,
  categoricalCrossentropy,
  clip,
  concat,
  div,
  exp,
  flatten,
  gatherRows,
  gradcheck,
  huber,
  linear,
  log,
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
  randn,
  randu,
  reshape,
  slice,
  sparseCategoricalCrossentropy,
  sqrt,
  square,
  sub,
  sum,
  tensor,
  transpose,
  type GradcheckReport,
} from '../src/index.js';
import { record } from '../src/autograd/graph.js';
import type { Reduction } from '../src/losses/index.js';
import { backendsUnderTest, useBackend } from './helpers/backends.js';

const random = new Random(7);
const f64 = { dtype: 'float64' as const, random };
const normal = (shape: number[], std = 1): Tensor => randn(shape, { ...f64, std });
const uniform = (shape: number[], low: number, high: number): Tensor => randu(shape, { ...f64, low, high });

/** Values with |x| in [lo, hi] and a random sign: away from the kink at 0. */
function awayFromZero(shape: number[], lo = 0.1, hi = 2): Tensor {
  const t = uniform(shape, lo, hi);
  for (let i = 0; i < t.size; i++) if (random.uniform() < 0.5) t.data[i] = -t.data[i]!;
  return t;
}

/** Distinct values (a shuffled, jittered grid), so no two can tie for a max. */
function distinct(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const order = random.permutation(n);
  return tensor(Float64Array.from(order, (k) => k * 0.25 - n / 8 + random.uniform() * 0.1), shape);
}

function expectPasses(report: GradcheckReport): void {
  expect(report.ok, `max abs error ${report.maxAbsError.toExponential(2)}, max rel error ${report.maxRelError.toExponential(2)}`).toBe(true);
}

const check = (fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void => expectPasses(gradcheck(fn, inputs));

const backends = await backendsUnderTest();

describe.each(backends)('gradcheck on the %s backend', (name) => {
  beforeEach(() => useBackend(name));
  afterEach(() => useBackend('js'));

  describe('elementwise binary ops, with broadcasting', () => {
    it('add', () => {
      check(add, [normal([4, 3]), normal([3])]);
      check(add, [normal([4, 1]), normal([1, 3])]);
      check((a) => add(a, 2), [normal([2, 3])]);
    });
    it('sub', () => {
      check(sub, [normal([4, 1]), normal([1, 3])]);
      check(sub, [normal([3]), normal([2, 4, 3])]);
      check((a) => sub(1, a), [normal([2, 3])]);
    });
    it('mul', () => {
      check(mul, [normal([2, 3, 4]), normal([3, 1])]);
      check(mul, [normal([3, 3]), normal([3, 3])]);
    });
    it('div', () => {
      check(div, [normal([4, 3]), awayFromZero([3], 0.5, 2)]);
      check(div, [normal([4, 1]), awayFromZero([1, 3], 0.5, 2)]);
      check((b) => div(1, b), [awayFromZero([2, 3], 0.5, 2)]);
    });
    it('pow', () => {
      check(pow, [uniform([3, 4], 0.5, 2), uniform([4], -1.5, 2.5)]);
      check((a) => pow(a, 3), [normal([2, 3])]);
      check((a) => pow(a, 0.5), [uniform([2, 3], 0.2, 3)]);
      check((b) => pow(2, b), [normal([2, 3])]);
    });
    it('maximum and minimum away from ties', () => {
      const a = normal([4, 3]);
      const b = tensor(Float64Array.from(a.data, (v, i) => v + (i % 2 ? 0.3 : -0.3)), [4, 3]);
      check(maximum, [a, b]);
      check(minimum, [a, b]);
      check((x) => maximum(x, 0.05), [awayFromZero([3, 3], 0.2)]);
    });
  });

  describe('elementwise unary ops', () => {
    it('neg, exp, log, sqrt, square', () => {
      check(neg, [normal([3, 4])]);
      check(exp, [normal([3, 4])]);
      check(log, [uniform([3, 4], 0.1, 5)]);
      check(sqrt, [uniform([3, 4], 0.1, 5)]);
      check(square, [normal([3, 4])]);
    });
    it('abs away from 0', () => check(abs, [awayFromZero([3, 4])]));
    it('clip away from its edges', () => {
      const x = tensor(Float64Array.from([-2, -0.6, -0.4, 0, 0.3, 0.7, 0.8, 3]), [2, 4]);
      check((t) => clip(t, -0.5, 0.75), [x]);
    });
  });

  describe('reductions', () => {
    it('sum over every axis choice, with and without keepDims', () => {
      const x = normal([2, 3, 4]);
      for (const axis of [undefined, 0, 1, 2, -1, [0, 2], [1, 2]]) {
        for (const keepDims of [false, true]) check((t) => sum(t, axis, keepDims), [x]);
      }
    });
    it('mean over every axis choice, with and without keepDims', () => {
      const x = normal([2, 3, 4]);
      for (const axis of [undefined, 0, 1, 2, [0, 2]]) {
        for (const keepDims of [false, true]) check((t) => mean(t, axis, keepDims), [x]);
      }
    });
    it('max without ties', () => {
      const x = distinct([2, 3, 4]);
      for (const axis of [undefined, 0, 1, 2, [0, 2]]) {
        for (const keepDims of [false, true]) check((t) => max(t, axis, keepDims), [x]);
      }
    });
  });

  describe('shape ops', () => {
    it('reshape and flatten', () => {
      check((t) => reshape(t, [3, -1]).mul(tensor(Float64Array.from([1, 2, 3, 4]), [4])), [normal([2, 6])]);
      check((t) => flatten(t), [normal([2, 3, 2])]);
    });
    it('transpose 2-D and 3-D', () => {
      check((t) => transpose(t), [normal([3, 5])]);
      check((t) => transpose(t, [2, 0, 1]), [normal([2, 3, 4])]);
      check((t) => transpose(t, [1, 2, 0]), [normal([2, 3, 4])]);
    });
    it('slice along each axis', () => {
      check((t) => slice(t, 1, 4), [normal([5, 3])]);
      check((t) => slice(t, 2, 5, 1), [normal([2, 5, 3])]);
      check((t) => slice(t, 0, 1, -1), [normal([2, 5, 3])]);
    });
    it('gatherRows with repeated indices', () => check((t) => gatherRows(t, [4, 0, 4, 2, 0, 4]), [normal([5, 3])]));
    it('concat along axis 0 and 1', () => {
      check((a, b, c) => concat([a, b, c], 0), [normal([2, 3]), normal([1, 3]), normal([3, 3])]);
      check((a, b) => concat([a, b], 1), [normal([2, 1]), normal([2, 4])]);
    });
  });

  describe('matrix products', () => {
    it('matmul in all four transposed forms', () => {
      check((a, b) => matmul(a, b), [normal([3, 4]), normal([4, 5])]);
      check((a, b) => matmul(a, b, { transposeA: true }), [normal([4, 3]), normal([4, 5])]);
      check((a, b) => matmul(a, b, { transposeB: true }), [normal([3, 4]), normal([5, 4])]);
      check((a, b) => matmul(a, b, { transposeA: true, transposeB: true }), [normal([4, 3]), normal([5, 4])]);
    });
    it('matmul through the packed kernel', () => {
      check((a, b) => matmul(a, b, { transposeB: true }), [normal([34, 33]), normal([31, 33])]);
    });
    it('linear with and without bias', () => {
      check((x, w, b) => linear(x, w, b), [normal([5, 4]), normal([4, 3]), normal([3])]);
      check((x, w) => linear(x, w), [normal([5, 4]), normal([4, 3])]);
    });
  });

  describe('activations', () => {
    const elementwise: [string, (z: Tensor) => Tensor][] = [
      ['sigmoid', activations.sigmoid],
      ['tanh', activations.tanh],
      ['relu', activations.relu],
      ['leakyRelu', (z) => activations.leakyRelu(z)],
      ['leakyRelu alpha 0.2', (z) => activations.leakyRelu(z, 0.2)],
      ['elu', (z) => activations.elu(z)],
      ['elu alpha 0.5', (z) => activations.elu(z, 0.5)],
      ['gelu', (z) => activations.gelu(z)],
      ['gelu tanh', (z) => activations.gelu(z, 'tanh')],
      ['swish', activations.swish],
      ['silu', activations.silu],
      ['softplus', activations.softplus],
    ];
    it.each(elementwise)('%s', (_n, f) => {
      // Tails included: the gradient there must still be right, not merely small.
      check(f, [tensor(Float64Array.from([-8, -3.5, -1.2, -0.4, -0.05, 0.05, 0.4, 1.2, 3.5, 8]), [2, 5])]);
      check(f, [awayFromZero([3, 4], 0.05, 3)]);
    });
    it.each(activations.plottableActivations)('plotted derivative of %s = backprop gradient = finite difference of the plotted values', (act) => {
      const zs = [-6, -2.5, -1, -0.3, 0.2, 0.9, 1.7, 4];
      const derivative = activations.activationDerivatives(act, zs);
      const z = tensor(Float64Array.from(zs), [zs.length], { requiresGrad: true });
      sum(activations.getActivation(act)(z)).backward();
      const h = 1e-6;
      const plus = activations.activationValues(act, zs.map((v) => v + h));
      const minus = activations.activationValues(act, zs.map((v) => v - h));
      zs.forEach((_, i) => {
        expect(derivative[i]).toBeCloseTo(z.grad!.data[i]!, 12);
        expect(derivative[i]).toBeCloseTo((plus[i]! - minus[i]!) / (2 * h), 7);
      });
    });
    it('softmax and logSoftmax over the last axis', () => {
      check(activations.softmax, [normal([3, 4], 2)]);
      check(activations.logSoftmax, [normal([3, 4], 2)]);
      check(activations.softmax, [normal([2, 2, 3], 2)]);
      check(activations.logSoftmax, [tensor(Float64Array.from([30, -30, 0, 2, 1, -1]), [2, 3])]);
    });
  });

  describe('losses', () => {
    const reductions: Reduction[] = ['mean', 'sum', 'none'];
    const yTrue = normal([4, 3]);
    const binary = tensor(Float64Array.from([1, 0, 1, 0, 1, 0.25, 1, 1, 0, 0, 0, 1]), [4, 3]);
    const oneHot = tensor(Float64Array.from([0, 1, 0, 1, 0, 0, 0, 0, 1, 0.2, 0.3, 0.5]), [4, 3]);
    const labels = tensor([1, 0, 2, 1]);

    it.each(reductions)('regression losses, reduction %s', (reduction) => {
      // Predictions at least 0.1 from the targets (abs kink), and |error| != delta.
      const yPred = add(yTrue, awayFromZero([4, 3], 0.1, 2));
      check((t, y) => meanSquaredError(t, y, { reduction }), [yTrue, yPred]);
      check((t, y) => meanAbsoluteError(t, y, { reduction }), [yTrue, yPred]);
      check((t, y) => huber(t, y, { reduction }), [yTrue, yPred]);
      check((t, y) => huber(t, y, { reduction, delta: 0.35 }), [yTrue, yPred]);
      const target3d = normal([2, 3, 2]);
      check((y) => meanSquaredError(target3d, y, { reduction }), [normal([2, 3, 2])]);
    });

    it.each(reductions)('cross-entropies, reduction %s, both fromLogits modes', (reduction) => {
      const probabilities = uniform([4, 3], 0.05, 0.95);
      check((y) => binaryCrossentropy(binary, y, { reduction }), [probabilities]);
      check((y) => binaryCrossentropy(binary, y, { reduction, fromLogits: true }), [normal([4, 3], 3)]);
      check((y) => categoricalCrossentropy(oneHot, y, { reduction }), [probabilities]);
      check((y) => categoricalCrossentropy(oneHot, y, { reduction, fromLogits: true }), [normal([4, 3], 3)]);
      check((y) => sparseCategoricalCrossentropy(labels, y, { reduction }), [probabilities]);
      check((y) => sparseCategoricalCrossentropy(labels, y, { reduction, fromLogits: true }), [normal([4, 3], 3)]);
    });

    it('cross-entropy with a time axis (per-sample mean over it)', () => {
      const t = tensor(Float64Array.from({ length: 24 }, (_, i) => (i % 3 === (i >> 2) % 3 ? 1 : 0)), [2, 4, 3]);
      check((y) => categoricalCrossentropy(t, y, { reduction: 'none', fromLogits: true }), [normal([2, 4, 3])]);
      check((y) => categoricalCrossentropy(t, y, { reduction: 'sum' }), [uniform([2, 4, 3], 0.05, 1)]);
    });
  });

  describe('subgradients, checked on purpose where the convention equals the central difference', () => {
    it('abs and MAE at exactly 0: gradient 0', () => {
      const x = tensor(Float64Array.from([-1, 0, 0.5, 0]), [4]);
      check(abs, [x]);
      const perfectAtZeros = tensor(Float64Array.from([0, 0, 0, 0]), [4]);
      const r = gradcheck((y) => meanAbsoluteError(perfectAtZeros, y), [x]);
      expectPasses(r);
      expect(Array.from(r.inputs[0]!.analytic)).toEqual([-0.25, 0, 0.25, 0]);
    });
    it('max and maximum with a two-way tie: the gradient is split in half', () => {
      const x = tensor(Float64Array.from([1, 3, 3, -2, 0.5, 0.5]), [2, 3]);
      const r = gradcheck((t) => max(t, 1), [x]);
      expectPasses(r);
      const a = tensor(Float64Array.from([1, 2, 3]), [3]);
      const b = tensor(Float64Array.from([1, 0, 3]), [3]);
      check(maximum, [a, b]);
      check(minimum, [a, b]);
    });
  });
});

describe('gradcheck itself', () => {
  /** y = 3x, with a backward that multiplies by `factor` instead of 3. */
  const scaleByThree = (factor: number) => (x: Tensor): Tensor => {
    const out = Float64Array.from(x.data, (v) => 3 * v);
    return record(out, x.shape, 'scaleByThree', [x], (g) => [Float64Array.from(g, (v) => v * factor)]);
  };

  it('passes a custom op whose backward is right', () => {
    expectPasses(gradcheck(scaleByThree(3), [normal([3, 2])]));
  });

  it('fails a custom op whose backward is off by a factor, and says by how much', () => {
    const report = gradcheck(scaleByThree(3.3), [normal([3, 2])]);
    expect(report.ok).toBe(false);
    expect(report.maxRelError).toBeCloseTo(0.1, 6);
  });

  it('fails a gradient that is wrong in one entry only', () => {
    const oneWrong = (x: Tensor): Tensor =>
      record(Float64Array.from(x.data, (v) => v * v), x.shape, 'squareOneWrong', [x], (g) => {
        const dx = Float64Array.from(g, (v, i) => 2 * x.data[i]! * v);
        dx[4] = dx[4]! * 1.01;
        return [dx];
      });
    const report = gradcheck(oneWrong, [uniform([3, 3], 0.5, 1)]);
    expect(report.ok).toBe(false);
  });

  it('fails at a kink where the convention differs from the central difference (relu at 0)', () => {
    // Summed, so the output is a scalar and the numeric gradient is the plain derivative.
    const report = gradcheck((z) => sum(activations.relu(z)), [tensor(Float64Array.from([-1, 0, 1]), [3])]);
    expect(report.ok).toBe(false);
    expect(report.inputs[0]!.numeric[1]).toBeCloseTo(0.5, 6);
    expect(report.inputs[0]!.analytic[1]).toBe(0);
  });
});
