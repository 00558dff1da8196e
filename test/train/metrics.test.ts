/** Metrics: accuracy for every label format, regression errors, confusion matrix, History JSON. */
import { describe, expect, it } from 'vitest';
import {
  History,
  ShapeError,
  ValueError,
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  confusionMatrix,
  getMetric,
  mae,
  mse,
  tensor,
} from '../../src/index.js';

const scores = tensor([
  [0.1, 0.7, 0.2],
  [0.8, 0.1, 0.1],
  [0.2, 0.3, 0.5],
  [0.3, 0.4, 0.3],
]); // predicted classes 1, 0, 2, 1

describe('accuracy', () => {
  it('categorical: one-hot rows, integer labels [N] and [N, 1] agree', () => {
    const oneHot = tensor([[0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0]]);
    expect(categoricalAccuracy(oneHot, scores)).toBe(0.75);
    expect(categoricalAccuracy(tensor([1, 0, 1, 1]), scores)).toBe(0.75);
    expect(categoricalAccuracy(tensor([[1], [0], [1], [1]]), scores)).toBe(0.75);
    expect(accuracy(tensor([1, 0, 2, 1]), scores)).toBe(1);
    expect(getMetric('sparseCategoricalAccuracy')(tensor([2, 2, 2, 2]), scores)).toBe(0.25);
  });

  it('binary: one output unit, threshold 0.5', () => {
    const p = tensor([[0.9], [0.4], [0.6], [0.1]]);
    const t = tensor([[1], [1], [0], [0]]);
    expect(binaryAccuracy(t, p)).toBe(0.5);
    expect(accuracy(t, p)).toBe(0.5);
    expect(binaryAccuracy(t, p, 0.3)).toBe(0.75);
    expect(() => binaryAccuracy(tensor([1, 0]), p)).toThrow(ShapeError);
  });

  it('mse and mae', () => {
    const t = tensor([[1, 2], [3, 4]]);
    const p = tensor([[2, 2], [1, 4]]);
    expect(mse(t, p)).toBe((1 + 0 + 4 + 0) / 4);
    expect(mae(t, p)).toBe((1 + 0 + 2 + 0) / 4);
    expect(() => getMetric('f1')).toThrow(ValueError);
    expect(() => getMetric('f1')).toThrow(/unknown metric 'f1'; choose from: accuracy/);
  });
});

describe('confusionMatrix', () => {
  it('counts[true][predicted] from scores or from labels', () => {
    const truth = tensor([1, 0, 1, 1]);
    expect(confusionMatrix(truth, scores)).toEqual([
      [1, 0, 0],
      [0, 2, 1],
      [0, 0, 0],
    ]);
    expect(confusionMatrix([0, 1, 1], [0, 0, 1], 3)).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 0, 0],
    ]);
    expect(() => confusionMatrix([0, 3], [0, 1], 2)).toThrow(/class 3 at position 1 is outside 0\.\.1/);
    expect(() => confusionMatrix([0], [0, 1])).toThrow(ShapeError);
  });
});

describe('History', () => {
  it('records iterations and epochs and serializes them', () => {
    const h = new History(3, 32, 70);
    h.recordIteration(1.5, 0.1);
    h.recordIteration(1.2, 0.1);
    h.recordEpoch(0, { loss: 1.3, accuracy: 0.5 });
    h.recordEpoch(1, { loss: 1.1, accuracy: 0.6 });
    const json = JSON.parse(JSON.stringify(h));
    expect(json).toEqual({
      iterationsPerEpoch: 3,
      batchSize: 32,
      numSamples: 70,
      epoch: [0, 1],
      history: { loss: [1.3, 1.1], accuracy: [0.5, 0.6] },
      iterationLoss: [1.5, 1.2],
      iterationLearningRate: [0.1, 0.1],
      stopped: null,
    });
  });
});
