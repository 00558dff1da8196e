/**
 * The learning-rate range test (Leslie Smith, 2015; fastai's lr_find): train for a short
 * while with a learning rate that grows exponentially each iteration, watch the loss, and
 * pick a rate where the loss falls fastest — well before it blows up.
 */

export interface RangeTestResult {
  learningRates: number[];
  losses: number[];
  /** The loss averaged over a centred window of iterations (no lag: the curve is not shifted). */
  smoothed: number[];
  /** Where the smoothed loss falls fastest per unit of log(learning rate). */
  suggested: number | null;
  /** Where the smoothed loss is lowest. */
  lowest: number | null;
  /** The iteration (0-based) from which the loss had diverged, if it did. */
  divergedAt: number | null;
}

/** The loss counts as diverged once it is this many times its best (smoothed) value. */
export const DIVERGENCE_FACTOR = 4;

/**
 * Running average for watching the loss while it happens (causal, bias-corrected, as
 * fastai's); beta 0.9 averages about the last 10 iterations.
 */
export function runningAverage(losses: readonly number[], beta = 0.9): number[] {
  let average = 0;
  return losses.map((loss, i) => {
    average = beta * average + (1 - beta) * loss;
    return average / (1 - beta ** (i + 1));
  });
}

/**
 * Mean over a window centred on each point (narrower at the ends). Unlike a running
 * average it does not drag the curve towards larger learning rates.
 */
export function centredAverage(values: readonly number[], halfWidth: number): number[] {
  return values.map((_, i) => {
    let sum = 0;
    let count = 0;
    for (let j = Math.max(0, i - halfWidth); j <= Math.min(values.length - 1, i + halfWidth); j++) {
      sum += values[j]!;
      count++;
    }
    return sum / count;
  });
}

/** The first iteration whose value is non-finite or DIVERGENCE_FACTOR times the best before it. */
export function divergence(values: readonly number[]): number | null {
  let best = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || (i > 0 && v > DIVERGENCE_FACTOR * best)) return i;
    best = Math.min(best, v);
  }
  return null;
}

export function analyseRangeTest(learningRates: readonly number[], losses: readonly number[]): RangeTestResult {
  const divergedAt = divergence(runningAverage(losses));
  const end = divergedAt ?? losses.length;
  const smoothed = centredAverage(losses, Math.max(2, Math.round(losses.length / 25)));
  let lowestAt = -1;
  for (let i = 0; i < end; i++) if (Number.isFinite(smoothed[i]!) && (lowestAt < 0 || smoothed[i]! < smoothed[lowestAt]!)) lowestAt = i;
  // Steepest descent: the most negative slope d(smoothed)/d(log lr), before the lowest point
  // (past it the loss only rises).
  let suggested: number | null = null;
  let steepest = 0;
  for (let i = 1; i <= lowestAt; i++) {
    const slope = (smoothed[i]! - smoothed[i - 1]!) / (Math.log(learningRates[i]!) - Math.log(learningRates[i - 1]!));
    if (slope < steepest) {
      steepest = slope;
      suggested = learningRates[i]!;
    }
  }
  return {
    learningRates: [...learningRates],
    losses: [...losses],
    smoothed,
    suggested,
    lowest: lowestAt < 0 ? null : learningRates[lowestAt]!,
    divergedAt,
  };
}
