/** Learning-rate schedules: values at known iterations, validation, and use by optimizers. */
import { describe, expect, it } from 'vitest';
import {
  SGD,
  Tensor,
  ValueError,
  constantLR,
  cosineDecay,
  exponentialDecay,
  linearWarmup,
  schedule,
  stepDecay,
  type ScheduleConfig,
} from '../../src/index.js';

const at = (s: { at(t: number): number }, ts: number[]) => ts.map((t) => s.at(t));

describe('schedule values', () => {
  it('constant', () => {
    expect(at(constantLR(0.1), [0, 1, 1000])).toEqual([0.1, 0.1, 0.1]);
  });

  it('step: multiply by gamma every stepSize iterations (staircase)', () => {
    const s = stepDecay(0.8, 3, 0.5);
    expect(at(s, [0, 1, 2, 3, 5, 6, 9, 10])).toEqual([0.8, 0.8, 0.8, 0.4, 0.4, 0.2, 0.1, 0.1]);
    expect(stepDecay(1, 10).at(25)).toBeCloseTo(0.01, 15); // default gamma 0.1
  });

  it('exponential: learningRate · decayRate^(t / decaySteps), smooth between steps', () => {
    const s = exponentialDecay(0.1, 100, 0.5);
    expect(s.at(0)).toBe(0.1);
    expect(s.at(100)).toBeCloseTo(0.05, 15);
    expect(s.at(200)).toBeCloseTo(0.025, 15);
    expect(s.at(50)).toBeCloseTo(0.1 * Math.SQRT1_2, 15);
  });

  it('cosine: from learningRate down to alpha·learningRate over decaySteps, then flat', () => {
    const s = cosineDecay(1, 100, 0.1);
    expect(s.at(0)).toBe(1);
    expect(s.at(50)).toBeCloseTo(0.55, 12); // halfway: alpha + (1 − alpha)/2
    expect(s.at(25)).toBeCloseTo(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(s.at(100)).toBeCloseTo(0.1, 12);
    expect(s.at(500)).toBeCloseTo(0.1, 12);
    expect(cosineDecay(2, 10).at(10)).toBeCloseTo(0, 12); // default alpha 0
  });

  it('warmup: linear ramp to the wrapped schedule, which then starts from its own iteration 0', () => {
    const s = linearWarmup(4, stepDecay(1, 2, 0.5));
    expect(at(s, [0, 1, 2, 3])).toEqual([0.25, 0.5, 0.75, 1]);
    expect(at(s, [4, 5, 6, 7, 8])).toEqual([1, 1, 0.5, 0.5, 0.25]);
  });

  it('every schedule keeps its config, and schedule(config) rebuilds the same values', () => {
    const all = [constantLR(0.3), stepDecay(0.3, 5, 0.7), exponentialDecay(0.3, 7, 0.9), cosineDecay(0.3, 20, 0.05), linearWarmup(3, cosineDecay(0.3, 20))];
    for (const s of all) {
      const copy = schedule(JSON.parse(JSON.stringify(s.config)) as ScheduleConfig);
      const ts = [0, 1, 2, 3, 4, 7, 19, 20, 50];
      expect(at(copy, ts)).toEqual(at(s, ts));
    }
  });
});

describe('schedule validation', () => {
  it.each([
    [{ type: 'constant', learningRate: -1 }, /learningRate must be positive, got -1/],
    [{ type: 'constant', learningRate: 0 }, /learningRate must be positive, got 0/],
    [{ type: 'step', learningRate: 0.1, stepSize: 0, gamma: 0.5 }, /stepSize must be positive, got 0/],
    [{ type: 'step', learningRate: 0.1, stepSize: 5, gamma: -0.5 }, /gamma must be positive/],
    [{ type: 'exponential', learningRate: 0.1, decaySteps: Number.NaN, decayRate: 0.5 }, /decaySteps must be positive, got NaN/],
    [{ type: 'cosine', learningRate: 0.1, decaySteps: 10, alpha: -0.1 }, /alpha must be non-negative/],
    [{ type: 'warmup', warmupSteps: 0, after: { type: 'constant', learningRate: 0.1 } }, /warmupSteps must be positive/],
    [{ type: 'warmup', warmupSteps: 5, after: { type: 'constant', learningRate: -0.1 } }, /learningRate must be positive/],
    [{ type: 'linear' }, /unknown learning-rate schedule 'linear'/],
  ] as const)('%o', (config, message) => {
    expect(() => schedule(config as unknown as ScheduleConfig)).toThrow(ValueError);
    expect(() => schedule(config as unknown as ScheduleConfig)).toThrow(message);
  });
});

describe('optimizers follow their schedule, one value per iteration', () => {
  it('SGD steps with lr(t) at its t-th update', () => {
    const w = new Tensor(new Float32Array([0]), [1], true);
    const opt = new SGD([w], { learningRate: stepDecay(1, 2, 0.5) });
    const used: number[] = [];
    for (let i = 0; i < 6; i++) {
      used.push(opt.currentLearningRate);
      opt.zeroGrad();
      w.mul(-1).sum().backward(); // g = −1: each step adds lr
      opt.step();
    }
    expect(used).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(w.data[0]).toBe(3.5);
    expect(opt.stateDict().learningRate).toEqual({ type: 'step', learningRate: 1, stepSize: 2, gamma: 0.5 });
  });
});
