/**
 * Did the loss fall? Named from the numbers alone (pure), so a page can say "the loss did not
 * fall: lower η" instead of showing a flat curve without a word. Used by the vanishing-gradient
 * networks; any page that trains (MNIST with Adam at η = 0.1) can call it on its batch losses.
 */
export type LossTrend =
  /** Not enough iterations yet to say. */
  | 'tooEarly'
  | 'falling'
  /** The recent losses are not clearly below the first ones. */
  | 'didNotFall'
  /** A loss is not a finite number any more. */
  | 'diverged';

export interface LossTrendOptions {
  /** Losses averaged at each end (batch losses are noisy). Default 20. */
  window?: number;
  /** The recent mean must be below the first mean by this share of it. Default 0.1 (10 %). */
  minDrop?: number;
}

export function lossTrend(losses: readonly number[], options: LossTrendOptions = {}): LossTrend {
  const window = options.window ?? 20;
  const minDrop = options.minDrop ?? 0.1;
  if (losses.some((v) => !Number.isFinite(v))) return 'diverged';
  if (losses.length < 2 * window) return 'tooEarly';
  const mean = (part: readonly number[]): number => part.reduce((a, b) => a + b, 0) / part.length;
  const first = mean(losses.slice(0, window));
  const recent = mean(losses.slice(losses.length - window));
  return recent < first * (1 - minDrop) ? 'falling' : 'didNotFall';
}
