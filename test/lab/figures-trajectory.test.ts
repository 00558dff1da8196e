/**
 * The gradient-descent page's verdicts, checked in Node against the engine's own optimizers on
 * the page's own surfaces: the valley's caption («el momentum lo corrige») is true at the
 * defaults, and the states that used to read "descending…" until the iteration limit are named.
 */
import { describe, expect, test, vi } from 'vitest';

// The lab's bundler alias for the vega-datasets folder; here the same file is imported directly.
vi.mock('@vega-data/cars.json', async () => ({ default: (await import('../../node_modules/vega-datasets/data/cars.json', { with: { type: 'json' } })).default }));

const { Descent, defaultKnobs } = await import('../../lab/src/gradient-descent/descent.js');
const { lossGrid } = await import('../../lab/src/gradient-descent/heatmap.js');
const { surfaces } = await import('../../lab/src/gradient-descent/surfaces.js');
const { classifyTrajectory, compareSoFar, compareWithPlainDescent, reversalShare } = await import('../../lab/src/gradient-descent/trajectory.js');
type SurfaceId = keyof typeof surfaces;

function run(id: SurfaceId, optimizer: 'sgd' | 'momentum' | 'nesterov' | 'rmsprop' | 'adam', lr: number, options: { batch?: 'batch' | 'minibatch' | 'stochastic'; knobs?: { momentum: number; beta1: number; beta2?: number }; limit?: number } = {}) {
  const surface = surfaces[id];
  const grid = lossGrid(surface, surface.data ? 40 : 60);
  const descent = new Descent(surface, surface.start, optimizer, lr, options.batch ?? 'batch', [grid.min, grid.max], 1, options.knobs ?? defaultKnobs);
  const outcome = descent.runToEnd(options.limit ?? 5000);
  return { outcome, iterations: descent.iteration, descent };
}

describe('the valley: momentum corrects the zigzag at the page defaults', () => {
  const lr = surfaces.valley.learningRate;
  test('momentum and Nesterov converge in fewer iterations than plain gradient descent', () => {
    const plain = run('valley', 'sgd', lr);
    const momentum = run('valley', 'momentum', lr);
    const nesterov = run('valley', 'nesterov', lr);
    expect(plain.outcome).toBe('converged');
    expect(momentum.outcome).toBe('converged');
    expect(nesterov.outcome).toBe('converged');
    // Not a close call: at least twice as fast (the old defaults made momentum twice as slow).
    expect(momentum.iterations * 2).toBeLessThan(plain.iterations);
    expect(nesterov.iterations * 2).toBeLessThan(plain.iterations);
    expect(compareWithPlainDescent(momentum, plain)).toBe('faster');
  });

  test('raising μ to 0.9 at the default η overshoots: slower than plain gradient descent (as the caption says)', () => {
    const plain = run('valley', 'sgd', lr);
    const momentum = run('valley', 'momentum', lr, { knobs: { momentum: 0.9, beta1: 0.9 } });
    expect(momentum.outcome).toBe('converged');
    expect(compareWithPlainDescent(momentum, plain)).toBe('slower');
  });

  test('with μ = 0.9 at η = 0.09 momentum is slower and Nesterov diverges: the caption says so', () => {
    const plain = run('valley', 'sgd', 0.09);
    const momentum = run('valley', 'momentum', 0.09, { knobs: { momentum: 0.9, beta1: 0.9 } });
    const nesterov = run('valley', 'nesterov', 0.09, { knobs: { momentum: 0.9, beta1: 0.9 } });
    expect(momentum.outcome).toBe('converged');
    expect(compareWithPlainDescent(momentum, plain)).toBe('slower');
    expect(nesterov.outcome).toBe('diverged');
    expect(compareWithPlainDescent(nesterov, plain)).toBe('overshoots');
  });

  test('the caption while it plays: at the defaults momentum is ahead from iteration 10 on although its loss rose once; μ = 0.9 at η = 0.09 is behind and has overshot', () => {
    const grid = lossGrid(surfaces.valley, 60);
    const range = [grid.min, grid.max] as const;
    const plain = run('valley', 'sgd', lr).descent.losses;
    const momentum = run('valley', 'momentum', lr).descent.losses;
    for (const k of [10, 20, 40]) expect(compareSoFar(momentum.slice(0, k + 1), plain, range).standing, `iteration ${k}`).toBe('ahead');
    expect(compareSoFar(momentum.slice(0, 11), plain, range).firstRise).toBe(2);
    const plainFast = run('valley', 'sgd', 0.09).descent.losses;
    const heavy = run('valley', 'momentum', 0.09, { knobs: { momentum: 0.9, beta1: 0.9 } }).descent.losses;
    const live = compareSoFar(heavy.slice(0, 13), plainFast, range);
    expect(live.standing).toBe('behind');
    expect(live.firstRise).not.toBeNull();
    // Nesterov at the defaults never raises its loss.
    expect(compareSoFar(run('valley', 'nesterov', lr).descent.losses, plain, range).firstRise).toBeNull();
  });

  test('Adam β₂ changes the path too', () => {
    const a = run('valley', 'adam', 0.1, { knobs: { momentum: 0.7, beta1: 0.9, beta2: 0.999 } });
    const b = run('valley', 'adam', 0.1, { knobs: { momentum: 0.7, beta1: 0.9, beta2: 0.6 } });
    expect(a.descent.path[5]).not.toEqual(b.descent.path[5]);
  });

  test('Adam β₁ changes the path (the slider is wired to the optimizer)', () => {
    const a = run('valley', 'adam', 0.1, { knobs: { momentum: 0.7, beta1: 0.5 } });
    const b = run('valley', 'adam', 0.1, { knobs: { momentum: 0.7, beta1: 0.99 } });
    expect(a.descent.path[5]).not.toEqual(b.descent.path[5]);
  });
});

describe('named states instead of "descending…" until the limit', () => {
  test('η = 1 on the bowl is pure oscillation, named within a few dozen iterations', () => {
    const r = run('bowl', 'sgd', 1);
    expect(r.outcome).toBe('oscillating');
    expect(r.iterations).toBeLessThan(100);
  });

  test('η = 1.05 on the bowl diverges (the text says «pruebe 1.05»)', () => {
    expect(run('bowl', 'sgd', 1.05).outcome).toBe('diverged');
  });

  test('RMSProp on the saddle hovers around a point instead of settling', () => {
    const r = run('saddle', 'rmsprop', surfaces.saddle.learningRate);
    expect(r.outcome).toBe('hovering');
    expect(r.iterations).toBeLessThan(1000);
  });

  test('constant-η stochastic descent on Auto MPG is named SGD noise, not "descending"', () => {
    const r = run('autompg', 'sgd', 0.1, { batch: 'stochastic', limit: 3000 });
    expect(r.outcome).toBe('noisy');
    // It got near the bottom first: the noise is around the minimum.
    const grid = lossGrid(surfaces.autompg, 40);
    expect(r.descent.losses.at(-1)! - grid.min).toBeLessThan(0.05 * (grid.max - grid.min));
  });

  test('full-batch descent on Auto MPG still converges', () => {
    expect(run('autompg', 'sgd', 0.1).outcome).toBe('converged');
  });

  test('"several wells" at η = 0.01: the slow creep into the nearer well is named flat (a local minimum), not stalled', () => {
    for (const lr of [0.01, 0.003]) {
      const r = run('wells', 'sgd', lr);
      expect(r.outcome).toBe('flat');
      // It settled in the well near (-0.9, 1.4), not the deepest one near (1.2, 0.8).
      const [w1, w2] = r.descent.path.at(-1)!;
      expect(Math.hypot(w1 + 0.84, w2 - 1.31)).toBeLessThan(0.05);
    }
    // The same start with a larger η reaches the same well and was already named flat.
    expect(run('wells', 'sgd', 0.1).outcome).toBe('flat');
  });

  test('the classifier alone: a geometric creep whose loss float32 can no longer lower is settling, not stalled', () => {
    const base = { gradientNorm: 0.01, lossRange: [-1, 3] as const, domainSize: 6, exactGradient: true, adaptive: false };
    // Steps shrink by 2 % each and keep their direction; the loss ties and wobbles by an ulp.
    const path = Array.from({ length: 60 }, (_, k) => [1 - 0.98 ** k, 0] as const);
    const losses = path.map((_, k) => -0.5 + (k % 3 === 0 ? 6e-8 : 0));
    expect(classifyTrajectory({ ...base, losses, path })).toBe('flat');
    expect(classifyTrajectory({ ...base, losses: losses.map((l) => l - 0.5), path })).toBe('converged');
    // Steps of constant length that make no progress are still stalled.
    const still = Array.from({ length: 60 }, (_, k) => [k * 0.01, 0] as const);
    expect(classifyTrajectory({ ...base, losses, path: still })).toBe('stalled');
  });

  test('the classifier alone: a straight path that keeps falling is running; a flat loss with reversing steps oscillates', () => {
    const base = { gradientNorm: 1, lossRange: [0, 10] as const, domainSize: 6, exactGradient: true, adaptive: false };
    const falling = Array.from({ length: 60 }, (_, k) => 5 - k * 0.05);
    const line = falling.map((_, k) => [k * 0.01, 0] as const);
    expect(classifyTrajectory({ ...base, losses: falling, path: line })).toBe('running');
    const flat = falling.map(() => 2);
    const zigzag = falling.map((_, k) => [k % 2 === 0 ? 1 : -1, 0] as const);
    expect(reversalShare(zigzag)).toBe(1);
    expect(classifyTrajectory({ ...base, losses: flat, path: zigzag })).toBe('oscillating');
    expect(classifyTrajectory({ ...base, losses: flat, path: zigzag, adaptive: true })).toBe('hovering');
    expect(classifyTrajectory({ ...base, losses: flat, path: line })).toBe('stalled');
    expect(classifyTrajectory({ ...base, losses: [...falling, Number.NaN], path: [...line, [0, 0]] })).toBe('diverged');
  });
});

describe('side-by-side races', async () => {
  const { makeRacers, raceStep, racerDone } = await import('../../lab/src/gradient-descent/race.js');
  test('GD vs momentum vs Adam on the valley from one start and one η: momentum finishes first, all converge', () => {
    const surface = surfaces.valley;
    const grid = lossGrid(surface, 60);
    const racers = makeRacers('optimizers', surface, grid, surface.start, surface.learningRate);
    while (raceStep(racers, 5000));
    const [gd, momentum, adam] = racers.map((r) => r.descent);
    expect(racers.every((r) => racerDone(r, 5000))).toBe(true);
    expect(gd!.outcome).toBe('converged');
    expect(momentum!.outcome).toBe('converged');
    expect(momentum!.iteration).toBeLessThan(gd!.iteration);
    expect(adam!.path[0]).toEqual(gd!.path[0]);
  });

  test('batch vs mini-batch vs stochastic on Auto MPG: batch converges smoothly, one-sample steps are named noise', () => {
    const surface = surfaces.autompg;
    const grid = lossGrid(surface, 40);
    const racers = makeRacers('batches', surface, grid, surface.start, 0.1);
    for (let k = 0; k < 1500 && raceStep(racers, 1500); k++);
    const [batch, , stochastic] = racers.map((r) => r.descent);
    expect(batch!.outcome).toBe('converged');
    expect(stochastic!.outcome).toBe('noisy');
    expect(stochastic!.iterationsPerEpoch).toBe(392);
    expect(batch!.iterationsPerEpoch).toBe(1);
  });
});
