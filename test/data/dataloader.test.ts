import { describe, expect, it } from 'vitest';
import { DataLoader, Random, Tensor, ValueError, ShapeError, tensor, type Batch } from '../../src/index.js';

/** x row i is [i, 10·i], y row i is [i]: alignment is visible in the values. */
function numbered(n: number): { x: Tensor; y: Tensor } {
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = 10 * i;
    y[i] = i;
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n]) };
}

function epochOrder(loader: DataLoader): number[] {
  return [...loader].flatMap((b) => Array.from(b.indices));
}

describe('DataLoader', () => {
  it('counts iterations per epoch: ceil(N / batchSize), floor with dropLast', () => {
    const { x, y } = numbered(10);
    const loader = new DataLoader(x, y, { batchSize: 3 });
    expect(loader.iterationsPerEpoch).toBe(4);
    expect([...loader].map((b) => b.x.shape[0])).toEqual([3, 3, 3, 1]);
    const dropping = new DataLoader(x, y, { batchSize: 3, dropLast: true });
    expect(dropping.iterationsPerEpoch).toBe(3);
    expect([...dropping].map((b) => b.x.shape[0])).toEqual([3, 3, 3]);
    expect(loader.numSamples).toBe(10);
  });

  it("'full' is one batch of all N samples (batch gradient descent); 1 is stochastic", () => {
    const { x, y } = numbered(10);
    const full = new DataLoader(x, y, { batchSize: 'full', seed: 1 });
    expect(full.batchSize).toBe(10);
    expect(full.iterationsPerEpoch).toBe(1);
    const [only, ...rest] = [...full];
    expect(rest).toHaveLength(0);
    expect(only!.x.shape).toEqual([10, 2]);
    expect([...only!.indices].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const stochastic = new DataLoader(x, y, { batchSize: 1, seed: 1 });
    expect(stochastic.iterationsPerEpoch).toBe(10);
    const batches = [...stochastic];
    expect(batches.map((b) => b.iteration)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches.every((b) => b.x.shape[0] === 1 && b.y!.shape[0] === 1)).toBe(true);
  });

  it('defaults to mini-batches of 32, shuffled, keeping the last partial batch', () => {
    const { x, y } = numbered(70);
    const loader = new DataLoader(x, y);
    expect(loader.batchSize).toBe(32);
    expect(loader.shuffle).toBe(true);
    expect(loader.iterationsPerEpoch).toBe(3);
    expect(epochOrder(loader)).not.toEqual(Array.from({ length: 70 }, (_, i) => i));
  });

  it('visits every sample exactly once per epoch, and keeps y rows with their x rows', () => {
    const { x, y } = numbered(23);
    const loader = new DataLoader(x, y, { batchSize: 5, seed: 7 });
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen: number[] = [];
      for (const batch of loader) {
        const b = batch.x.shape[0]!;
        for (let r = 0; r < b; r++) {
          const sample = batch.indices[r]!;
          expect(batch.x.data[2 * r]).toBe(sample);
          expect(batch.x.data[2 * r + 1]).toBe(10 * sample);
          expect(batch.y!.data[r]).toBe(sample);
          seen.push(sample);
        }
      }
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    }
  });

  it('reshuffles every epoch, and the same seed gives the same orders', () => {
    const { x, y } = numbered(50);
    const a = new DataLoader(x, y, { batchSize: 8, seed: 123 });
    const b = new DataLoader(x, y, { batchSize: 8, seed: 123 });
    const c = new DataLoader(x, y, { batchSize: 8, seed: 124 });
    const a1 = epochOrder(a);
    const a2 = epochOrder(a);
    expect(a2).not.toEqual(a1);
    expect(epochOrder(b)).toEqual(a1);
    expect(epochOrder(b)).toEqual(a2);
    expect(epochOrder(c)).not.toEqual(a1);
  });

  it('draws from the generator passed as `random` when no seed is given', () => {
    const { x } = numbered(30);
    const a = new DataLoader(x, null, { batchSize: 4, random: new Random(5) });
    const b = new DataLoader(x, null, { batchSize: 4, random: new Random(5) });
    expect(epochOrder(a)).toEqual(epochOrder(b));
  });

  it('keeps the order with shuffle: false', () => {
    const { x, y } = numbered(7);
    const loader = new DataLoader(x, y, { batchSize: 3, shuffle: false });
    const batches = [...loader];
    expect(batches.map((b) => Array.from(b.indices))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(batches[2]!.x.toArray()).toEqual([[6, 60]]);
    expect(batches[1]!.y!.toArray()).toEqual([3, 4, 5]);
  });

  it('with views: true, unshuffled batches share memory with x and y; shuffled ones and the default copy', () => {
    const { x, y } = numbered(7);
    const viewed = [...new DataLoader(x, y, { batchSize: 3, shuffle: false, views: true })];
    expect(viewed.map((b) => b.x.toArray())).toEqual([...new DataLoader(x, y, { batchSize: 3, shuffle: false })].map((b) => b.x.toArray()));
    for (const b of viewed) {
      expect(b.x.data.buffer).toBe(x.data.buffer);
      expect(b.y!.data.buffer).toBe(y.data.buffer);
      expect(b.x.requiresGrad).toBe(false);
    }
    expect(viewed[1]!.x.data.byteOffset).toBe(3 * 2 * 4);
    for (const options of [{ shuffle: false }, { shuffle: true, views: true, seed: 1 }]) {
      for (const b of new DataLoader(x, y, { batchSize: 3, ...options })) expect(b.x.data.buffer).not.toBe(x.data.buffer);
    }
    // A tensor with a graph is still copied: a batch is an input, never part of x's graph.
    const g = tensor([[1, 2], [3, 4]]);
    g.requiresGrad = true;
    for (const b of new DataLoader(g, null, { batchSize: 1, shuffle: false, views: true })) expect(b.x.data.buffer).not.toBe(g.data.buffer);
  });

  it('works without targets (y null)', () => {
    const { x } = numbered(5);
    const batches: Batch[] = [...new DataLoader(x, null, { batchSize: 2, seed: 0 })];
    expect(batches.map((b) => b.y)).toEqual([null, null, null]);
  });

  it('copies batches without recording a graph, even when x requires a gradient', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    x.requiresGrad = true;
    for (const shuffle of [true, false]) {
      for (const batch of new DataLoader(x, null, { batchSize: 2, shuffle, seed: 3 })) {
        expect(batch.x.requiresGrad).toBe(false);
        expect(batch.x.isLeaf).toBe(true);
        expect(batch.x.data).not.toBe(x.data);
      }
    }
  });

  it('draws the epoch order when the epoch starts, not at the first batch', () => {
    const { x } = numbered(20);
    const a = new DataLoader(x, null, { batchSize: 4, seed: 9 });
    const b = new DataLoader(x, null, { batchSize: 4, seed: 9 });
    a[Symbol.iterator](); // an epoch begun and abandoned still consumes its shuffle
    b[Symbol.iterator]();
    expect(epochOrder(a)).toEqual(epochOrder(b));
  });

  it('rejects bad batch sizes, mismatched rows and contradictory options with clear messages', () => {
    const { x, y } = numbered(10);
    expect(() => new DataLoader(x, y, { batchSize: 0 })).toThrow(new ValueError("DataLoader: batchSize must be a positive integer or 'full', got 0"));
    expect(() => new DataLoader(x, y, { batchSize: 2.5 })).toThrow(/batchSize must be a positive integer or 'full', got 2.5/);
    expect(() => new DataLoader(x, y, { batchSize: 'all' as 'full' })).toThrow(/got all/);
    expect(() => new DataLoader(x, numbered(9).y)).toThrow(ShapeError);
    expect(() => new DataLoader(x, numbered(9).y)).toThrow(/x has 10 samples .* but y has 9/);
    expect(() => new DataLoader(x, y, { batchSize: 11, dropLast: true })).toThrow(/would drop all 10 samples/);
    expect(() => new DataLoader(x, y, { seed: 1, random: new Random(1) })).toThrow(/either seed or random/);
    expect(() => new DataLoader(tensor(3), null)).toThrow(/sample axis/);
    expect(() => new DataLoader(new Tensor(new Float32Array(0), [0, 2]), null)).toThrow(/no samples/);
  });

  it('allows a batchSize larger than N (one smaller batch) without dropLast', () => {
    const { x, y } = numbered(10);
    const loader = new DataLoader(x, y, { batchSize: 64 });
    expect(loader.iterationsPerEpoch).toBe(1);
    expect([...loader][0]!.x.shape).toEqual([10, 2]);
  });
});
