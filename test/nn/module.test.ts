/** Module: dotted parameter names, stateDict/loadStateDict, train()/eval(). */
import { describe, expect, it } from 'vitest';
import { Dense, Dropout, Flatten, Sequential, ShapeError, Tensor, ValueError, manualSeed, tensor } from '../../src/index.js';

function nested(): Sequential {
  return new Sequential([
    new Dense(4, { inputDim: 3, activation: 'relu' }),
    new Sequential([new Dense(5, { activation: 'tanh' }), new Dropout(0.5), new Dense(2, { useBias: false })]),
    new Dense(1),
  ]);
}

describe('namedParameters', () => {
  it('gives dotted names through nested Sequential models, in layer order', () => {
    const model = nested();
    model.build([1, 3]);
    expect(model.namedParameters().map(([name]) => name)).toEqual([
      '0.kernel',
      '0.bias',
      '1.0.kernel',
      '1.0.bias',
      '1.2.kernel',
      '2.kernel',
      '2.bias',
    ]);
    const shapes = Object.fromEntries(model.namedParameters().map(([n, t]) => [n, t.shape]));
    expect(shapes).toEqual({
      '0.kernel': [3, 4],
      '0.bias': [4],
      '1.0.kernel': [4, 5],
      '1.0.bias': [5],
      '1.2.kernel': [5, 2],
      '2.kernel': [2, 1],
      '2.bias': [1],
    });
    expect(model.countParameters()).toBe(3 * 4 + 4 + 4 * 5 + 5 + 5 * 2 + 2 * 1 + 1);
  });

  it('returns the live parameter tensors, which require gradients', () => {
    const model = nested();
    model.build([1, 3]);
    const layer0 = model.layers[0] as Dense;
    const named = new Map(model.namedParameters());
    expect(named.get('0.kernel')).toBe(layer0.kernel);
    for (const p of model.parameters()) expect(p.requiresGrad).toBe(true);
  });

  it('layers without an inputDim get their parameters from the first input they see', () => {
    const model = new Sequential([new Dense(3), new Dense(2)]);
    expect((model.layers[0] as Dense).kernel).toBeNull();
    model.forward(tensor([[1, 2]]));
    expect(model.namedParameters().map(([n]) => n)).toEqual(['0.kernel', '0.bias', '1.kernel', '1.bias']);
  });
});

describe('stateDict / loadStateDict', () => {
  it('round-trips every value into a differently initialized model', () => {
    manualSeed(1);
    const a = nested();
    a.build([1, 3]);
    manualSeed(2);
    const b = nested();
    b.build([1, 3]);
    const x = tensor([[0.1, -0.2, 0.3], [1, 2, -3]]);
    expect(Array.from(b.predict(x).data)).not.toEqual(Array.from(a.predict(x).data));

    b.loadStateDict(a.stateDict());
    for (const [name, t] of a.namedParameters()) {
      expect(Array.from(b.stateDict()[name]!.data), name).toEqual(Array.from(t.data));
    }
    expect(Array.from(b.predict(x).data)).toEqual(Array.from(a.predict(x).data));
  });

  it('stateDict is a copy: changing it or the model afterwards does not touch the other', () => {
    const model = new Sequential([new Dense(2, { inputDim: 2 })]);
    const state = model.stateDict();
    const before = Array.from(state['0.kernel']!.data);
    state['0.kernel']!.data[0] = 123;
    expect(model.stateDict()['0.kernel']!.data[0]).not.toBe(123);
    (model.layers[0] as Dense).kernel!.data[1] = 456;
    expect(state['0.kernel']!.data[1]).toBe(before[1]);
  });

  it('loading copies values: the loaded model does not share memory with the dict', () => {
    const model = new Sequential([new Dense(2, { inputDim: 2 })]);
    const state = { '0.kernel': tensor([[1, 2], [3, 4]]), '0.bias': tensor([5, 6]) };
    model.loadStateDict(state);
    state['0.kernel'].data[0] = -1;
    expect(Array.from((model.layers[0] as Dense).kernel!.data)).toEqual([1, 2, 3, 4]);
  });

  it('strict loading names the missing keys', () => {
    const model = new Sequential([new Dense(2, { inputDim: 3 }), new Dense(1)]);
    model.build([1, 3]);
    const state = model.stateDict();
    delete state['1.bias'];
    delete state['0.kernel'];
    expect(() => model.loadStateDict(state)).toThrow(ValueError);
    expect(() => model.loadStateDict(state)).toThrow(/missing: 0\.kernel, 1\.bias/);
  });

  it('strict loading names the unexpected keys', () => {
    const model = new Sequential([new Dense(2, { inputDim: 3 })]);
    const state = { ...model.stateDict(), '5.kernel': tensor([1]), 'extra': tensor([2]) };
    expect(() => model.loadStateDict(state)).toThrow(/unexpected: 5\.kernel, extra/);
    expect(() => model.loadStateDict(state)).not.toThrow(/missing/);
  });

  it('non-strict loading takes the matching keys and ignores the rest', () => {
    const model = new Sequential([new Dense(2, { inputDim: 2 })]);
    const biasBefore = Array.from((model.layers[0] as Dense).bias!.data);
    model.loadStateDict({ '0.kernel': tensor([[1, 2], [3, 4]]), 'other.weight': tensor([9]) }, { strict: false });
    expect(Array.from((model.layers[0] as Dense).kernel!.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from((model.layers[0] as Dense).bias!.data)).toEqual(biasBefore);
  });

  it('a shape mismatch names the parameter and both shapes', () => {
    const model = new Sequential([new Dense(2, { inputDim: 3 })]);
    const state = model.stateDict();
    state['0.kernel'] = tensor([1, 2, 3, 4, 5, 6], [2, 3]); // torch layout [H, D]: must be transposed
    expect(() => model.loadStateDict(state)).toThrow(ShapeError);
    expect(() => model.loadStateDict(state)).toThrow(/'0\.kernel' has shape \[2, 3\], the model expects \[3, 2\]/);
  });

  it('a shape mismatch in rank alone is caught too ([2] into [2, 1])', () => {
    const model = new Sequential([new Dense(1, { inputDim: 2 })]);
    const state = model.stateDict();
    state['0.kernel'] = tensor([1, 2]);
    expect(() => model.loadStateDict(state)).toThrow(/'0\.kernel' has shape \[2\], the model expects \[2, 1\]/);
  });

  it('a failed load changes nothing (shapes are checked before any value is copied)', () => {
    const model = new Sequential([new Dense(2, { inputDim: 2 }), new Dense(1)]);
    const before = model.stateDict();
    const bad = { '0.kernel': tensor([[1, 2], [3, 4]]), '0.bias': tensor([5, 6]), '1.kernel': tensor([7, 8]), '1.bias': tensor([9]) };
    expect(() => model.loadStateDict(bad)).toThrow(/'1\.kernel'/);
    for (const [name, t] of model.namedParameters()) expect(Array.from(t.data), name).toEqual(Array.from(before[name]!.data));
  });

  it('an unbuilt model says so when asked to load', () => {
    const model = new Sequential([new Dense(2)]);
    expect(() => model.loadStateDict({ '0.kernel': tensor([[1, 2]]) })).toThrow(/build/);
  });
});

describe('train() / eval()', () => {
  it('propagates the mode to every nested layer', () => {
    const model = nested();
    const all = (m: Sequential): boolean[] => m.layers.flatMap((l) => (l instanceof Sequential ? [l.training, ...all(l)] : [l.training]));
    expect(model.training).toBe(true);
    expect(all(model).every(Boolean)).toBe(true);
    expect(model.eval()).toBe(model);
    expect(model.training).toBe(false);
    expect(all(model).some(Boolean)).toBe(false);
    model.train();
    expect(all(model).every(Boolean)).toBe(true);
    model.train(false);
    expect(all(model).some(Boolean)).toBe(false);
  });

  it('zeroGrad clears the gradient of every parameter', () => {
    const model = new Sequential([new Dense(3, { inputDim: 2, activation: 'tanh' }), new Dense(1)]);
    model.forward(tensor([[1, 2]])).sum().backward();
    expect(model.parameters().every((p) => p.grad !== null)).toBe(true);
    model.zeroGrad();
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  });
});

describe('Flatten', () => {
  it('turns [N, a, b] into [N, a·b] in row-major order and reports its output shape', () => {
    const x = new Tensor(Float32Array.from({ length: 12 }, (_, i) => i), [2, 2, 3]);
    const f = new Flatten();
    expect(f.build([2, 2, 3])).toEqual([2, 6]);
    const y = f.forward(x);
    expect(y.shape).toEqual([2, 6]);
    expect(Array.from(y.data)).toEqual(Array.from(x.data));
    const model = new Sequential([new Flatten(), new Dense(4)]);
    expect(model.build([5, 2, 3])).toEqual([5, 4]);
  });
});
