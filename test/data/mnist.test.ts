import { describe, expect, it } from 'vitest';
import { loadMnist, loadMnistDigits, ValueError } from '../../src/index.js';

function classCounts(labels: Float32Array): number[] {
  const c = new Array<number>(10).fill(0);
  for (const v of labels) c[v]!++;
  return c;
}

describe('built-in MNIST digits (the mnist package)', () => {
  it('holds 10,000 real digits of 784 pixels in [0, 1], each digit about 1000 times', async () => {
    const { x, labels } = await loadMnistDigits();
    expect(x.shape).toEqual([10000, 784]);
    expect(labels.shape).toEqual([10000]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of x.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    const counts = classCounts(labels.data as Float32Array);
    for (const c of counts) expect(c).toBeGreaterThan(800);
    for (const c of counts) expect(c).toBeLessThan(1200);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10000);
    // Real images: a digit lights up roughly 10-25% of its pixels, not noise or blanks.
    const lit = x.data.subarray(0, 784).filter((v) => v > 0.5).length;
    expect(lit).toBeGreaterThan(40);
    expect(lit).toBeLessThan(300);
    expect(await loadMnistDigits()).toEqual({ x, labels });
  });

  it('loadMnist makes a seeded stratified split of the requested sizes', async () => {
    const a = await loadMnist({ trainSize: 1000, testSize: 500, seed: 1 });
    expect(a.xTrain.shape).toEqual([1000, 784]);
    expect(a.yTrain.shape).toEqual([1000]);
    expect(a.xTest.shape).toEqual([500, 784]);
    // Stratified: each digit's share of either part matches its share of all 10,000 (up to rounding).
    const all = classCounts((await loadMnistDigits()).labels.data as Float32Array);
    classCounts(a.yTest.data as Float32Array).forEach((c, k) => expect(Math.abs(c - (all[k]! * 500) / 10000)).toBeLessThanOrEqual(2));
    classCounts(a.yTrain.data as Float32Array).forEach((c, k) => expect(Math.abs(c - (all[k]! * 1000) / 10000)).toBeLessThanOrEqual(2));
    const b = await loadMnist({ trainSize: 1000, testSize: 500, seed: 1 });
    expect(Array.from(b.yTrain.data)).toEqual(Array.from(a.yTrain.data));
    const c = await loadMnist({ trainSize: 1000, testSize: 500, seed: 2 });
    expect(Array.from(c.yTrain.data)).not.toEqual(Array.from(a.yTrain.data));
  });

  it('defaults to 8000 / 2000 and rejects impossible sizes', async () => {
    const d = await loadMnist();
    expect(d.xTrain.shape[0]).toBe(8000);
    expect(d.xTest.shape[0]).toBe(2000);
    await expect(loadMnist({ trainSize: 9000, testSize: 2000 })).rejects.toThrow(/more than the 10000 digits/);
    await expect(loadMnist({ trainSize: 0 })).rejects.toThrow(ValueError);
  });
});
