/**
 * Which ReLU neurons are dead: z ≤ 0 for every input in the region the page lets you choose, so
 * a = 0 and f′(z) = 0 everywhere: no gradient ever reaches their incoming weights and gradient
 * descent cannot bring them back. (Inactive for one input only is normal; dead is for all.)
 */
import { getActivation, noGrad, tensor, type Dense, type Sequential } from '../../../src/index.js';

/** Inputs x₁, x₂ on a grid over [lo, hi]² (the sliders' range). */
export function inputGrid(lo: number, hi: number, side: number): { data: Float32Array; count: number } {
  const data = new Float32Array(side * side * 2);
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      data[(j * side + i) * 2] = lo + ((hi - lo) * i) / (side - 1);
      data[(j * side + i) * 2 + 1] = lo + ((hi - lo) * j) / (side - 1);
    }
  }
  return { data, count: side * side };
}

/** For every hidden layer, which units never have z > 0 over the grid (only for ReLU layers). */
export function deadUnits(model: Sequential, lo = -2, hi = 2, side = 41): boolean[][] {
  const grid = inputGrid(lo, hi, side);
  const layers = model.layers as Dense[];
  return noGrad(() => {
    let a = tensor(grid.data, [grid.count, 2]);
    const out: boolean[][] = [];
    for (const layer of layers.slice(0, -1)) {
      const z = layer.preActivation(a);
      const units = z.shape[1]!;
      const dead = Array.from({ length: units }, () => true);
      const values = z.data;
      for (let k = 0; k < values.length; k++) if (values[k]! > 0) dead[k % units] = false;
      out.push(layer.activation === 'relu' ? dead : dead.map(() => false));
      a = getActivation(layer.activation)(z);
    }
    return out;
  });
}
