/**
 * How much arithmetic a setting asks of the browser, counted before it runs, so a setup that
 * would freeze the page for seconds per frame (12 layers × 512 units on the full batch, 3 × 512
 * units on 5,000 samples) is refused or warned about instead of tried. Work is counted in
 * multiply-adds (MACs) of the dense layers; backpropagation costs about twice the forward pass.
 * The limits are counts, not times: the same setting gets the same answer on every machine.
 */
import type { HiddenLayer } from './state.js';

/** Forward multiply-adds per sample: Σ inputs × units over the dense layers (bias adds ignored). */
export function macsPerSample(inputs: number, layers: readonly HiddenLayer[], outputs: number): number {
  let total = 0;
  let width = inputs;
  for (const layer of layers) {
    total += width * layer.units;
    width = layer.units;
  }
  return total + width * outputs;
}

/**
 * Work the page cannot split across frames: one training iteration (forward and backward of a
 * batch) and the evaluation of both sets at the end of an epoch.
 */
export interface RunCost {
  macsPerSample: number;
  /** One iteration: forward + backward (≈ 2 × forward) over the batch. */
  iteration: number;
  /** End of an epoch: forward over the training and the test set. */
  evaluation: number;
}

export function runCost(inputs: number, layers: readonly HiddenLayer[], outputs: number, batch: number, samples: number): RunCost {
  const perSample = macsPerSample(inputs, layers, outputs);
  return { macsPerSample: perSample, iteration: 3 * batch * perSample, evaluation: samples * perSample };
}

/**
 * Above this, one uninterruptible piece of work takes about a second or more in a browser
 * (WebAssembly reaches roughly 1–3 × 10⁹ multiply-adds per second on a laptop core): the run
 * is refused with what to lower.
 */
export const REFUSE_MACS = 1e9;
/** Above this, a piece takes more than a frame or two: the run goes ahead with a warning. */
export const WARN_MACS = 6e7;

export type CostVerdict =
  | { level: 'ok' }
  | { level: 'warn' | 'refuse'; what: 'iteration' | 'evaluation'; macs: number };

/** The heavier of the two pieces of work, judged against the limits. */
export function judgeCost(cost: RunCost): CostVerdict {
  const what = cost.iteration >= cost.evaluation ? 'iteration' : 'evaluation';
  const macs = Math.max(cost.iteration, cost.evaluation);
  if (macs > REFUSE_MACS) return { level: 'refuse', what, macs };
  if (macs > WARN_MACS) return { level: 'warn', what, macs };
  return { level: 'ok' };
}

/** Work the figures (decision map, neuron maps) may take per redraw. */
export const FIGURE_MACS = 4e6;
export const MAX_GRID = 56;
export const MIN_GRID = 8;
/** The neurons' small maps in the network diagram: finer is wasted at their size. */
export const MAX_MAP_GRID = 14;
export const MIN_MAP_GRID = 5;

/**
 * Side of the decision map's grid: as fine as FIGURE_MACS allows (56 × 56 for small networks),
 * never coarser than 8 × 8.
 */
export function gridSide(perSample: number): number {
  const side = Math.floor(Math.sqrt(FIGURE_MACS / Math.max(1, perSample)));
  return Math.max(MIN_GRID, Math.min(MAX_GRID, side));
}

/** Side of the neuron maps' grid: a quarter of FIGURE_MACS, between 5 × 5 and 14 × 14. */
export function mapGridSide(perSample: number): number {
  const side = Math.floor(Math.sqrt(FIGURE_MACS / 4 / Math.max(1, perSample)));
  return Math.max(MIN_MAP_GRID, Math.min(MAX_MAP_GRID, side));
}

/** "2.9 × 10⁹" style, for the messages. */
export function formatMacs(macs: number): string {
  const exponent = Math.floor(Math.log10(macs));
  const mantissa = macs / 10 ** exponent;
  const superscript = String(exponent).replace(/[0-9-]/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'['0123456789'.indexOf(d)] ?? '⁻');
  return `${mantissa.toFixed(1)} × 10${superscript}`;
}
