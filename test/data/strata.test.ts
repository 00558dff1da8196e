/**
 * Splits stratified by quantile bins of a numeric target (src/data/strata.ts): the bins, and
 * the splits they give through splitIndices / trainTestSplit.
 */
import { describe, expect, it } from 'vitest';
import {
  csvTable,
  inspectTable,
  quantileStrata,
  Random,
  readCsvCells,
  ShapeError,
  splitIndices,
  tableTargetStrata,
  Tensor,
  tensor,
  trainTestSplit,
  ValueError,
} from '../../src/index.js';

/** n distinct values in a scrambled order (so bins are not just blocks of row numbers). */
function scrambled(n: number, seed = 7): Float64Array {
  const order = new Random(seed).permutation(n);
  return Float64Array.from(order, (k) => k * 1.5 - 20);
}

function countsOf(labels: ArrayLike<number>): number[] {
  const counts: number[] = [];
  for (let i = 0; i < labels.length; i++) counts[labels[i]!] = (counts[labels[i]!] ?? 0) + 1;
  return counts;
}

describe('quantileStrata', () => {
  it('puts 100 distinct values into 5 bins of 20, bin 0 holding the smallest', () => {
    const values = scrambled(100);
    const { labels, bins } = quantileStrata(values, 5);
    expect(bins).toBe(5);
    expect(countsOf(labels)).toEqual([20, 20, 20, 20, 20]);
    // Every value of bin k is below every value of bin k + 1.
    for (let i = 0; i < 100; i++) for (let j = 0; j < 100; j++) if (labels[i]! < labels[j]!) expect(values[i]).toBeLessThan(values[j]!);
  });

  it('keeps equal values in one bin, and merges bins that would hold fewer than 2 rows', () => {
    // Eight 1s, a 2 and a 3: the 1s cannot be cut, so they are one bin; 2 and 3 share the other.
    const { labels, bins } = quantileStrata([1, 2, 1, 1, 3, 1, 1, 1, 1, 1], 5);
    expect(bins).toBe(2);
    expect(Array.from(labels)).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 0, 0]);
    // A lone smallest value joins the next bin instead of forming a bin of one.
    const lone = quantileStrata([0, 5, 5, 5, 5, 5, 5, 5, 5, 9], 5);
    expect(Math.min(...countsOf(lone.labels))).toBeGreaterThanOrEqual(2);
    expect(lone.labels[0]).toBe(lone.labels[1]);
    // All equal: one bin.
    expect(quantileStrata([4, 4, 4, 4, 4, 4], 3).bins).toBe(1);
  });

  it('forms fewer bins than asked on small tables (at least 2 rows a bin), and one bin under 4 rows', () => {
    expect(quantileStrata([3, 1, 2], 5)).toEqual({ labels: new Int32Array(3), bins: 1 });
    expect(quantileStrata([], 5)).toEqual({ labels: new Int32Array(0), bins: 1 });
    const six = quantileStrata([6, 5, 4, 3, 2, 1], 5);
    expect(six.bins).toBe(3);
    expect(Array.from(six.labels)).toEqual([2, 2, 1, 1, 0, 0]);
    const seven = quantileStrata(scrambled(7), 10);
    expect(seven.bins).toBe(3);
    expect(Math.min(...countsOf(seven.labels))).toBeGreaterThanOrEqual(2);
    expect(quantileStrata(scrambled(40), 1).bins).toBe(1);
  });

  it('refuses non-finite values and a bin count that is not a whole number >= 1', () => {
    expect(() => quantileStrata([1, Number.NaN, 3, 4], 2)).toThrow(/position 1 is NaN/);
    expect(() => quantileStrata([1, Infinity, 3, 4], 2)).toThrow(ValueError);
    expect(() => quantileStrata([1, 2, 3, 4], 0)).toThrow(/bins must be a whole number >= 1, got 0/);
    expect(() => quantileStrata([1, 2, 3, 4], 2.5)).toThrow(ValueError);
  });
});

describe('a split stratified by quantile bins', () => {
  it('gives each bin its share of the test rows, never a row in both parts, the same split for the same seed', () => {
    const values = scrambled(392);
    const { labels } = quantileStrata(values, 5);
    const binSizes = countsOf(labels);
    const first = splitIndices(392, { testSize: 0.2, seed: 42, labels });
    expect(first.test.length).toBe(79);
    expect(first.train.length).toBe(313);
    const all = [...first.train, ...first.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 392 }, (_, i) => i));
    const testPerBin = countsOf(Array.from(first.test, (i) => labels[i]!));
    // Every bin is represented, each within one row of its exact share.
    testPerBin.forEach((count, k) => expect(Math.abs(count - (binSizes[k]! * 79) / 392)).toBeLessThan(1));
    expect(testPerBin).toHaveLength(5);
    const again = splitIndices(392, { testSize: 0.2, seed: 42, labels });
    expect(Array.from(again.test)).toEqual(Array.from(first.test));
    expect(Array.from(again.train)).toEqual(Array.from(first.train));
    expect(Array.from(splitIndices(392, { testSize: 0.2, seed: 43, labels }).test)).not.toEqual(Array.from(first.test));
  });

  it('makes the test part represent the target: its mean varies less between seeds than with a plain draw', () => {
    // A skewed target (as fuel consumption, prices): a plain draw of 20% can miss the tail.
    const random = new Random(3);
    const values = Float64Array.from({ length: 300 }, () => Math.exp(1.2 * random.normal()));
    const { labels } = quantileStrata(values, 5);
    const testMean = (test: Int32Array): number => test.reduce((s, i) => s + values[i]!, 0) / test.length;
    const spread = (draws: number[]): number => {
      const m = draws.reduce((s, v) => s + v, 0) / draws.length;
      return Math.sqrt(draws.reduce((s, v) => s + (v - m) ** 2, 0) / draws.length);
    };
    const seeds = Array.from({ length: 200 }, (_, s) => s);
    const plain = spread(seeds.map((seed) => testMean(splitIndices(300, { testSize: 0.2, seed }).test)));
    const stratified = spread(seeds.map((seed) => testMean(splitIndices(300, { testSize: 0.2, seed, labels }).test)));
    expect(stratified).toBeLessThan(0.75 * plain);
  });

  it('handles strata of hundreds of thousands of rows (no argument-count limit)', () => {
    const n = 1_000_000;
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) labels[i] = i % 2;
    const { train, test } = splitIndices(n, { testSize: 0.2, seed: 1, labels });
    expect([train.length, test.length]).toEqual([800_000, 200_000]);
    expect(countsOf(Array.from(test, (i) => labels[i]!))).toEqual([100_000, 100_000]);
  });

  it('trainTestSplit takes stratify: { bins } for a numeric target', () => {
    const values = scrambled(100, 11);
    const x = new Tensor(Float32Array.from(values), [100, 1]);
    const y = new Tensor(Float32Array.from(values), [100, 1]);
    const { xTest, yTest } = trainTestSplit(x, y, { testSize: 0.2, stratify: { bins: 4 }, seed: 5 });
    // x row = y row, so the test rows are traced by value: 5 from each quarter of the sorted values.
    expect(Array.from(xTest.data)).toEqual(Array.from(yTest.data));
    const sorted = Array.from(values).sort((a, b) => a - b);
    const quarter = (v: number): number => Math.floor(sorted.indexOf(v) / 25);
    expect(countsOf(Array.from(yTest.data, quarter))).toEqual([5, 5, 5, 5]);
    expect(() => trainTestSplit(x, tensor([[1, 2]]), { stratify: { bins: 4 } })).toThrow(ShapeError);
    expect(() => trainTestSplit(x, new Tensor(new Float32Array(200), [100, 2]), { stratify: { bins: 4 } })).toThrow(/one numeric target, \[N\] or \[N, 1\], got \[100, 2\]/);
    expect(() => trainTestSplit(x, y, { stratify: { bins: 0 } })).toThrow(/stratify must be true \(class labels\) or \{ bins: k \}/);
    expect(() => trainTestSplit(x, y, { stratify: 'quantiles' as unknown as boolean })).toThrow(/stratify must be true/);
  });
});

describe('tableTargetStrata', () => {
  const text = 'a,y,kind\n' + Array.from({ length: 20 }, (_, i) => `${i},${(i * 7) % 20}.5,${i % 2 ? 'x' : 'z'}`).join('\n') + '\n';
  const table = csvTable(readCsvCells(text, {}, 't.csv'), 't.csv');

  it('bins a regression target over the rows given, in their order', () => {
    const { plan, rows } = inspectTable(table, { target: 'y' });
    const strata = tableTargetStrata(table, plan, rows, 5)!;
    expect(strata.bins).toBe(5);
    expect(countsOf(strata.labels)).toEqual([4, 4, 4, 4, 4]);
    // Row 0 has y = 0.5, the smallest; row 3 has y = 1.5: both in bin 0. Row 17: 19.5, the largest.
    expect([strata.labels[0], strata.labels[3], strata.labels[17]]).toEqual([0, 0, 4]);
    const some = tableTargetStrata(table, plan, [17, 0, 3, 5], 5)!;
    expect(Array.from(some.labels)).toEqual([1, 0, 0, 1]);
  });

  it('is null for a classification target and for a target cell that is not a finite number', () => {
    const classes = inspectTable(table, { target: 'kind' });
    expect(tableTargetStrata(table, classes.plan, classes.rows)).toBeNull();
    const huge = csvTable(readCsvCells('a,y\n1,2\n2,1e39\n3,4\n4,5\n', {}, 'h.csv'), 'h.csv');
    const { plan, rows } = inspectTable(huge, { target: 'y' });
    expect(tableTargetStrata(huge, plan, rows)).toBeNull();
  });
});
