/**
 * Optimizers: they minimize a convex quadratic; saving and restoring their state resumes a
 * run bit for bit; invalid options fail with clear messages. (Exact agreement with
 * torch.optim over whole training steps is in test/golden/steps.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import {
  Adam,
  AdamW,
  RMSprop,
  SGD,
  Tensor,
  ValueError,
  createOptimizer,
  stepDecay,
  sub,
  type Optimizer,
  type OptimizerConfig,
} from '../../src/index.js';

type Make = (params: Tensor[]) => Optimizer;

const OPTIMIZERS: [string, Make][] = [
  ['sgd', (p) => new SGD(p, { learningRate: 0.1 })],
  ['sgd + momentum', (p) => new SGD(p, { learningRate: 0.05, momentum: 0.9 })],
  ['sgd + nesterov + weightDecay', (p) => new SGD(p, { learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 })],
  ['adam', (p) => new Adam(p, { learningRate: 0.1 })],
  ['adam + L2', (p) => new Adam(p, { learningRate: 0.1, weightDecay: 1e-3 })],
  ['adamw', (p) => new AdamW(p, { learningRate: 0.1 })],
  ['rmsprop', (p) => new RMSprop(p, { learningRate: 0.05 })],
  ['rmsprop + momentum', (p) => new RMSprop(p, { learningRate: 0.03, momentum: 0.5 })],
  ['sgd + momentum + step schedule', (p) => new SGD(p, { learningRate: stepDecay(0.05, 50, 0.5), momentum: 0.9 })],
];

// f(w) = ½ Σ a_i (w_i − c_i)²: convex, minimum 0 at w = c, curvatures from 0.5 to 4.
// The six weights live in two parameter tensors, so per-parameter state is exercised too.
const A = [0.5, 1, 2, 4, 1.5, 3];
const C = [1, -2, 0.5, 3, -1, 0];
const vec = (values: number[]): Tensor => new Tensor(Float32Array.from(values), [values.length]);

function makeParams(): Tensor[] {
  return [new Tensor(Float32Array.from([0.3, 0.7, -1.2]), [3], true), new Tensor(Float32Array.from([-0.5, 2, 1.1]), [3], true)];
}

function objective(params: Tensor[]): Tensor {
  const part = (p: Tensor, off: number) => sub(p, vec(C.slice(off, off + 3))).square().mul(vec(A.slice(off, off + 3))).sum().mul(0.5);
  return part(params[0]!, 0).add(part(params[1]!, 3));
}

function runSteps(opt: Optimizer, params: Tensor[], steps: number): number[] {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = objective(params);
    losses.push(loss.item());
    loss.backward();
    opt.step();
  }
  return losses;
}

describe.each(OPTIMIZERS)('%s', (name, make) => {
  it('decreases a convex quadratic towards its minimum', () => {
    const params = makeParams();
    const opt = make(params);
    const losses = runSteps(opt, params, 300);
    const final = objective(params).item();
    expect(losses[0]).toBeGreaterThan(5);
    expect(final).toBeLessThan(losses[0]! * 1e-2);
    expect(losses[10]!).toBeLessThan(losses[0]!);
    expect(opt.iterations).toBe(300);
  });

  it('resumes bit for bit from a saved state (through JSON) in a fresh optimizer', () => {
    const k = 7;
    const total = 15;
    const straight = makeParams();
    const straightLosses = runSteps(make(straight), straight, total);

    const first = makeParams();
    const opt1 = make(first);
    runSteps(opt1, first, k);
    const saved = JSON.parse(JSON.stringify(opt1.stateDict()));
    const savedWeights = first.map((p) => Array.from(p.data));

    // A fresh process: new parameter tensors with the saved values, a new optimizer.
    const resumed = savedWeights.map((w, i) => new Tensor(Float32Array.from(w), first[i]!.shape, true));
    const opt2 = make(resumed);
    opt2.loadStateDict(saved);
    expect(opt2.iterations).toBe(k);
    const rest = runSteps(opt2, resumed, total - k);

    expect(rest).toEqual(straightLosses.slice(k));
    resumed.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(straight[i]!.data)));
  });

  it('without the saved state the continuation differs (the test above is not vacuous)', () => {
    const straight = makeParams();
    runSteps(make(straight), straight, 15);
    const first = makeParams();
    runSteps(make(first), first, 7);
    const fresh = make(first); // state (momentum, moments, iteration count) lost
    runSteps(fresh, first, 8);
    const same = first.every((p, i) => p.data.every((v, j) => v === straight[i]!.data[j]));
    if (name === 'sgd') expect(same).toBe(true); // plain SGD has no state to lose
    else expect(same).toBe(false);
  });
});

describe('optimizer details', () => {
  it('plain SGD is exactly w ← w − lr·g', () => {
    const w = new Tensor(new Float32Array([1, -2]), [2], true);
    const opt = new SGD([w], { learningRate: 0.5 });
    w.mul(new Tensor(new Float32Array([3, 4]), [2])).sum().backward(); // g = [3, 4]
    opt.step();
    expect(Array.from(w.data)).toEqual([1 - 1.5, -2 - 2]);
  });

  it('the first Adam step moves every weight by about lr against the sign of its gradient', () => {
    const w = new Tensor(new Float32Array([1, 1, 1]), [3], true);
    const opt = new Adam([w], { learningRate: 0.01 });
    w.mul(new Tensor(new Float32Array([1e-3, -5, 200]), [3])).sum().backward();
    opt.step();
    expect(Array.from(w.data).map((v) => v - 1)).toEqual([
      expect.closeTo(-0.01, 6),
      expect.closeTo(0.01, 6),
      expect.closeTo(-0.01, 6),
    ]);
  });

  it('AdamW decays weights even with a zero gradient; Adam does not', () => {
    const make = (cls: typeof Adam | typeof AdamW) => {
      const w = new Tensor(new Float32Array([2]), [1], true);
      const opt = new cls([w], { learningRate: 0.1, weightDecay: 0.5 });
      w.mul(0).sum().backward();
      opt.step();
      return w.data[0]!;
    };
    expect(make(AdamW)).toBeCloseTo(2 * (1 - 0.1 * 0.5), 6);
    // Adam's L2 term makes the gradient 0.5·2 = 1, so it moves by lr (a normalized step).
    expect(make(Adam)).toBeCloseTo(2 - 0.1, 5);
    expect(new AdamW(null).hyper.weightDecay).toBe(0.01);
  });

  it('skips parameters without a gradient and leaves their state empty', () => {
    const a = new Tensor(new Float32Array([1]), [1], true);
    const b = new Tensor(new Float32Array([1]), [1], true);
    const opt = new Adam([a, b], { learningRate: 0.1 });
    a.mul(2).sum().backward();
    opt.step();
    expect(b.data[0]).toBe(1);
    expect(a.data[0]).not.toBe(1);
    expect(opt.stateDict().state[1]).toBeNull();
  });

  it('createOptimizer builds each type; momentum and nesterov default to momentum 0.9', () => {
    const specs: [OptimizerConfig['type'], string][] = [
      ['sgd', 'sgd'],
      ['momentum', 'sgd'],
      ['nesterov', 'sgd'],
      ['adam', 'adam'],
      ['adamw', 'adamw'],
      ['rmsprop', 'rmsprop'],
    ];
    for (const [name, type] of specs) expect(createOptimizer(name).type).toBe(type);
    expect(createOptimizer('momentum').hyper).toMatchObject({ momentum: 0.9, nesterov: false });
    expect(createOptimizer({ type: 'nesterov', momentum: 0.5 }).hyper).toMatchObject({ momentum: 0.5, nesterov: true });
    expect(createOptimizer({ type: 'adam', learningRate: 0.3 }).currentLearningRate).toBe(0.3);
    expect(() => createOptimizer('adagrad' as never)).toThrow(/unknown optimizer 'adagrad'; choose one of: sgd, momentum/);
  });
});

describe('invalid options throw clear errors', () => {
  it.each([
    ['negative learning rate', () => new SGD(null, { learningRate: -0.1 }), /learningRate must be a positive number, got -0.1/],
    ['zero learning rate', () => new Adam(null, { learningRate: 0 }), /learningRate must be a positive number, got 0/],
    ['NaN learning rate', () => new RMSprop(null, { learningRate: Number.NaN }), /learningRate must be a positive number/],
    ['infinite learning rate', () => new AdamW(null, { learningRate: Infinity }), /learningRate must be a positive number/],
    ['nesterov without momentum', () => new SGD(null, { nesterov: true }), /nesterov needs a momentum > 0/],
    ['momentum 1', () => new SGD(null, { momentum: 1 }), /momentum must be in \[0, 1\), got 1/],
    ['negative momentum', () => new RMSprop(null, { momentum: -0.5 }), /momentum must be in \[0, 1\), got -0.5/],
    ['beta1 = 1', () => new Adam(null, { beta1: 1 }), /beta1 must be in \[0, 1\), got 1/],
    ['beta2 > 1', () => new AdamW(null, { beta2: 1.5 }), /beta2 must be in \[0, 1\), got 1.5/],
    ['negative beta2', () => new Adam(null, { beta2: -0.1 }), /beta2 must be in \[0, 1\), got -0.1/],
    ['rho = 1', () => new RMSprop(null, { rho: 1 }), /rho must be in \[0, 1\), got 1/],
    ['negative epsilon', () => new Adam(null, { epsilon: -1e-8 }), /epsilon must be in/],
    ['negative weightDecay', () => new SGD(null, { weightDecay: -0.01 }), /weightDecay must be in/],
  ] as const)('%s', (_label, make, message) => {
    expect(make).toThrow(ValueError);
    expect(make).toThrow(message);
  });

  it('loadStateDict refuses a state from another optimizer type or another parameter list', () => {
    const params = makeParams();
    const adam = new Adam(params);
    runSteps(adam, params, 2);
    expect(() => new SGD(params).loadStateDict(adam.stateDict())).toThrow(/state is for optimizer 'adam', this one is 'sgd'/);
    expect(() => new Adam([params[0]!]).loadStateDict(adam.stateDict())).toThrow(/state has 2 parameters, the optimizer has 1/);
    const wrongSize = [new Tensor(new Float32Array(4), [4], true), params[1]!];
    expect(() => new Adam(wrongSize).loadStateDict(adam.stateDict())).toThrow(/state 'm' of parameter 0 has 3 values, expected 4/);
  });
});

describe('the quadratic objective', () => {
  it('is the function the comment says', () => {
    const params = makeParams();
    const w = [...params[0]!.data, ...params[1]!.data];
    const expected = 0.5 * A.reduce((s, a, i) => s + a * (w[i]! - C[i]!) ** 2, 0);
    expect(objective(params).item()).toBeCloseTo(expected, 5);
    const atMinimum = [vec(C.slice(0, 3)), vec(C.slice(3))];
    expect(objective(atMinimum).item()).toBe(0);
  });
});
