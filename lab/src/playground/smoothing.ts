/** The trend of a noisy curve (batch losses), without DOM so it can be tested in Node. */

/** Weight of the newest batch in the smoothed curve (an exponential moving average). */
export const SMOOTHING = 0.05;

/**
 * The exponential moving average of `values`, bias-corrected as TensorBoard does (the first
 * values are not pulled towards zero).
 */
export function smoothed(values: readonly number[], alpha = SMOOTHING): number[] {
  const out: number[] = [];
  let average = 0;
  let weight = 0;
  for (const v of values) {
    average = (1 - alpha) * average + alpha * v;
    weight = (1 - alpha) * weight + alpha;
    out.push(average / weight);
  }
  return out;
}
