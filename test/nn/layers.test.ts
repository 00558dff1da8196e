/** Dense and Dropout: values, shapes, errors; Dropout's train/eval behaviour and statistics. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Dense, Dropout, Random, Sequential, ShapeError, Tensor, ValueError, manualSeed, ones, randn, tensor } from '../../src/index.js';
import { backendsUnderTest, useBackend } from '../helpers/backends.js';

const backends = await backendsUnderTest();

describe.each(backends)('%s backend: Dense', (backend) => {
  beforeEach(() => useBackend(backend));
  afterEach(() => useBackend('js'));

  it('computes activation(x·W + b) with W of shape [D, H]', () => {
    const layer = new Dense(2, { inputDim: 3, activation: 'relu' });
    layer.kernel!.data.set([1, -1, 2, 0.5, -3, 1]); // [[1, -1], [2, 0.5], [-3, 1]]
    layer.bias!.data.set([0.5, -0.25]);
    const y = layer.forward(tensor([[1, 2, 3], [-1, 0, 1]]));
    // row 0: [1+4-9+0.5, -1+1+3-0.25] = [-3.5, 2.75]; row 1: [-1-3+0.5, 1+1-0.25] = [-3.5, 1.75]
    expect(y.shape).toEqual([2, 2]);
    expect(Array.from(y.data)).toEqual([0, 2.75, 0, 1.75]);
    expect(Array.from(layer.preActivation(tensor([[1, 2, 3]])).data)).toEqual([-3.5, 2.75]);
  });

  it('without a bias has only a kernel and computes x·W', () => {
    const layer = new Dense(1, { inputDim: 2, useBias: false, kernelInitializer: 'ones' });
    expect(layer.namedParameters().map(([n]) => n)).toEqual(['kernel']);
    expect(layer.bias).toBeNull();
    expect(Array.from(layer.forward(tensor([[2, 3]])).data)).toEqual([5]);
  });

  it('uses the given initializers', () => {
    const layer = new Dense(3, { inputDim: 2, kernelInitializer: { type: 'constant', value: 0.25 }, biasInitializer: 'ones' });
    expect(Array.from(layer.kernel!.data)).toEqual(new Array(6).fill(0.25));
    expect(Array.from(layer.bias!.data)).toEqual([1, 1, 1]);
  });
});

describe('Dense errors', () => {
  it.each([0, -3, 1.5, Number.NaN])('rejects units = %s', (units) => {
    expect(() => new Dense(units)).toThrow(ValueError);
    expect(() => new Dense(units)).toThrow(/units must be a positive integer/);
  });

  it('rejects an input with the wrong number of features, naming both', () => {
    const layer = new Dense(4, { inputDim: 3 });
    expect(() => layer.forward(ones([2, 5]))).toThrow(ShapeError);
    expect(() => layer.forward(ones([2, 5]))).toThrow(/built for 3 inputs, got input \[2, 5\]/);
  });

  it('a lazily built layer keeps the input size it was built for', () => {
    const layer = new Dense(2);
    layer.forward(ones([1, 3]));
    expect(layer.inputDim).toBe(3);
    expect(() => layer.forward(ones([1, 4]))).toThrow(/built for 3 inputs/);
  });

  it('rejects inputs that are not [N, D] and suggests flattening', () => {
    expect(() => new Dense(2).forward(ones([2, 3, 4]))).toThrow(/expects inputs of shape \[N, D\], got \[2, 3, 4\]; flatten/);
    expect(() => new Dense(2).forward(ones([3]))).toThrow(ShapeError);
  });

  it('rejects an unknown activation or initializer', () => {
    expect(() => new Dense(2, { activation: 'sigmod' as never })).toThrow(/sigmod/);
    expect(() => new Dense(2, { inputDim: 2, kernelInitializer: 'xavier' as never })).toThrow(/unknown initializer 'xavier'/);
  });
});

describe('Dropout', () => {
  it('draws its mask as uniform() < keep would, element by element, and leaves the generator where that would', () => {
    // Dropout fills its mask with Random.fillBernoulli (the state in locals); the same seed
    // must give the very masks, and the very draws after them, that per-element uniform() gave.
    for (const [seed, size, keep] of [[1, 1, 0.5], [7, 1000, 0.8], [99, 4097, 0.3]] as const) {
      const fast = new Random(seed);
      const slow = new Random(seed);
      const mask = new Float32Array(size);
      fast.fillBernoulli(mask, keep, 1 / keep);
      const expected = Float32Array.from({ length: size }, () => (slow.uniform() < keep ? 1 / keep : 0));
      expect(Array.from(mask)).toEqual(Array.from(expected));
      expect(fast.getState()).toEqual(slow.getState());
      expect(fast.nextUint32()).toBe(slow.nextUint32());
    }
  });

  it.each([-0.1, 1, 1.5, Number.NaN])('rejects rate = %s', (rate) => {
    expect(() => new Dropout(rate)).toThrow(/rate must be in \[0, 1\)/);
  });

  it('is the identity in eval mode (and at rate 0)', () => {
    const x = randn([50, 20]);
    const layer = new Dropout(0.5).eval();
    expect(Array.from(layer.forward(x).data)).toEqual(Array.from(x.data));
    expect(Array.from(new Dropout(0).forward(x).data)).toEqual(Array.from(x.data));
  });

  it.each([0.2, 0.5, 0.8])('in training zeroes about rate = %s of the values and scales the rest by 1/(1−rate)', (rate) => {
    manualSeed(3);
    const n = 200_000;
    const x = ones([n / 100, 100]);
    const y = new Dropout(rate).forward(x);
    let zeros = 0;
    let otherValues = 0;
    let sum = 0;
    const scale = Math.fround(1 / (1 - rate));
    for (const v of y.data) {
      if (v === 0) zeros++;
      else if (v !== scale) otherValues++;
      sum += v;
    }
    expect(otherValues).toBe(0); // every kept value is exactly x / (1 − rate)
    // Binomial: std of the zero fraction is sqrt(rate(1−rate)/n) ≤ 0.0012 here.
    expect(Math.abs(zeros / n - rate)).toBeLessThan(0.006);
    // The expectation is preserved: E[y] = x = 1.
    expect(Math.abs(sum / n - 1)).toBeLessThan(0.03);
  });

  it('draws a new mask every call, and the gradient flows through the kept values only', () => {
    manualSeed(4);
    const layer = new Dropout(0.5);
    const x = new Tensor(new Float32Array(1000).fill(1), [10, 100], true);
    const a = layer.forward(x);
    const b = layer.forward(x);
    expect(Array.from(a.data)).not.toEqual(Array.from(b.data));
    a.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual(Array.from(a.data)); // d sum(x·mask)/dx = mask, and x = 1
  });

  it('model.eval() turns dropout off inside a Sequential, and predict() runs in eval mode', () => {
    manualSeed(5);
    const model = new Sequential([new Dense(50, { inputDim: 4, activation: 'relu', biasInitializer: 'ones' }), new Dropout(0.5), new Dense(3)]);
    const x = randn([8, 4]);
    model.eval();
    const first = Array.from(model.forward(x).data);
    expect(Array.from(model.forward(x).data)).toEqual(first);
    model.train();
    expect(Array.from(model.forward(x).data)).not.toEqual(first);
    expect(Array.from(model.predict(x).data)).toEqual(first);
    expect(model.training).toBe(true); // predict restores the mode it found
  });
});
