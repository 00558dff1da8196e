/**
 * backward() keeps a freshly computed gradient array as a leaf's .grad instead of copying
 * it, when nothing else can hold that array. These tests pin both halves: the copy is
 * skipped where it is safe (else the saving is lost), and never where the array is shared
 * (else one parameter's update would move another's gradient, or a tensor's value).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { record } from '../src/autograd/graph.js';
import { Random, Tensor, add, linear, mul, randn, relu, reshape, sum, tensor } from '../src/index.js';
import { meanSquaredError } from '../src/index.js';
import { backendsUnderTest, useBackend } from './helpers/backends.js';

const backends = await backendsUnderTest();

const leaf = (values: number[]): Tensor => tensor(values, undefined, { requiresGrad: true });
const gradOf = (t: Tensor): number[] => Array.from(t.grad!.data);

/** An op whose backward returns exactly the arrays `grads` builds: to reach the edge cases directly. */
function customOp(inputs: Tensor[], grads: (g: Float32Array | Float64Array) => (Float32Array | Float64Array | null)[]): Tensor {
  const out = new Float32Array(1);
  for (const t of inputs) for (const v of t.data) out[0]! += v;
  return record(out, [], 'custom', inputs, grads);
}

describe.each(backends)('gradient ownership on the %s backend', (name) => {
  beforeEach(() => useBackend(name));
  afterEach(() => useBackend('js'));

  it('keeps a fresh gradient array as the .grad without copying it', () => {
    const x = leaf([1, 2]);
    const fresh = new Float32Array([5, 7]);
    customOp([x], () => [fresh]).backward();
    expect(x.grad!.data).toBe(fresh);
    expect(gradOf(x)).toEqual([5, 7]);
  });

  it('gives two leaves that receive the same array two separate gradients', () => {
    const a = leaf([1, 2]);
    const b = leaf([3, 4]);
    const shared = new Float32Array([1, 1]);
    customOp([a, b], () => [shared, shared]).backward();
    expect(a.grad!.data).not.toBe(b.grad!.data);
    a.grad!.data[0] = 100;
    expect(gradOf(b)).toEqual([1, 1]);
    // The same through add, whose backward hands its incoming gradient to both inputs.
    const c = leaf([1, 2]);
    const d = leaf([3, 4]);
    sum(add(c, d)).backward();
    expect(c.grad!.data).not.toBe(d.grad!.data);
    c.grad!.data[1] = -5;
    expect(gradOf(d)).toEqual([1, 1]);
  });

  it('never makes a tensor value a gradient: a backward returning its input data is copied', () => {
    const x = leaf([2, 3]);
    customOp([x], () => [x.data]).backward(); // d(x²/2)/dx = x
    expect(x.grad!.data).not.toBe(x.data);
    x.grad!.data[0] = 0;
    expect(Array.from(x.data)).toEqual([2, 3]);
  });

  it('never makes the caller seed a gradient, even passed straight through', () => {
    const x = tensor([1, 2, 3, 4], [2, 2], { requiresGrad: true });
    const seed = tensor([1, 2, 3, 4], [4]);
    reshape(x, [4]).backward(seed);
    expect(x.grad!.data).not.toBe(seed.data);
    seed.data[0] = 50;
    expect(gradOf(x)).toEqual([1, 2, 3, 4]);
  });

  it('copies an array one closure passed on while another leaf also got it', () => {
    // add's backward gives g to x and to reshape, whose backward gives the same g to y.
    const x = leaf([1, 2]);
    const y = tensor([[1], [2]], undefined, { requiresGrad: true });
    const loss = sum(mul(add(x, reshape(y, [2])), 3));
    loss.backward();
    expect(x.grad!.data).not.toBe(y.grad!.data);
    x.grad!.data.fill(0);
    expect(gradOf(y)).toEqual([3, 3]);
    expect(gradOf(x)).toEqual([0, 0]);
  });

  it('converts rather than adopts a gradient of another dtype', () => {
    const x = leaf([1, 2]);
    customOp([x], () => [new Float64Array([0.5, 0.25])]).backward();
    expect(x.grad!.data).toBeInstanceOf(Float32Array);
    expect(gradOf(x)).toEqual([0.5, 0.25]);
  });

  it('sums a leaf used twice, and accumulates into an adopted .grad across backward() calls', () => {
    const x = leaf([1, 2, 3]);
    const loss = (): Tensor => sum(mul(x, x)); // d/dx = 2x
    loss().backward();
    const first = x.grad!.data;
    loss().backward();
    expect(x.grad!.data).toBe(first); // added in place, as before
    expect(gradOf(x)).toEqual([4, 8, 12]);
  });

  it('retainGraph: two passes through one layer graph give twice one pass, and the first stays intact', () => {
    const random = new Random(3);
    const input = randn([5, 4], { random });
    const target = randn([5, 2], { random });
    const w1 = randn([4, 3], { random, requiresGrad: true });
    const b1 = randn([3], { random, requiresGrad: true });
    const w2 = randn([3, 2], { random, requiresGrad: true });
    const params = [w1, b1, w2];
    const build = (): Tensor => meanSquaredError(linear(relu(linear(input, w1, b1)), w2), target);
    build().backward();
    const once = params.map((p) => Array.from(p.grad!.data));
    for (const p of params) p.zeroGrad();
    const loss = build();
    loss.backward(undefined, { retainGraph: true });
    const afterFirst = params.map((p) => Array.from(p.grad!.data));
    expect(afterFirst).toEqual(once);
    loss.backward();
    params.forEach((p, i) => {
      Array.from(p.grad!.data).forEach((v, j) => expect(v).toBeCloseTo(2 * once[i]![j]!, 6));
    });
    // Each parameter's gradient is its own array: none aliases another or a value.
    const arrays = params.flatMap((p) => [p.data, p.grad!.data]);
    expect(new Set(arrays).size).toBe(arrays.length);
  });
});
