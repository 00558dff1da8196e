import { describe, expect, it } from 'vitest';
import { Tensor, ValueError, ShapeError, argmax, minMaxScale, oneHot, standardize, tensor, trainTestSplit } from '../../src/index.js';

/** x row i is [i, -i], y[i] = label i % classes: every row can be traced back. */
function traceable(n: number, classes = 2): { x: Tensor; y: Tensor } {
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = -i;
    y[i] = i % classes;
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n]) };
}

function rowIds(x: Tensor): number[] {
  return Array.from({ length: x.shape[0]! }, (_, r) => x.data[2 * r]!);
}

describe('trainTestSplit', () => {
  it('splits 20% off by default, with every row in exactly one part and y aligned', () => {
    const { x, y } = traceable(50, 5);
    const { xTrain, yTrain, xTest, yTest } = trainTestSplit(x, y, { seed: 1 });
    expect(xTrain.shape).toEqual([40, 2]);
    expect(xTest.shape).toEqual([10, 2]);
    const all = [...rowIds(xTrain), ...rowIds(xTest)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 50 }, (_, i) => i));
    rowIds(xTrain).forEach((id, r) => {
      expect(xTrain.data[2 * r + 1]).toBe(-id);
      expect(yTrain.data[r]).toBe(id % 5);
    });
    rowIds(xTest).forEach((id, r) => expect(yTest.data[r]).toBe(id % 5));
  });

  it('takes testSize as a fraction (rounded up) or as a count', () => {
    const { x, y } = traceable(10);
    expect(trainTestSplit(x, y, { testSize: 0.25, seed: 0 }).xTest.shape[0]).toBe(3);
    expect(trainTestSplit(x, y, { testSize: 4, seed: 0 }).xTest.shape[0]).toBe(4);
    expect(() => trainTestSplit(x, y, { testSize: 10 })).toThrow(/leaves no training samples/);
    expect(() => trainTestSplit(x, y, { testSize: 0 })).toThrow(ValueError);
    expect(() => trainTestSplit(x, y, { testSize: 1.5 })).toThrow(/fraction in \(0, 1\) or a whole number/);
  });

  it('is reproducible by seed and keeps the order with shuffle: false (test = last rows)', () => {
    const { x, y } = traceable(30);
    expect(rowIds(trainTestSplit(x, y, { seed: 4 }).xTest)).toEqual(rowIds(trainTestSplit(x, y, { seed: 4 }).xTest));
    expect(rowIds(trainTestSplit(x, y, { seed: 4 }).xTest)).not.toEqual(rowIds(trainTestSplit(x, y, { seed: 5 }).xTest));
    const fixed = trainTestSplit(x, y, { shuffle: false, testSize: 0.2 });
    expect(rowIds(fixed.xTest)).toEqual([24, 25, 26, 27, 28, 29]);
    expect(rowIds(fixed.xTrain)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('stratify keeps each class share in both parts', () => {
    // 60 of class 0, 30 of class 1, 10 of class 2.
    const labels = [...Array(60).fill(0), ...Array(30).fill(1), ...Array(10).fill(2)];
    const x = new Tensor(Float32Array.from(labels, (_, i) => i), [100, 1]);
    const y = tensor(labels);
    for (const seed of [0, 1, 2]) {
      const { yTrain, yTest } = trainTestSplit(x, y, { testSize: 0.2, stratify: true, seed });
      const count = (t: Tensor, c: number): number => Array.from(t.data).filter((v) => v === c).length;
      expect([count(yTest, 0), count(yTest, 1), count(yTest, 2)]).toEqual([12, 6, 2]);
      expect([count(yTrain, 0), count(yTrain, 1), count(yTrain, 2)]).toEqual([48, 24, 8]);
    }
    // One-hot targets are stratified by their argmax.
    const { yTest } = trainTestSplit(x, oneHot(labels), { testSize: 10, stratify: true, seed: 3 });
    expect(Array.from(argmax(yTest)).sort()).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 2]);
    expect(() => trainTestSplit(x, tensor(labels.map((v) => v + 0.5)), { stratify: true })).toThrow(/position 0 is 0.5/);
  });

  it('rejects x and y of different lengths', () => {
    const { x } = traceable(10);
    expect(() => trainTestSplit(x, traceable(8).y)).toThrow(ShapeError);
  });
});

describe('oneHot and argmax', () => {
  it('turns labels into one-hot rows and back', () => {
    const encoded = oneHot(tensor([2, 0, 1]));
    expect(encoded.shape).toEqual([3, 3]);
    expect(encoded.toArray()).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    expect(oneHot([1], 4).toArray()).toEqual([[0, 1, 0, 0]]);
    expect(Array.from(argmax(encoded))).toEqual([2, 0, 1]);
  });

  it('names the position and value of a bad label', () => {
    expect(() => oneHot([0, 1, 2.5])).toThrow(new ValueError('oneHot: label at position 2 is 2.5; labels must be integers 0, 1, ..., numClasses - 1'));
    expect(() => oneHot([0, -1])).toThrow(/position 1 is -1/);
    expect(() => oneHot([0, 3, 1], 3)).toThrow(/label at position 1 is 3, outside 0..2 for numClasses 3/);
    expect(() => oneHot(tensor([[1, 2]]))).toThrow(ShapeError);
  });

  it('argmax takes the first of ties and never picks NaN', () => {
    expect(Array.from(argmax(tensor([[1, 3, 3], [5, 1, 0], [Number.NaN, 0, 2]])))).toEqual([1, 0, 2]);
    expect(Array.from(argmax(tensor([0.1, 0.7, 0.2])))).toEqual([1]);
    expect(() => argmax(tensor([[[1]]]))).toThrow(ShapeError);
  });
});

describe('standardize and minMaxScale', () => {
  const x = tensor([
    [1, 10, 5],
    [2, 20, 5],
    [3, 30, 5],
    [4, 40, 5],
  ]);

  it('standardize gives mean 0 and std 1 per column, constant columns 0 (not NaN)', () => {
    const { x: z, mean, std } = standardize(x);
    expect(Array.from(mean)).toEqual([2.5, 25, 5]);
    expect(std[0]).toBeCloseTo(Math.sqrt(1.25), 6);
    expect(std[2]).toBe(0);
    const cols = [0, 1, 2].map((j) => [0, 1, 2, 3].map((i) => z.data[i * 3 + j]!));
    for (const j of [0, 1]) {
      expect(cols[j]!.reduce((s, v) => s + v, 0) / 4).toBeCloseTo(0, 6);
      expect(Math.sqrt(cols[j]!.reduce((s, v) => s + v * v, 0) / 4)).toBeCloseTo(1, 5);
    }
    expect(cols[2]).toEqual([0, 0, 0, 0]);
    expect(x.data[0]).toBe(1); // the input is left alone
  });

  it('applies training statistics to test data', () => {
    const train = standardize(x);
    const test = standardize(tensor([[2.5, 25, 6]]), train);
    expect(test.x.data[0]).toBeCloseTo(0, 6);
    expect(test.x.data[1]).toBeCloseTo(0, 6);
    expect(test.x.data[2]).toBeCloseTo(1, 6); // (6 - 5) / 1: std 0 was replaced by 1
    expect(() => standardize(tensor([[1, 2]]), train)).toThrow(/stats.mean has 3 values but x has 2 columns/);
  });

  it('minMaxScale maps each column onto [0, 1], constant columns to 0, and reuses stats', () => {
    const { x: s, min, max } = minMaxScale(x);
    expect(Array.from(min)).toEqual([1, 10, 5]);
    expect(Array.from(max)).toEqual([4, 40, 5]);
    expect(Array.from(s.data).map((v) => Number(v.toFixed(6)))).toEqual([0, 0, 0, 0.333333, 0.333333, 0, 0.666667, 0.666667, 0, 1, 1, 0]);
    expect(Array.from(minMaxScale(tensor([[7, 70, 5]]), { min, max }).x.data)).toEqual([2, 2, 0]);
    expect(() => minMaxScale(tensor([1, 2, 3]))).toThrow(/must be a table \[N, D\]/);
  });
});
