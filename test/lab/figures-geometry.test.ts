/** The gradient-descent figures' geometry and the parabola's states, checked without a browser. */
import { describe, expect, test } from 'vitest';
import { equalAspectBox, FADED, RECENT_STEPS, stepOpacity } from '../../lab/src/gradient-descent/geometry.js';
import { parabolaFinished, parabolaState } from '../../lab/src/gradient-descent/trajectory.js';

describe('surfaces keep a 1:1 aspect ratio', () => {
  const area = { left: 44, top: 10, width: 560, height: 480 };
  test.each([
    ['bowl', [[-3, 3], [-3, 3]]],
    ['valley', [[-3, 3], [-1.5, 1.5]]],
    ['banana', [[-2, 2], [-1, 3]]],
  ] as const)('%s: as many pixels per unit along w₁ as along w₂, inside the area, centred', (_, domain) => {
    const box = equalAspectBox(domain, area);
    const perUnitX = box.width / (domain[0][1] - domain[0][0]);
    const perUnitY = box.height / (domain[1][1] - domain[1][0]);
    expect(perUnitX).toBeCloseTo(perUnitY, 9);
    expect(box.left).toBeGreaterThanOrEqual(area.left);
    expect(box.top).toBeGreaterThanOrEqual(area.top);
    expect(box.left + box.width).toBeLessThanOrEqual(area.left + area.width + 1e-9);
    expect(box.top + box.height).toBeLessThanOrEqual(area.top + area.height + 1e-9);
    // It fills the area along one side at least.
    expect(Math.max(box.width / area.width, box.height / area.height)).toBeCloseTo(1, 9);
  });

  test('−∇L drawn with equal scales is perpendicular to the contour (valley L = ½w₁² + 10w₂²)', () => {
    const box = equalAspectBox([[-3, 3], [-1.5, 1.5]], area);
    const k = box.width / 6;
    const [w1, w2] = [1, 0.3];
    const gradient = [w1, 20 * w2];
    const tangent = [-gradient[1]!, gradient[0]!]; // along the contour line
    // In pixels both vectors scale by the same k, so their dot product stays zero.
    expect((gradient[0]! * k) * (tangent[0]! * k) + (gradient[1]! * k) * (tangent[1]! * k)).toBeCloseTo(0, 9);
  });
});

describe('long paths fade older steps', () => {
  test('the most recent steps are solid, older ones fade down to a floor, monotonically', () => {
    const n = 1000;
    expect(stepOpacity(n - 1, n)).toBe(1);
    expect(stepOpacity(n - RECENT_STEPS, n)).toBe(1);
    expect(stepOpacity(0, n)).toBe(FADED);
    for (let k = 1; k < n; k++) expect(stepOpacity(k, n)).toBeGreaterThanOrEqual(stepOpacity(k - 1, n));
    expect(stepOpacity(n - 3 * RECENT_STEPS, n)).toBeLessThan(0.5);
  });

  test('a short path is drawn whole', () => {
    for (let k = 0; k < 30; k++) expect(stepOpacity(k, 30)).toBe(1);
  });
});

describe('the ball on the parabola', () => {
  /** Gradient descent on L = w² from w = 2.5: w ← (1 − 2η)·w. */
  function trail(lr: number, steps: number): number[] {
    const out = [2.5];
    for (let k = 0; k < steps; k++) out.push(out.at(-1)! * (1 - 2 * lr));
    return out;
  }
  test('converges and is finished (play stops there)', () => {
    const t = trail(0.1, 60);
    expect(parabolaState(t)).toBe('converged');
    expect(parabolaFinished(parabolaState(t))).toBe(true);
  });
  test('η = 1 is pure oscillation, named and finished', () => {
    expect(parabolaState(trail(1, 5))).toBe('oscillating');
    expect(parabolaFinished('oscillating')).toBe(true);
  });
  test('0.5 < η < 1 bounces but still converges; η > 1 diverges', () => {
    expect(parabolaState(trail(0.8, 3))).toBe('bouncing');
    expect(parabolaFinished('bouncing')).toBe(false);
    expect(parabolaState(trail(0.8, 60))).toBe('converged');
    expect(parabolaState(trail(1.05, 200))).toBe('diverged');
    expect(parabolaState(trail(0.2, 2))).toBe('descending');
  });
});
