/**
 * A real data set for the two-parameter model: Auto MPG (the cars of vega-datasets),
 * horsepower → miles per gallon. Both columns are standardized, so the loss surface over
 * (w, b) is round enough to see and its minimum sits at w = correlation, b = 0.
 */
import cars from '@vega-data/cars.json';
import { standardize, tensor, type Tensor } from '../../../src/index.js';

interface CarRecord {
  Horsepower: number | null;
  Miles_per_Gallon: number | null;
}

function load(): { x: Tensor; y: Tensor; horsepower: Float32Array; mpg: Float32Array; stats: { x: [number, number]; y: [number, number] } } {
  // Six cars lack horsepower and eight lack mpg: drop those rows.
  const rows = (cars as CarRecord[]).filter((c) => typeof c.Horsepower === 'number' && typeof c.Miles_per_Gallon === 'number');
  const horsepower = Float32Array.from(rows, (c) => c.Horsepower!);
  const mpg = Float32Array.from(rows, (c) => c.Miles_per_Gallon!);
  const xs = standardize(tensor(horsepower, [rows.length, 1]));
  const ys = standardize(tensor(mpg, [rows.length, 1]));
  return {
    x: xs.x,
    y: ys.x,
    horsepower,
    mpg,
    stats: { x: [xs.mean[0]!, xs.std[0]!], y: [ys.mean[0]!, ys.std[0]!] },
  };
}

export const autoMpg = load();
