import { describe, expect, it } from 'vitest';
import { gradcheck, linear, randn, tensor, relu, meanSquaredError } from '../src/index.js';

describe('smoke', () => {
  it('backward through linear + relu + mse matches finite differences', () => {
    const x = randn([5, 7]);
    const w = randn([7, 3]);
    const b = randn([3]);
    const y = randn([5, 3]);
    const r = gradcheck((x, w, b) => meanSquaredError(y, relu(linear(x, w, b))), [x, w, b]);
    expect(r.ok).toBe(true);
  });
  it('matmul transposed forms', () => {
    const a = randn([70, 90]);
    const b = randn([90, 50]);
    const r = gradcheck((a, b) => a.matmul(b).tanh(), [a, b], { atol: 1e-4 });
    expect(r.ok).toBe(true);
    const t = tensor([[1, 2], [3, 4]]);
    expect(t.matmul(t, { transposeA: true }).toArray()).toEqual([[10, 14], [14, 20]]);
  });
});
