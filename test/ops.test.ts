/**
 * Autodiff semantics: accumulation, noGrad, reuse of a tensor, seeds, freed graphs, deep
 * graphs, and memory staying flat over a long training-like loop.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GradienteError,
  Random,
  Tensor,
  ValueError,
  add,
  backward,
  isGradEnabled,
  linear,
  meanSquaredError,
  mul,
  noGrad,
  randn,
  relu,
  reshape,
  sum,
  tensor,
} from '../src/index.js';
import { backendsUnderTest, useBackend } from './helpers/backends.js';

const backends = await backendsUnderTest();

const leaf = (values: number[]): Tensor => tensor(values, undefined, { requiresGrad: true });
const gradOf = (t: Tensor): number[] => Array.from(t.grad!.data);

describe.each(backends)('autodiff semantics on the %s backend', (name) => {
  beforeEach(() => useBackend(name));
  afterEach(() => useBackend('js'));

  describe('gradient accumulation', () => {
    it('accumulates across two backward() calls until zeroed', () => {
      const x = leaf([1, 2, 3]);
      const loss = () => sum(mul(x, x)); // d/dx = 2x
      loss().backward();
      expect(gradOf(x)).toEqual([2, 4, 6]);
      loss().backward();
      expect(gradOf(x)).toEqual([4, 8, 12]);
      x.zeroGrad();
      expect(x.grad).toBeNull();
      loss().backward();
      expect(gradOf(x)).toEqual([2, 4, 6]);
    });

    it('retainGraph lets backward() run through the same graph twice', () => {
      const x = leaf([1, -2]);
      const loss = sum(mul(x, 3));
      loss.backward(undefined, { retainGraph: true });
      loss.backward();
      expect(gradOf(x)).toEqual([6, 6]);
    });

    it('refuses a second backward() through a freed graph instead of silently skipping the parameters', () => {
      const x = leaf([1, 2, 3]);
      const loss = sum(mul(x, x));
      loss.backward();
      expect(() => loss.backward()).toThrow(/already freed/);
      expect(gradOf(x)).toEqual([2, 4, 6]);
      // A result reused as an input after its graph was freed: refused before any gradient moves.
      const w = leaf([1, 1, 1]);
      const h = mul(x, 2);
      sum(h).backward();
      const before = gradOf(x);
      expect(() => sum(mul(h, w)).backward()).toThrow(GradienteError);
      expect(gradOf(x)).toEqual(before);
      expect(w.grad).toBeNull();
      // detach() is the way to reuse it as a constant.
      sum(mul(h.detach(), w)).backward();
      expect(gradOf(w)).toEqual([2, 4, 6]);
    });

    it('the stored gradient is a copy, not the seed the caller passed', () => {
      const x = leaf([1, 2, 3, 4]);
      const seed = tensor([1, 1, 1, 1], [2, 2]);
      reshape(x, [2, 2]).backward(seed);
      seed.data.fill(100);
      expect(gradOf(x)).toEqual([1, 1, 1, 1]);
      expect([...x.grad!.shape]).toEqual([4]);
    });
  });

  describe('what gets recorded', () => {
    it('noGrad records nothing, and restores recording afterwards (even after a throw)', () => {
      const x = leaf([1, 2]);
      const y = noGrad(() => mul(x, x).add(1));
      expect(y.requiresGrad).toBe(false);
      expect(y.isLeaf).toBe(true);
      expect(() => y.backward()).toThrow(GradienteError);
      expect(() =>
        noGrad(() => {
          throw new Error('inside');
        }),
      ).toThrow('inside');
      expect(isGradEnabled()).toBe(true);
      expect(mul(x, x).requiresGrad).toBe(true);
    });

    it('nested noGrad keeps recording off until the outermost one returns', () => {
      const x = leaf([1]);
      noGrad(() => {
        noGrad(() => undefined);
        expect(isGradEnabled()).toBe(false);
        expect(mul(x, 2).requiresGrad).toBe(false);
      });
      expect(isGradEnabled()).toBe(true);
    });

    it('tensors that do not require a gradient get none; intermediate results keep none', () => {
      const x = leaf([1, 2]);
      const c = tensor([3, 4]);
      const h = mul(x, c);
      sum(h).backward();
      expect(gradOf(x)).toEqual([3, 4]);
      expect(c.grad).toBeNull();
      expect(h.grad).toBeNull();
    });

    it('detach() stops the gradient', () => {
      const x = leaf([2, 3]);
      sum(mul(x, x.detach())).backward(); // only one factor contributes: d/dx = x
      expect(gradOf(x)).toEqual([2, 3]);
    });
  });

  describe('a tensor used more than once', () => {
    it('x * x gets both contributions', () => {
      const x = leaf([1.5, -2]);
      sum(mul(x, x)).backward();
      expect(gradOf(x)).toEqual([3, -4]);
    });

    it('x + x, where one backward closure hands the same array to both inputs', () => {
      const x = leaf([1, 2]);
      sum(add(x, x)).backward();
      expect(gradOf(x)).toEqual([2, 2]);
    });

    it('a diamond: h = 2x, y = h·h + h', () => {
      const x = leaf([1, -1, 0.5]);
      const h = mul(x, 2);
      sum(add(mul(h, h), h)).backward(); // dy/dx = (2h + 1)·2 = 8x + 2
      expect(gradOf(x)).toEqual([10, -6, 6]);
    });
  });

  describe('seeds', () => {
    it('backward() on a non-scalar without a seed throws and says how to fix it', () => {
      const y = mul(leaf([1, 2, 3]), 2);
      expect(() => y.backward()).toThrow(ValueError);
      expect(() => y.backward()).toThrow(/shape \[3\], not a single value.*mean\(\).*seed/);
    });

    it('a seed gradient weights the outputs', () => {
      const x = leaf([1, 2, 3]);
      mul(x, x).backward(tensor([1, 0, -1]));
      expect(gradOf(x)).toEqual([2, 0, -6]);
    });

    it('a seed of the wrong size is refused', () => {
      const y = mul(leaf([1, 2, 3]), 2);
      expect(() => y.backward(tensor([1, 1]))).toThrow(/seed gradient of shape \[2\] does not match the tensor's shape \[3\]/);
    });
  });

  it('a very deep graph (20,000 chained ops) backpropagates without overflowing the stack', () => {
    const x = leaf([1]);
    let y = x;
    for (let i = 0; i < 20_000; i++) y = add(y, 1);
    y.backward();
    expect(gradOf(x)).toEqual([1]);
  });

  describe('memory', () => {
    // NOTE: v8.setFlagsFromString exposes gc() to contexts created afterwards, so this test
    // needs no --expose-gc on the command line (or in the vitest config).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const used = (): number => {
      gc();
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.external;
    };

    /** `steps` iterations of a small MLP's training step: forward, backward, update, zero. */
    function train(steps: number, keep: Tensor[] | null): void {
      const random = new Random(3);
      const w1 = randn([8, 32], { random, std: 0.3, requiresGrad: true });
      const b1 = randn([32], { random, std: 0.1, requiresGrad: true });
      const w2 = randn([32, 4], { random, std: 0.3, requiresGrad: true });
      const params = [w1, b1, w2];
      for (let step = 0; step < steps; step++) {
        const x = randn([16, 8], { random });
        const y = randn([16, 4], { random });
        const loss = meanSquaredError(y, linear(relu(linear(x, w1, b1)), w2));
        // keep !== null simulates a leak: every graph stays reachable.
        loss.backward(undefined, { retainGraph: keep !== null });
        keep?.push(loss);
        noGrad(() => {
          for (const p of params) {
            const g = p.grad!.data;
            for (let i = 0; i < g.length; i++) p.data[i]! -= 0.01 * g[i]!;
            p.zeroGrad();
          }
        });
      }
    }

    it('2000 forward/backward steps leave memory flat, and a leak of every graph would be caught', () => {
      train(200, null); // warm up: JIT code, kernel scratch buffers
      const before = used();
      train(2000, null);
      const growth = used() - before;

      const kept: Tensor[] = [];
      const leakBefore = used();
      train(2000, kept);
      const leakGrowth = used() - leakBefore;
      expect(kept).toHaveLength(2000);

      // One step's graph holds ~5 KB of arrays (x, y, two [16,32] and two [16,4] results) plus
      // closures: 2000 kept graphs are > 10 MB, while a flat loop stays within noise (< 1 MB).
      const bound = 2 * 1024 * 1024;
      expect(leakGrowth, `a loop that keeps every graph grew by only ${leakGrowth} bytes`).toBeGreaterThan(bound);
      expect(growth, `memory grew by ${growth} bytes over 2000 steps`).toBeLessThan(bound);
    });
  });
});
