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
  Sequential,
  Dense,
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

describe('a binary model trained from logits', () => {
  // Logits 0.3 and 0.2 are probabilities above 0.5 (class 1); -0.3 is below. Compared with
  // 0.5 as if they were probabilities, two of the three positives would be called class 0.
  const logits = tensor([[0.3], [-0.3], [0.2], [0.7]]);
  const truth = tensor([[1], [0], [1], [1]]);

  it('scores accuracy at logit 0, the probability 0.5', () => {
    expect(getMetric('accuracy', { fromLogits: true })(truth, logits)).toBe(1);
    expect(getMetric('binaryAccuracy', { fromLogits: true })(truth, logits)).toBe(1);
    expect(getMetric('accuracy')(truth, logits)).toBe(0.5);
    expect(confusionMatrix(truth, logits, 2, 0)).toEqual([[1, 0], [0, 3]]);
  });

  it('compile picks that threshold from lossOptions.fromLogits, evaluate reports it', () => {
    const model = new Sequential([new Dense(1, { inputDim: 1 })]);
    model.loadStateDict({ '0.kernel': tensor([[1]]), '0.bias': tensor([0]) });
    const x = tensor([[0.3], [-0.3], [0.2], [0.7]]);
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', lossOptions: { fromLogits: true }, metrics: ['accuracy'] });
    expect(model.evaluate(x, truth).accuracy).toBe(1);
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    expect(model.evaluate(x, truth).accuracy).toBe(0.5);
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
