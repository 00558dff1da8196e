/**
 * Cross-entropy from logits at confident predictions (|z| = 20 … 1000), where a formula that
 * subtracts two nearly equal numbers loses every digit: binary cross-entropy at y = 1, z = 20
 * is 2.1e−9, not 0. Replays test/golden/precision.json (generate_precision.py): the truth
 * at 80 decimal digits, and PyTorch's own float32 results.
 *
 * - float32, every backend: within 1e-5 relative of the truth for every value and gradient
 *   float32 can hold (normal numbers; subnormals to their spacing). That includes the
 *   entries where PyTorch's own float32 is within 1e-5, and goes beyond it where PyTorch
 *   cancels (its log_softmax gives 0 for a log-probability of −2e−9).
 * - float64, reference backend: within 1e-12 relative of the truth everywhere.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binaryCrossentropy, categoricalCrossentropy, getBackend, tensor, type Tensor } from '../../src/index.js';
import { backendsUnderTest, useBackend } from '../helpers/backends.js';

interface Result {
  value: number;
  grad: number[];
}
interface PrecisionCase {
  loss: 'binaryCrossentropy' | 'categoricalCrossentropy';
  name: string;
  logits: number[];
  targets: number[];
  exact: Result;
  torch32: Result;
}

const fixture = JSON.parse(readFileSync(new URL('./precision.json', import.meta.url), 'utf8')) as { cases: PrecisionCase[] };

function run(c: PrecisionCase, dtype: 'float32' | 'float64'): Result {
  const shape = c.loss === 'binaryCrossentropy' ? [c.logits.length] : [1, c.logits.length];
  const z = tensor(c.logits, shape, { dtype, requiresGrad: true });
  const y = tensor(c.targets, shape, { dtype });
  const lossFn = c.loss === 'binaryCrossentropy' ? binaryCrossentropy : categoricalCrossentropy;
  const loss: Tensor = lossFn(y, z, { fromLogits: true, reduction: 'sum' });
  loss.backward();
  return { value: loss.data[0]!, grad: Array.from(z.grad!.data) };
}

const RTOL_32 = 1e-5;
const RTOL_64 = 1e-12;
const SMALLEST_NORMAL_32 = 2 ** -126;

/** Every (what, got, exact, torch32) quadruple of a case: the value, then each gradient entry. */
function entries(c: PrecisionCase, got: Result): [string, number, number, number][] {
  return [
    ['value', got.value, c.exact.value, c.torch32.value],
    ...c.exact.grad.map((e, i): [string, number, number, number] => [`grad[${i}]`, got.grad[i]!, e, c.torch32.grad[i]!]),
  ];
}

describe('precision fixture', () => {
  it('covers binary and categorical cross-entropy at |z| = 20, 50, 100, 1000 with y = 0, 1, 0.3', () => {
    const bce = fixture.cases.filter((c) => c.loss === 'binaryCrossentropy');
    expect(new Set(bce.map((c) => c.logits[0])).size).toBe(8);
    expect(new Set(bce.map((c) => c.targets[0])).size).toBe(3);
    expect(fixture.cases.some((c) => c.loss === 'categoricalCrossentropy')).toBe(true);
  });

  it('holds cases where PyTorch float32 itself is exact, and cases where it cancels', () => {
    const within = (a: number, e: number): boolean => Math.abs(a - e) <= RTOL_32 * Math.abs(e);
    const all = fixture.cases.flatMap((c) => entries(c, c.torch32));
    expect(all.filter(([, t, e]) => within(t, e)).length).toBeGreaterThan(0);
    // e.g. y = 1, z = 20: PyTorch float32 says 0 where the loss is 2.06e-9.
    expect(all.filter(([, t, e]) => !within(t, e)).length).toBeGreaterThan(0);
  });
});

describe('cross-entropy from logits keeps its precision at confident predictions (float32)', async () => {
  const backends = await backendsUnderTest();
  let previous = '';
  beforeEach(() => {
    previous = getBackend();
  });
  afterEach(() => useBackend(previous));

  for (const backend of backends) {
    it(`on ${backend}: within 1e-5 of the truth, also where PyTorch float32 cancels to 0`, () => {
      useBackend(backend);
      const failures: string[] = [];
      let matchedWherePyTorchDoes = 0;
      for (const c of fixture.cases) {
        for (const [what, got, exact, torch32] of entries(c, run(c, 'float32'))) {
          const error = Math.abs(got - exact);
          // float32 keeps 1e-5 relative down to its smallest normal number; below it
          // (e.g. e^−100 = 3.7e−44) it has only subnormals, spaced 2^−149 apart.
          const bound = Math.abs(exact) >= SMALLEST_NORMAL_32 ? RTOL_32 * Math.abs(exact) : 2 ** -149;
          // The truth itself rounded to float32 is the best any float32 result can be.
          const rounding = Math.abs(Math.fround(exact) - exact);
          if (!(error <= bound + rounding)) {
            failures.push(`${c.name} ${what}: got ${got}, truth ${exact}, PyTorch float32 ${torch32}`);
          }
          if (Math.abs(torch32 - exact) <= RTOL_32 * Math.abs(exact)) matchedWherePyTorchDoes++;
        }
      }
      expect(failures).toEqual([]);
      expect(matchedWherePyTorchDoes).toBeGreaterThan(0);
    });
  }
});

describe('cross-entropy from logits keeps its precision at confident predictions (float64)', () => {
  it('is within 1e-12 of the truth for every value and gradient', () => {
    const failures: string[] = [];
    for (const c of fixture.cases) {
      for (const [what, got, exact] of entries(c, run(c, 'float64'))) {
        if (!(Math.abs(got - exact) <= RTOL_64 * Math.abs(exact))) {
          failures.push(`${c.name} ${what}: got ${got}, truth ${exact}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('binary cross-entropy at y = 1, z = 20 is 2.06e-9, not the 0 of softplus(z) − y·z', () => {
    const z = tensor([20], [1], { dtype: 'float32', requiresGrad: true });
    const loss = binaryCrossentropy(tensor([1], [1]), z, { fromLogits: true });
    loss.backward();
    expect(loss.data[0]).toBeCloseTo(2.0611536e-9, 15);
    expect(loss.data[0]! / 2.0611536203e-9).toBeCloseTo(1, 5);
    expect(z.grad!.data[0]! / -2.0611536182e-9).toBeCloseTo(1, 5);
  });
});
