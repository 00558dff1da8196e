/**
 * Gradient arrays are reused from one step to the next (src/autograd/gradient-pool.ts) only
 * when no code outside the library can hold them. These tests pin both halves: the reuse
 * happens in a plain training loop (else the saving is lost), and never where a gradient
 * could still be referenced — a callback keeping p.grad across steps, a second model of the
 * same shapes, retainGraph, accumulation over two backward() calls, a gradient tensor given
 * to two parameters, a backward function keeping the array it returned — and training gives
 * the same numbers with and without reuse.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { record } from '../src/autograd/graph.js';
import { pooledGradientBytes } from '../src/autograd/gradient-pool.js';
import { kernels } from '../src/backends/registry.js';
import { Dense, Random, SGD, Adam, Sequential, Tensor, linear, manualSeed, meanSquaredError, randn, relu, sum, tensor, type Callback } from '../src/index.js';
import { backendsUnderTest, useBackend } from './helpers/backends.js';

const backends = await backendsUnderTest();

/** A small regression problem and a two-layer model over it (biases included). */
function problem(seed: number): { x: Tensor; y: Tensor; params: Tensor[]; forward: (x: Tensor) => Tensor } {
  const random = new Random(seed);
  const x = randn([6, 5], { random });
  const y = randn([6, 3], { random });
  const w1 = randn([5, 4], { random, requiresGrad: true });
  const b1 = randn([4], { random, requiresGrad: true });
  const w2 = randn([4, 3], { random, requiresGrad: true });
  const params = [w1, b1, w2];
  return { x, y, params, forward: (input) => linear(relu(linear(input, w1, b1)), w2) };
}

/** The arrays now backing each parameter's .grad, read without handing them out. */
const peek = (params: Tensor[]): (Float32Array | Float64Array | undefined)[] => params.map((p) => Tensor._peekGrad(p)?.data);
const copies = (params: Tensor[]): number[][] => params.map((p) => Array.from(Tensor._peekGrad(p)!.data));

describe.each(backends)('gradient reuse on the %s backend', (name) => {
  beforeEach(() => useBackend(name));
  afterEach(() => useBackend('js'));

  it('a plain loop reuses last step’s weight gradient arrays (zeroGrad, backward, step)', () => {
    const { x, y, params, forward } = problem(1);
    const opt = new SGD(params, { learningRate: 0.05 });
    meanSquaredError(forward(x), y).backward();
    opt.step();
    const first = peek(params);
    opt.zeroGrad();
    expect(params.every((p) => Tensor._peekGrad(p) === null)).toBe(true);
    meanSquaredError(forward(x), y).backward();
    const second = peek(params);
    // The weight gradients come from matrix products: their arrays are the previous ones.
    expect(second[0]).toBe(first[0]);
    expect(second[2]).toBe(first[2]);
    // Every parameter still has its own array.
    expect(new Set(second).size).toBe(3);
  });

  it('trains to the same numbers with reuse as without (a reader of p.grad turns it off)', () => {
    const run = (read: boolean): number[][] => {
      const { x, y, params, forward } = problem(2);
      const opt = new Adam(params, { learningRate: 0.01 });
      for (let step = 0; step < 12; step++) {
        opt.zeroGrad();
        meanSquaredError(forward(x), y).backward();
        if (read) params.forEach((p) => p.grad);
        opt.step();
      }
      return params.map((p) => Array.from(p.data));
    };
    expect(run(false)).toEqual(run(true));
  });

  it('never reuses a gradient a fit callback read and kept across steps', async () => {
    manualSeed(5);
    const model = new Sequential([new Dense(7, { inputDim: 4, activation: 'tanh' }), new Dense(2)]);
    model.compile({ optimizer: new SGD(null, { learningRate: 0.1 }), loss: 'meanSquaredError' });
    const random = new Random(9);
    const x = randn([24, 4], { random });
    const y = randn([24, 2], { random });
    const kept: { grad: Tensor; data: Float32Array | Float64Array; values: number[] }[] = [];
    let batches = 0;
    const keeper: Callback = {
      onBatchEnd() {
        // Every other batch only: the others leave their gradients unread, free to be reused.
        if (batches++ % 2 === 1) return;
        for (const p of model.parameters()) {
          const grad = p.grad!;
          kept.push({ grad, data: grad.data, values: Array.from(grad.data) });
        }
      },
    };
    await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, callbacks: [keeper] });
    expect(kept.length).toBeGreaterThan(8);
    for (const k of kept) {
      expect(k.grad.data).toBe(k.data);
      expect(Array.from(k.data)).toEqual(k.values);
    }
  });

  it('keeps a callback’s p.grad.data (the array alone) intact while other steps reuse theirs', async () => {
    manualSeed(6);
    const model = new Sequential([new Dense(8, { inputDim: 3, activation: 'relu' }), new Dense(1)]);
    model.compile({ optimizer: new SGD(null, { learningRate: 0.05, momentum: 0.9 }), loss: 'meanSquaredError' });
    const random = new Random(10);
    const x = randn([30, 3], { random });
    const y = randn([30, 1], { random });
    const held: [Float32Array | Float64Array, number[]][] = [];
    let batches = 0;
    const keeper: Callback = {
      onBatchEnd() {
        batches++;
        if (batches % 3 !== 0) return;
        const data = model.parameters()[0]!.grad!.data;
        held.push([data, Array.from(data)]);
      },
    };
    await model.fit(x, y, { epochs: 3, batchSize: 5, shuffle: true, seed: 4, callbacks: [keeper] });
    expect(held.length).toBe(6);
    for (const [data, values] of held) expect(Array.from(data)).toEqual(values);
  });

  it('two models of the same shapes, stepped in turn, each train as they do alone', () => {
    const alone = (seed: number): number[][] => {
      const { x, y, params, forward } = problem(seed);
      const opt = new SGD(params, { learningRate: 0.05, momentum: 0.5 });
      for (let step = 0; step < 6; step++) {
        opt.zeroGrad();
        meanSquaredError(forward(x), y).backward();
        opt.step();
      }
      return params.map((p) => Array.from(p.data));
    };
    const a = problem(3);
    const b = problem(4);
    const optA = new SGD(a.params, { learningRate: 0.05, momentum: 0.5 });
    const optB = new SGD(b.params, { learningRate: 0.05, momentum: 0.5 });
    let heldB: [Tensor, number[]] | null = null;
    for (let step = 0; step < 6; step++) {
      optA.zeroGrad();
      meanSquaredError(a.forward(a.x), a.y).backward();
      optB.zeroGrad();
      meanSquaredError(b.forward(b.x), b.y).backward();
      optA.step();
      optB.step();
      if (step === 2) {
        const g = b.params[0]!.grad!; // kept by the caller from here on
        heldB = [g, Array.from(g.data)];
      }
    }
    expect(a.params.map((p) => Array.from(p.data))).toEqual(alone(3));
    expect(b.params.map((p) => Array.from(p.data))).toEqual(alone(4));
    expect(Array.from(heldB![0].data)).toEqual(heldB![1]);
  });

  it('retainGraph: a second pass adds into the first, and the next step starts clean', () => {
    const { x, y, params, forward } = problem(7);
    const opt = new SGD(params, { learningRate: 0.01 });
    meanSquaredError(forward(x), y).backward();
    const once = copies(params);
    opt.zeroGrad();
    const loss = meanSquaredError(forward(x), y);
    loss.backward(undefined, { retainGraph: true });
    expect(copies(params)).toEqual(once);
    loss.backward();
    copies(params).forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(2 * once[i]![j]!, 5)));
    opt.zeroGrad();
    meanSquaredError(forward(x), y).backward();
    expect(copies(params)).toEqual(once);
  });

  it('accumulates two backward() calls into one .grad, then reuses both arrays without mixing them', () => {
    const { x, y, params, forward } = problem(8);
    const half = (from: number): [Tensor, Tensor] => [
      new Tensor(x.data.slice(from * 5, (from + 3) * 5), [3, 5]),
      new Tensor(y.data.slice(from * 3, (from + 3) * 3), [3, 3]),
    ];
    const [x1, y1] = half(0);
    const [x2, y2] = half(3);
    meanSquaredError(forward(x1), y1).backward();
    const g1 = copies(params);
    for (const p of params) p.grad = null;
    meanSquaredError(forward(x2), y2).backward();
    const g2 = copies(params);
    for (const p of params) p.grad = null;

    // No step: the weights stay put, so every round must give g1 + g2 again.
    const opt = new SGD(params, { learningRate: 0.1 });
    for (let round = 0; round < 3; round++) {
      opt.zeroGrad();
      meanSquaredError(forward(x1), y1).backward();
      meanSquaredError(forward(x2), y2).backward();
      copies(params).forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(g1[i]![j]! + g2[i]![j]!, 5)));
    }
  });

  it('a gradient tensor given to a second parameter is never reused under either', () => {
    const { x, y, params, forward } = problem(9);
    const other = randn([5, 4], { random: new Random(1), requiresGrad: true });
    meanSquaredError(forward(x), y).backward();
    const array = Tensor._peekGrad(params[0]!)!.data;
    const values = Array.from(array);
    other.grad = params[0]!.grad; // read, and shared by two parameters
    new SGD([other], { learningRate: 0.1 }).zeroGrad();
    new SGD(params, { learningRate: 0.1 }).zeroGrad();
    for (let i = 0; i < 3; i++) {
      meanSquaredError(forward(x), y).backward();
      expect(Tensor._peekGrad(params[0]!)!.data).not.toBe(array);
    }
    expect(Array.from(array)).toEqual(values);
  });

  it('never reuses an array a custom backward function returned and kept', () => {
    const w = tensor([[1, 2, 3]], undefined, { requiresGrad: true });
    const stash: Float32Array[] = [];
    const custom = (): Tensor =>
      record(new Float32Array([w.data[0]! + w.data[1]! + w.data[2]!]), [], 'keeps', [w], () => {
        const g = new Float32Array([1, 1, 1]);
        stash.push(g);
        return [g];
      });
    const opt = new SGD([w], { learningRate: 0.1 });
    for (let step = 0; step < 3; step++) {
      opt.zeroGrad();
      custom().backward();
      opt.step();
      // Real gradients through matmul, of the very size the stashed arrays have.
      opt.zeroGrad();
      sum(linear(tensor([[1], [2]]), w)).backward();
      opt.step();
    }
    for (const g of stash) expect(Array.from(g)).toEqual([1, 1, 1]);
  });

  it('never reuses a kept array that backward() added into an existing .grad', () => {
    const w = tensor([[1, 2, 3]], undefined, { requiresGrad: true });
    const stash: Float32Array[] = [];
    const custom = (): Tensor =>
      record(new Float32Array([w.data[0]!]), [], 'keeps', [w], () => {
        const g = new Float32Array([2, 2, 2]);
        stash.push(g);
        return [g];
      });
    const opt = new SGD([w], { learningRate: 0.1 });
    for (let step = 0; step < 3; step++) {
      opt.zeroGrad();
      sum(linear(tensor([[1], [2]]), w)).backward(); // a gradient array of the library's
      custom().backward(); // added into it: this array is the custom op's, which keeps it
      opt.step();
    }
    // Gradients of fresh leaves of that size take whatever the pool holds.
    for (let k = 0; k < 6; k++) sum(linear(tensor([[1], [2]]), tensor([[0, 0, 0]], undefined, { requiresGrad: true }))).backward();
    for (const g of stash) expect(Array.from(g)).toEqual([2, 2, 2]);
  });

  it('never reuses a gradient the caller set (p.grad = tensor)', () => {
    const { x, y, params, forward } = problem(10);
    const mine = new Float32Array(params[0]!.size).fill(0.5);
    params[0]!.grad = new Tensor(mine, params[0]!.shape);
    const opt = new SGD(params, { learningRate: 0.1 });
    opt.step();
    opt.zeroGrad();
    meanSquaredError(forward(x), y).backward();
    expect(Tensor._peekGrad(params[0]!)!.data).not.toBe(mine);
    expect(Array.from(mine).every((v) => v === 0.5)).toBe(true);
  });

  it('every backend’s matmul writes all of its output (a reused array holds old values)', () => {
    const random = new Random(12);
    const a = randn([7, 9], { random }).data as Float32Array;
    const b = randn([9, 5], { random }).data as Float32Array;
    const clean = new Float32Array(35);
    const dirty = new Float32Array(35).fill(Number.NaN);
    const backend = kernels(a, b);
    backend.matmul(a, b, clean, 7, 9, 5, false, false, null);
    backend.matmul(a, b, dirty, 7, 9, 5, false, false, null);
    expect(Array.from(dirty)).toEqual(Array.from(clean));
    const t = new Float32Array(35).fill(Number.NaN);
    backend.matmul(a, b, t, 7, 0, 5, false, false, null); // k = 0: all zeros
    expect(Array.from(t).every((v) => v === 0)).toBe(true);
  });

  it('keeps the pool bounded by what one step releases', () => {
    const { x, y, params, forward } = problem(11);
    const opt = new SGD(params, { learningRate: 0.01 });
    for (let step = 0; step < 20; step++) {
      opt.zeroGrad();
      meanSquaredError(forward(x), y).backward();
      opt.step();
    }
    // After backward took them back, at most a step's worth (here a few hundred bytes) waits.
    expect(pooledGradientBytes()).toBeLessThan(4096);
  });
});
