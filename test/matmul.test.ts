/**
 * The matrix product on every backend against a float64 triple loop, for all transposed
 * forms and for sizes that cross every blocking boundary of the packed kernel (partial
 * register tiles, several K and M blocks) as well as the thin shapes of batch size 1.
 */
import { describe, expect, it } from 'vitest';
import { Random, linear, matmul, randn, tensor } from '../src/index.js';
import { backendsUnderTest, useBackend } from './helpers/backends.js';

function reference(a: Float32Array | Float64Array, b: Float32Array | Float64Array, m: number, k: number, n: number, ta: boolean, tb: boolean): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ta ? p * m + i : i * k + p]! * b[tb ? j * k + p : p * n + j]!;
      out[i * n + j] = s;
    }
  return out;
}

const shapes: [number, number, number][] = [
  [1, 784, 128],
  [3, 5, 2],
  [64, 784, 128],
  [70, 300, 130],
  [129, 513, 67],
  [5, 1, 7],
];

const backends = await backendsUnderTest();

describe.each(backends)('matmul on %s', (name) => {
  it.each(shapes)('%i×%i×%i in all four transposed forms', (m, k, n) => {
    useBackend(name);
    try {
      const random = new Random(m * 1000 + k + n);
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const a = randn(ta ? [k, m] : [m, k], { random });
          const b = randn(tb ? [n, k] : [k, n], { random });
          const c = matmul(a, b, { transposeA: ta, transposeB: tb });
          expect(c.shape).toEqual([m, n]);
          const want = reference(a.data, b.data, m, k, n, ta, tb);
          if (name === 'native') {
            // OpenBLAS (like PyTorch's sgemm) accumulates in float32 along K, where 'js' and
            // 'wasm' keep more precision: its errors reach ~3e-5 at K = 513, inherent to float32
            // sums that long. The check is then the bound every float32 dot product of length K
            // meets in any summation order (Higham): |c − exact| ≤ γ_K · Σ|a·b|, γ_K = K·u/(1 − K·u),
            // u = 2^-24. A wrong index or transpose misses it by orders of magnitude.
            const abs = reference(a.data.map(Math.abs), b.data.map(Math.abs), m, k, n, ta, tb);
            const u = 2 ** -24;
            const gamma = (k * u) / (1 - k * u);
            let worstRatio = 0;
            for (let i = 0; i < want.length; i++) worstRatio = Math.max(worstRatio, Math.abs(c.data[i]! - want[i]!) / (gamma * abs[i]! + 1e-30));
            expect(worstRatio).toBeLessThanOrEqual(1);
            continue;
          }
          let worst = 0;
          for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(c.data[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
          expect(worst).toBeLessThan(1e-5);
        }
      }
    } finally {
      useBackend('js');
    }
  });

  it('linear adds the bias to every row', () => {
    useBackend(name);
    try {
      const x = tensor([[1, 2], [3, 4], [5, 6]]);
      const w = tensor([[1, 0, -1], [2, 1, 0]]);
      const b = tensor([10, 20, 30]);
      expect(linear(x, w, b).toArray()).toEqual([[15, 22, 29], [21, 24, 27], [27, 26, 25]]);
    } finally {
      useBackend('js');
    }
  });
});
