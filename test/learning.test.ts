/**
 * The promise of `npm start`: the bundled MNIST digits are learned to >= 95% test accuracy.
 * This runs the very same function the quick start runs.
 */
import { describe, expect, it } from 'vitest';
import { trainMnist } from '../examples/train-mnist.js';
import { trainingLoop } from '../examples/training-loop.js';

describe('learning', () => {
  // The epoch lines npm start printed, without the speed (which varies from run to run).
  const epochLines = (lines: string[]): string[] => lines.filter((l) => l.startsWith('epoch')).map((l) => l.replace(/\s+\d+ samples\/s$/, ''));
  let firstRun: string[] = [];

  it('npm start trains an MLP on the built-in MNIST digits to >= 95% test accuracy', async () => {
    const lines: string[] = [];
    const run = await trainMnist({ log: (l) => lines.push(l) });
    expect(run.testAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(run.confusion.flat().reduce((a, b) => a + b, 0)).toBe(2000);
    firstRun = epochLines(lines);
  }, 300_000);

  it('npm start prints the same digits, epoch by epoch, on the backend ready() picked and on wasm', async () => {
    // Same seed, same digits on every backend (native sums its products in other orders than
    // wasm, and over any number of threads; the printed figures must not show it).
    expect(firstRun).toHaveLength(12);
    const lines: string[] = [];
    await trainMnist({ backend: 'wasm', log: (l) => lines.push(l) });
    expect(epochLines(lines)).toEqual(firstRun);
  }, 300_000);

  it('the hand-written loop separates the two circles', () => {
    const { accuracy, losses } = trainingLoop();
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    const first = losses.slice(0, 10).reduce((a, b) => a + b) / 10;
    const last = losses.slice(-10).reduce((a, b) => a + b) / 10;
    expect(last).toBeLessThan(first / 5);
  });
});
