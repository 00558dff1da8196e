/** The "loss did not fall" helper the lab's training pages name their runs with. */
import { expect, test } from 'vitest';
import { lossTrend } from '../../lab/src/common/loss-trend.js';

test('a falling loss, a flat one, a rising one, a NaN, and too few iterations', () => {
  const falling = Array.from({ length: 100 }, (_, k) => 2.3 * Math.exp(-k / 30) + 0.05 * Math.sin(k));
  expect(lossTrend(falling)).toBe('falling');
  // Adam at η = 0.1 on MNIST: the batch loss jumps around ln 10 ≈ 2.30 and never comes down.
  const stuck = Array.from({ length: 100 }, (_, k) => 2.3 + 0.2 * Math.sin(k * 1.7));
  expect(lossTrend(stuck)).toBe('didNotFall');
  expect(lossTrend(Array.from({ length: 100 }, (_, k) => 0.7 + k * 0.01))).toBe('didNotFall');
  expect(lossTrend([...falling, Number.NaN])).toBe('diverged');
  expect(lossTrend(falling.slice(0, 30))).toBe('tooEarly');
  expect(lossTrend(falling.slice(0, 30), { window: 10 })).toBe('falling');
});
