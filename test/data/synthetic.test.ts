import { describe, expect, it } from 'vitest';
import { Random, circles, gaussians, line, plane, spiral, syntheticDatasets, xor, type SyntheticDataset } from '../../src/index.js';

const classifiers = { xor, circles, spiral, gaussians } as const;

function counts(d: SyntheticDataset): number[] {
  const c = new Array<number>(d.numClasses).fill(0);
  for (const v of d.y.data) c[v]!++;
  return c;
}

describe('synthetic classification sets', () => {
  for (const [name, make] of Object.entries(classifiers)) {
    it(`${name}: [n, 2] points, integer labels in range, deterministic by seed`, () => {
      const d = make({ n: 101, seed: 3 });
      expect(d.task).toBe('classification');
      expect(d.x.shape).toEqual([101, 2]);
      expect(d.y.shape).toEqual([101]);
      expect(d.numClasses).toBeGreaterThanOrEqual(2);
      for (const v of d.y.data) {
        expect(Number.isInteger(v) && v >= 0 && v < d.numClasses).toBe(true);
      }
      expect(counts(d).every((c) => c > 0)).toBe(true);
      expect(d.x.data.every(Number.isFinite)).toBe(true);
      const again = make({ n: 101, seed: 3 });
      expect(Array.from(again.x.data)).toEqual(Array.from(d.x.data));
      expect(Array.from(again.y.data)).toEqual(Array.from(d.y.data));
      expect(Array.from(make({ n: 101, seed: 4 }).x.data)).not.toEqual(Array.from(d.x.data));
      const fromGenerator = make({ n: 101, random: new Random(3) });
      expect(Array.from(fromGenerator.x.data)).toEqual(Array.from(d.x.data));
    });
  }

  it('xor without noise labels by quadrant: 1 where x1·x2 < 0', () => {
    const d = xor({ n: 300, noise: 0, seed: 1 });
    for (let i = 0; i < 300; i++) {
      expect(d.y.data[i]).toBe(d.x.data[2 * i]! * d.x.data[2 * i + 1]! < 0 ? 1 : 0);
      expect(Math.abs(d.x.data[2 * i]!)).toBeLessThanOrEqual(1);
    }
  });

  it('circles without noise: class 0 at radius 1, class 1 at radius factor', () => {
    const d = circles({ n: 200, noise: 0, factor: 0.3, seed: 2 });
    expect(counts(d)).toEqual([100, 100]);
    for (let i = 0; i < 200; i++) {
      const r = Math.hypot(d.x.data[2 * i]!, d.x.data[2 * i + 1]!);
      expect(r).toBeCloseTo(d.y.data[i] === 0 ? 1 : 0.3, 5);
    }
  });

  it('spiral has one arm per class, shares n evenly and stays within radius 1', () => {
    const d = spiral({ n: 200, classes: 4, seed: 0 });
    expect(d.numClasses).toBe(4);
    expect(counts(d)).toEqual([50, 50, 50, 50]);
    for (let i = 0; i < 200; i++) expect(Math.hypot(d.x.data[2 * i]!, d.x.data[2 * i + 1]!)).toBeLessThanOrEqual(1 + 1e-6);
    expect(spiral({ n: 10 }).numClasses).toBe(3);
  });

  it('gaussians put each class around its own centre', () => {
    const d = gaussians({ n: 3000, classes: 3, radius: 2, noise: 0.3, seed: 5 });
    expect(counts(d)).toEqual([1000, 1000, 1000]);
    for (let k = 0; k < 3; k++) {
      let sx = 0;
      let sy = 0;
      for (let i = 0; i < 3000; i++) {
        if (d.y.data[i] !== k) continue;
        sx += d.x.data[2 * i]!;
        sy += d.x.data[2 * i + 1]!;
      }
      const angle = (2 * Math.PI * k) / 3;
      expect(sx / 1000).toBeCloseTo(2 * Math.cos(angle), 1);
      expect(sy / 1000).toBeCloseTo(2 * Math.sin(angle), 1);
    }
  });

  it('returns the samples shuffled, not grouped by class', () => {
    const d = gaussians({ n: 100, seed: 0 });
    const firstHalf = Array.from(d.y.data.subarray(0, 50));
    expect(new Set(firstHalf).size).toBe(2);
  });

  it('validates options', () => {
    expect(() => xor({ n: 0 })).toThrow(/n must be a positive integer, got 0/);
    expect(() => circles({ noise: -1 })).toThrow(/noise must be a number >= 0/);
    expect(() => spiral({ classes: 1 })).toThrow(/classes must be an integer >= 2, got 1/);
    expect(() => circles({ factor: 1 })).toThrow(/factor/);
    expect(() => xor({ seed: 1, random: new Random(1) })).toThrow(/either seed or random/);
  });
});

describe('synthetic regression sets', () => {
  it('line: x [n, 1], y [n, 1] = slope·x + intercept exactly without noise', () => {
    const d = line({ n: 50, slope: -3, intercept: 0.5, noise: 0, seed: 1 });
    expect(d.task).toBe('regression');
    expect(d.numClasses).toBe(0);
    expect(d.x.shape).toEqual([50, 1]);
    expect(d.y.shape).toEqual([50, 1]);
    for (let i = 0; i < 50; i++) expect(d.y.data[i]).toBeCloseTo(-3 * d.x.data[i]! + 0.5, 5);
  });

  it('line with noise: least squares recovers the slope and intercept', () => {
    const d = line({ n: 2000, noise: 0.1, seed: 2 });
    const n = 2000;
    const mx = Array.from(d.x.data).reduce((s, v) => s + v, 0) / n;
    const my = Array.from(d.y.data).reduce((s, v) => s + v, 0) / n;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += (d.x.data[i]! - mx) * (d.y.data[i]! - my);
      sxx += (d.x.data[i]! - mx) ** 2;
    }
    expect(sxy / sxx).toBeCloseTo(2, 1);
    expect(my - (sxy / sxx) * mx).toBeCloseTo(1, 1);
  });

  it('plane: x [n, 2] → y [n, 1] = w·x + bias', () => {
    const d = plane({ n: 40, weights: [0.5, 4], bias: -1, noise: 0, seed: 3 });
    expect(d.x.shape).toEqual([40, 2]);
    expect(d.y.shape).toEqual([40, 1]);
    for (let i = 0; i < 40; i++) expect(d.y.data[i]).toBeCloseTo(0.5 * d.x.data[2 * i]! + 4 * d.x.data[2 * i + 1]! - 1, 5);
    expect(Array.from(plane({ seed: 9 }).y.data)).toEqual(Array.from(plane({ seed: 9 }).y.data));
  });

  it('every generator is listed by name', () => {
    expect(Object.keys(syntheticDatasets).sort()).toEqual(['circles', 'gaussians', 'line', 'plane', 'spiral', 'xor']);
  });
});
