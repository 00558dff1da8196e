/** Learning really happens (per backend), and evaluate/predict have the right shapes and modes. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Dense,
  Dropout,
  Sequential,
  ShapeError,
  categoricalCrossentropy,
  circles,
  manualSeed,
  noGrad,
  randn,
  sparseCategoricalCrossentropy,
  tensor,
  xor,
} from '../../src/index.js';
import { backendsUnderTest, useBackend } from '../helpers/backends.js';

const backends = await backendsUnderTest();

describe.each(backends)('%s backend: a small MLP learns', (backend) => {
  beforeEach(() => useBackend(backend));
  afterEach(() => useBackend('js'));

  it('circles: >= 95% accuracy on unseen points', async () => {
    manualSeed(1);
    const train = circles({ n: 400, noise: 0.05, seed: 10 });
    const test = circles({ n: 400, noise: 0.05, seed: 11 });
    const model = new Sequential([new Dense(16, { inputDim: 2, activation: 'tanh' }), new Dense(2)]);
    model.compile({ optimizer: { type: 'adam', learningRate: 0.05 }, loss: 'sparseCategoricalCrossentropy', lossOptions: { fromLogits: true }, metrics: ['accuracy'] });
    const before = model.evaluate(test.x, test.y);
    const history = await model.fit(train.x, train.y, { epochs: 40, batchSize: 32, seed: 3 });
    const after = model.evaluate(test.x, test.y);
    expect(before.accuracy).toBeLessThan(0.8);
    expect(after.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(after.loss).toBeLessThan(before.loss! / 3);
    const losses = history.history.loss!;
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]! / 3);
  });

  it('xor (not linearly separable): >= 95% accuracy with a hidden layer and a sigmoid output', async () => {
    manualSeed(2);
    const data = xor({ n: 400, noise: 0, seed: 20 });
    const y = data.y.reshape([-1, 1]);
    const model = new Sequential([new Dense(16, { inputDim: 2, activation: 'relu' }), new Dense(1, { activation: 'sigmoid' })]);
    model.compile({ optimizer: { type: 'adam', learningRate: 0.03 }, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(data.x, y, { epochs: 60, batchSize: 32, seed: 4 });
    expect(history.history.accuracy![history.epoch.length - 1]).toBeGreaterThanOrEqual(0.95);
    expect(model.evaluate(data.x, y).accuracy).toBeGreaterThanOrEqual(0.95);
  });
});

describe('evaluate and predict', () => {
  function model3(): Sequential {
    manualSeed(5);
    return new Sequential([new Dense(8, { inputDim: 4, activation: 'relu' }), new Dropout(0.5), new Dense(3)]);
  }

  it('predict returns [N, C] without a graph, in eval mode, and restores the mode it found', () => {
    const model = model3();
    const x = randn([10, 4]);
    const out = model.predict(x);
    expect(out.shape).toEqual([10, 3]);
    expect(out.requiresGrad).toBe(false);
    expect(out.isLeaf).toBe(true);
    expect(model.training).toBe(true);
    model.eval();
    const direct = noGrad(() => model.forward(x));
    expect(Array.from(model.predict(x).data)).toEqual(Array.from(direct.data));
    expect(model.training).toBe(false);
  });

  it('predict in batches gives the same values as in one piece', () => {
    const model = model3();
    const x = randn([23, 4]);
    const whole = model.predict(x);
    const batched = model.predict(x, { batchSize: 5 });
    expect(batched.shape).toEqual([23, 3]);
    for (let i = 0; i < whole.size; i++) expect(batched.data[i]).toBeCloseTo(whole.data[i]!, 6);
  });

  it('evaluate returns the loss and every metric, measured in eval mode (no dropout)', () => {
    const model = model3();
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', lossOptions: { fromLogits: true }, metrics: ['accuracy', 'mae'] });
    const x = randn([30, 4]);
    const labels = Array.from({ length: 30 }, (_, i) => i % 3);
    const y = tensor(labels.map((k) => [0, 1, 2].map((j) => (j === k ? 1 : 0))));
    const result = model.evaluate(x, y);
    expect(Object.keys(result).sort()).toEqual(['accuracy', 'loss', 'mae']);
    expect(model.evaluate(x, y)).toEqual(result); // no dropout noise
    expect(model.training).toBe(true);
    const yPred = model.predict(x);
    expect(result.loss).toBeCloseTo(categoricalCrossentropy(y, yPred, { fromLogits: true }).item(), 5);
    let hits = 0;
    for (let i = 0; i < 30; i++) {
      const row = Array.from(yPred.data.slice(3 * i, 3 * i + 3));
      if (row.indexOf(Math.max(...row)) === labels[i]) hits++;
    }
    expect(result.accuracy).toBeCloseTo(hits / 30, 12);
    // Batched evaluation weighs each batch by its size: the same numbers.
    const batched = model.evaluate(x, y, { batchSize: 7 });
    expect(batched.loss).toBeCloseTo(result.loss!, 5);
    expect(batched.accuracy).toBeCloseTo(result.accuracy!, 12);
  });

  it('evaluate works with integer labels and rejects mismatched sample counts', () => {
    const model = model3();
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', lossOptions: { fromLogits: true }, metrics: ['accuracy'] });
    const x = randn([6, 4]);
    const labels = tensor([0, 1, 2, 2, 1, 0]);
    const r = model.evaluate(x, labels);
    expect(r.loss).toBeCloseTo(sparseCategoricalCrossentropy(labels, model.predict(x), { fromLogits: true }).item(), 5);
    expect(() => model.evaluate(x, tensor([0, 1]))).toThrow(/differ in samples/);
    expect(() => model.predict(randn([2, 5]))).toThrow(ShapeError);
  });

  it('after fit the model is left in eval mode', async () => {
    const model = model3();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await model.fit(randn([8, 4]), randn([8, 3]), { epochs: 1 });
    expect(model.training).toBe(false);
    expect(model.layers.every((l) => !l.training)).toBe(true);
  });
});
