/**
 * Property tests (fast-check): broadcasting, reductions and shape round trips hold for any
 * shapes, not just the ones a person thought of. Expected values come from brute-force
 * index loops written here, independent of the engine's stride tricks.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Random,
  ShapeError,
  Tensor,
  add,
  backward,
  max,
  mean,
  mul,
  reshape,
  sub,
  sum,
  tensor,
  transpose,
  zeros,
} from '../src/index.js';
import { backendsUnderTest, useBackend } from './helpers/backends.js';

const RUNS = { numRuns: 60 };

/** Values as plain numbers with −0 read as 0 (a product g·0 may be −0; it is still zero). */
const values = (data: ArrayLike<number>): number[] => Array.from(data, (v) => v + 0);

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Small integer values: float32 sums of them are exact, whatever the order. */
function integerTensor(shape: readonly number[], seed: number, requiresGrad = false): Tensor {
  const random = new Random(seed);
  return tensor(Float32Array.from({ length: sizeOf(shape) }, () => random.int(9) - 4), [...shape], { requiresGrad });
}

function realTensor(shape: readonly number[], seed: number, requiresGrad = false): Tensor {
  const random = new Random(seed);
  return tensor(Float32Array.from({ length: sizeOf(shape) }, () => random.normal()), [...shape], { requiresGrad });
}

const shapeArb = (maxRank = 4) => fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: maxRank });
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/**
 * Two shapes that broadcast to `out`: each is a suffix of `out` (rank may be smaller) with
 * some sizes replaced by 1.
 */
const broadcastPairArb = shapeArb().chain((out) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([dropA, dropB, onesA, onesB]) => ({
      a: out.slice(dropA).map((d, i) => (onesA[i + dropA] ? 1 : d)),
      b: out.slice(dropB).map((d, i) => (onesB[i + dropB] ? 1 : d)),
    })),
);

/** The broadcast shape by the NumPy rule, written out independently of the engine. */
function expectedBroadcast(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const pa = [...Array<number>(rank - a.length).fill(1), ...a];
  const pb = [...Array<number>(rank - b.length).fill(1), ...b];
  return pa.map((d, i) => Math.max(d, pb[i]!));
}

/** Every multi-index of a shape, in row-major order. */
function* indices(shape: readonly number[]): Generator<number[]> {
  const n = sizeOf(shape);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    yield [...index];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
}

/** Flat offset in `shape` of an index into the broadcast shape (size-1 axes read index 0). */
function broadcastOffset(index: readonly number[], shape: readonly number[]): number {
  const lead = index.length - shape.length;
  let offset = 0;
  for (let d = 0; d < shape.length; d++) offset = offset * shape[d]! + (shape[d] === 1 ? 0 : index[d + lead]!);
  return offset;
}

const backends = await backendsUnderTest();

describe.each(backends)('properties on the %s backend', (name) => {
  beforeEach(() => useBackend(name));
  afterEach(() => useBackend('js'));

  describe('broadcasting', () => {
    it('the result shape follows the NumPy rule', () => {
      fc.assert(
        fc.property(broadcastPairArb, ({ a, b }) => {
          expect([...add(zeros(a), zeros(b)).shape]).toEqual(expectedBroadcast(a, b));
        }),
        RUNS,
      );
    });

    it('shapes with two different sizes above 1 on an axis are refused with a ShapeError', () => {
      fc.assert(
        fc.property(shapeArb(3), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 3 }), (base, size, bump) => {
          const a = [...base, size];
          const b = [size + bump];
          expect(() => add(zeros(a), zeros(b))).toThrow(ShapeError);
        }),
        RUNS,
      );
    });

    it('every output element is a[i] + b[j] at the broadcast positions', () => {
      fc.assert(
        fc.property(broadcastPairArb, seedArb, ({ a, b }, seed) => {
          const ta = realTensor(a, seed);
          const tb = realTensor(b, seed + 1);
          const out = sub(ta, tb);
          let k = 0;
          for (const index of indices(out.shape)) {
            const expected = Math.fround(ta.data[broadcastOffset(index, a)]! - tb.data[broadcastOffset(index, b)]!);
            expect(out.data[k++]).toBe(expected);
          }
        }),
        RUNS,
      );
    });

    it('add commutes', () => {
      fc.assert(
        fc.property(broadcastPairArb, seedArb, ({ a, b }, seed) => {
          const ta = realTensor(a, seed);
          const tb = realTensor(b, seed + 1);
          const ab = add(ta, tb);
          const ba = add(tb, ta);
          expect([...ab.shape]).toEqual([...ba.shape]);
          expect(Array.from(ab.data)).toEqual(Array.from(ba.data));
        }),
        RUNS,
      );
    });

    it('x + zeros(shape broadcastable to x) == x', () => {
      fc.assert(
        fc.property(broadcastPairArb, seedArb, ({ a, b }, seed) => {
          const full = expectedBroadcast(a, b);
          const x = realTensor(full, seed);
          const y = add(x, zeros(a));
          expect([...y.shape]).toEqual(full);
          expect(Array.from(y.data)).toEqual(Array.from(x.data));
        }),
        RUNS,
      );
    });

    it("a broadcast operand's gradient has its shape and sums the output gradient over the broadcast axes", () => {
      fc.assert(
        fc.property(broadcastPairArb, seedArb, fc.constantFrom('add', 'mul'), ({ a, b }, seed, op) => {
          // Integer values: the sums are exact in float32, whatever order the engine adds in.
          const ta = integerTensor(a, seed, true);
          const tb = integerTensor(b, seed + 1, true);
          const out = op === 'add' ? add(ta, tb) : mul(ta, tb);
          const seedGrad = integerTensor(out.shape, seed + 2);
          backward(out, seedGrad);
          const expectedA = new Array<number>(ta.size).fill(0);
          const expectedB = new Array<number>(tb.size).fill(0);
          let k = 0;
          for (const index of indices(out.shape)) {
            const g = seedGrad.data[k++]!;
            const ia = broadcastOffset(index, a);
            const ib = broadcastOffset(index, b);
            expectedA[ia] += op === 'add' ? g : g * tb.data[ib]!;
            expectedB[ib] += op === 'add' ? g : g * ta.data[ia]!;
          }
          expect([...ta.grad!.shape]).toEqual(a);
          expect([...tb.grad!.shape]).toEqual(b);
          expect(values(ta.grad!.data)).toEqual(values(expectedA));
          expect(values(tb.grad!.data)).toEqual(values(expectedB));
        }),
        RUNS,
      );
    });
  });

  describe('reductions', () => {
    /** A shape of rank >= 1 and a subset of its axes. */
    const shapeWithAxesArb = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
      .chain((shape) =>
        fc.tuple(fc.constant(shape), fc.subarray(shape.map((_, i) => i), { minLength: 1 }), fc.boolean()),
      );

    it('sum over all axes equals summing the axes away one at a time (any order)', () => {
      fc.assert(
        fc.property(shapeWithAxesArb, seedArb, fc.boolean(), ([shape], seed, lastFirst) => {
          const x = integerTensor(shape, seed);
          let t = x;
          // Remove the last axis or the first each time: every axis order is some mix of these.
          while (t.rank > 0) t = sum(t, lastFirst ? -1 : 0);
          expect(t.item()).toBe(sum(x).item());
          let direct = 0;
          for (const v of x.data) direct += v;
          expect(sum(x).item()).toBe(direct);
        }),
        RUNS,
      );
    });

    it('sum over several axes equals summing them one at a time', () => {
      fc.assert(
        fc.property(shapeWithAxesArb, seedArb, ([shape, axes], seed) => {
          const x = integerTensor(shape, seed);
          let t = x;
          for (const axis of [...axes].sort((p, q) => q - p)) t = sum(t, axis);
          const direct = sum(x, axes);
          expect([...direct.shape]).toEqual([...t.shape]);
          expect(Array.from(direct.data)).toEqual(Array.from(t.data));
        }),
        RUNS,
      );
    });

    it('mean · count == sum', () => {
      fc.assert(
        fc.property(shapeWithAxesArb, seedArb, ([shape, axes], seed) => {
          const x = realTensor(shape, seed);
          const count = axes.reduce((n, a) => n * shape[a]!, 1);
          const m = mean(x, axes);
          const s = sum(x, axes);
          for (let i = 0; i < s.size; i++) expect(m.data[i]! * count).toBeCloseTo(s.data[i]!, 5);
        }),
        RUNS,
      );
    });

    it('keepDims keeps reduced axes as size 1; without it they disappear', () => {
      fc.assert(
        fc.property(shapeWithAxesArb, fc.constantFrom(sum, mean, max), ([shape, axes, negative], reduce) => {
          const x = zeros(shape);
          // Negative axis numbers name the same axes counted from the end.
          const named = negative ? axes.map((a) => a - shape.length) : axes;
          expect([...reduce(x, named, true).shape]).toEqual(shape.map((d, i) => (axes.includes(i) ? 1 : d)));
          expect([...reduce(x, named, false).shape]).toEqual(shape.filter((_, i) => !axes.includes(i)));
        }),
        RUNS,
      );
    });

    it('max is >= every element it covers, and equals one of them', () => {
      fc.assert(
        fc.property(shapeWithAxesArb, seedArb, ([shape, axes], seed) => {
          const x = realTensor(shape, seed);
          const m = max(x, axes, true);
          const covered: number[][] = Array.from({ length: m.size }, () => []);
          let k = 0;
          for (const index of indices(shape)) covered[broadcastOffset(index, m.shape)]!.push(x.data[k++]!);
          covered.forEach((values, i) => {
            for (const v of values) expect(m.data[i]).toBeGreaterThanOrEqual(v);
            expect(values).toContain(m.data[i]);
          });
        }),
        RUNS,
      );
    });
  });

  describe('reshape and transpose', () => {
    it('reshape there and back restores shape and values; the gradient comes back in the original shape', () => {
      fc.assert(
        fc.property(shapeArb(), seedArb, fc.boolean(), (shape, seed, inferLast) => {
          const x = realTensor(shape, seed, true);
          const size = x.size;
          const target = inferLast ? [1, -1] : [size, 1];
          const y = reshape(reshape(x, target), shape);
          expect([...y.shape]).toEqual(shape);
          expect(Array.from(y.data)).toEqual(Array.from(x.data));
          const g = realTensor(shape, seed + 1);
          backward(y, g);
          expect([...x.grad!.shape]).toEqual(shape);
          expect(Array.from(x.grad!.data)).toEqual(Array.from(g.data));
        }),
        RUNS,
      );
    });

    const shapeWithPermArb = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
      .chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length })));

    it('transpose moves element x[i] to y[perm(i)], and the inverse permutation restores x', () => {
      fc.assert(
        fc.property(shapeWithPermArb, seedArb, ([shape, perm], seed) => {
          const x = realTensor(shape, seed);
          const y = transpose(x, perm);
          expect([...y.shape]).toEqual(perm.map((a) => shape[a]!));
          let k = 0;
          for (const index of indices(y.shape)) {
            const source = new Array<number>(shape.length);
            perm.forEach((a, i) => (source[a] = index[i]!));
            expect(y.data[k++]).toBe(x.data[broadcastOffset(source, shape)]);
          }
          const inverse = new Array<number>(perm.length);
          perm.forEach((a, i) => (inverse[a] = i));
          const back = transpose(y, inverse);
          expect([...back.shape]).toEqual(shape);
          expect(Array.from(back.data)).toEqual(Array.from(x.data));
        }),
        RUNS,
      );
    });

    it('transposing a matrix twice (default permutation) is the identity, values and gradient', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), seedArb, (r, c, seed) => {
          const x = realTensor([r, c], seed, true);
          const y = transpose(transpose(x));
          expect(Array.from(y.data)).toEqual(Array.from(x.data));
          const g = realTensor([r, c], seed + 1);
          backward(y, g);
          expect(Array.from(x.grad!.data)).toEqual(Array.from(g.data));
        }),
        RUNS,
      );
    });
  });
});
