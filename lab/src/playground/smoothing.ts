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

/**
 * smoothed() kept up to date as values arrive: each update averages only the new values, so
 * a long run (hundreds of thousands of iterations) costs nothing more per frame and allocates
 * no new array of its whole length. `values` equals smoothed(all values so far), to the bit.
 */
export class RunningSmoother {
  readonly values: number[] = [];
  private average = 0;
  private weight = 0;

  constructor(private readonly alpha = SMOOTHING) {}

  /** Take in the values of `all` past the ones already seen (all must extend what was seen). */
  extend(all: readonly number[]): readonly number[] {
    if (all.length < this.values.length) this.reset();
    const { alpha } = this;
    for (let i = this.values.length; i < all.length; i++) {
      this.average = (1 - alpha) * this.average + alpha * all[i]!;
      this.weight = (1 - alpha) * this.weight + alpha;
      this.values.push(this.average / this.weight);
    }
    return this.values;
  }

  reset(): void {
    this.values.length = 0;
    this.average = 0;
    this.weight = 0;
  }
}
