/** Initializers: limits and statistics over large draws; seeding makes models reproducible. */
import { describe, expect, it } from 'vitest';
import { Dense, Dropout, Random, Sequential, initialize, manualSeed, tensor } from '../../src/index.js';

function stats(a: Float32Array): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of a) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / a.length;
  let sq = 0;
  for (const v of a) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / a.length), min, max };
}

const N = 200_000;

describe('initializers', () => {
  it('glorotUniform stays within ±sqrt(6/(fanIn+fanOut)), reaches near both ends, std = limit/√3', () => {
    const [fanIn, fanOut] = [30, 70];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const s = stats(initialize('glorotUniform', N, fanIn, fanOut, new Random(1)));
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.min).toBeLessThan(-0.999 * limit);
    expect(s.max).toBeGreaterThan(0.999 * limit);
    expect(Math.abs(s.mean)).toBeLessThan(0.01 * limit);
    expect(s.std / (limit / Math.sqrt(3))).toBeCloseTo(1, 2);
  });

  it('heUniform stays within ±sqrt(6/fanIn)', () => {
    const limit = Math.sqrt(6 / 40);
    const s = stats(initialize('heUniform', N, 40, 10, new Random(2)));
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.std / (limit / Math.sqrt(3))).toBeCloseTo(1, 2);
  });

  // The sample std of N normal draws has relative standard error 1/sqrt(2N) ≈ 0.16%: 1% is > 6 sigma.
  it.each([
    ['heNormal', 50, 20, Math.sqrt(2 / 50)],
    ['glorotNormal', 50, 20, Math.sqrt(2 / 70)],
    ['lecunNormal', 50, 20, Math.sqrt(1 / 50)],
  ] as const)('%s (fanIn %s, fanOut %s) has mean 0 and std %s', (name, fanIn, fanOut, std) => {
    const s = stats(initialize(name, N, fanIn, fanOut, new Random(3)));
    expect(Math.abs(s.mean)).toBeLessThan(0.01 * std);
    expect(Math.abs(s.std / std - 1)).toBeLessThan(0.01);
  });

  it('heNormal std is sqrt(2/fanIn), not the glorot one (a swapped formula would fail)', () => {
    const he = stats(initialize('heNormal', N, 10, 1000, new Random(4))).std;
    expect(Math.abs(he / Math.sqrt(2 / 10) - 1)).toBeLessThan(0.01);
  });

  it('zeros, ones and constant fill exactly', () => {
    expect(Array.from(initialize('zeros', 4, 2, 2))).toEqual([0, 0, 0, 0]);
    expect(Array.from(initialize('ones', 3, 2, 2))).toEqual([1, 1, 1]);
    expect(Array.from(initialize({ type: 'constant', value: -0.5 }, 2, 2, 2))).toEqual([-0.5, -0.5]);
    expect(() => initialize({ type: 'constant', value: Number.NaN }, 2, 2, 2)).toThrow(/constant/);
  });

  it('the same generator state gives the same values; another seed different ones', () => {
    const a = initialize('glorotUniform', 100, 10, 10, new Random(9));
    const b = initialize('glorotUniform', 100, 10, 10, new Random(9));
    const c = initialize('glorotUniform', 100, 10, 10, new Random(10));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});

describe('manualSeed', () => {
  const makeModel = () =>
    new Sequential([new Dense(16, { inputDim: 2, activation: 'tanh' }), new Dropout(0.3), new Dense(2, { kernelInitializer: 'heNormal' })]);

  it('the same seed gives identical weights; another seed different ones', () => {
    manualSeed(123);
    const a = makeModel().stateDict();
    manualSeed(123);
    const b = makeModel().stateDict();
    manualSeed(124);
    const c = makeModel().stateDict();
    for (const name of Object.keys(a)) expect(Array.from(b[name]!.data), name).toEqual(Array.from(a[name]!.data));
    expect(Array.from(c['0.kernel']!.data)).not.toEqual(Array.from(a['0.kernel']!.data));
  });

  it('the same seed gives an identical fit history (init, shuffling and dropout all seeded)', async () => {
    const x = tensor(Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]));
    const y = tensor(Array.from({ length: 64 }, (_, i) => (Math.sin(i) * Math.cos(3 * i) > 0 ? [1, 0] : [0, 1])));
    const run = async (seed: number) => {
      manualSeed(seed);
      const model = makeModel();
      model.compile({ optimizer: { type: 'adam', learningRate: 0.05 }, loss: 'categoricalCrossentropy', lossOptions: { fromLogits: true }, metrics: ['accuracy'] });
      const history = await model.fit(x, y, { epochs: 3, batchSize: 8 });
      return { losses: history.iterationLoss, history: history.history, weights: Array.from(model.stateDict()['2.kernel']!.data) };
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(a.losses).toHaveLength(24);
    expect(b).toEqual(a);
    expect(c.losses).not.toEqual(a.losses);
  });
});
