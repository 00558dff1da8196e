/**
 * What an optimizer's path is doing, named from its numbers alone (pure: no engine, no DOM), so
 * the page can say "oscillating" or "SGD noise" instead of "descending…" until the iteration
 * limit, and a test can check every verdict directly.
 */

export type Outcome =
  /** Still making progress. */
  | 'running'
  /** The loss grew without bound. */
  | 'diverged'
  /** At the lowest point, the gradient almost zero. */
  | 'converged'
  /** Stopped where the gradient is almost zero but the loss is not the lowest (local minimum, saddle). */
  | 'flat'
  /** Every step jumps across the minimum and the loss no longer falls (η at the edge of stability). */
  | 'oscillating'
  /** An adaptive optimizer (RMSProp, Adam) whose steps of about η circle a point instead of settling on it. */
  | 'hovering'
  /** Mini-batch or stochastic steps bounce around the minimum: each batch pulls elsewhere. */
  | 'noisy'
  /** The full-gradient path stopped lowering the loss for another reason. */
  | 'stalled';

/** Outcomes after which more iterations change nothing worth watching: the page stops playing. */
export const finalOutcomes: ReadonlySet<Outcome> = new Set(['diverged', 'converged', 'flat', 'oscillating', 'hovering', 'stalled']);

/** Iterations over which "the loss no longer falls" is judged (exact gradients). */
export const WINDOW = 40;
/** Mini-batch and stochastic paths are judged over a longer window: single batches are noisy. */
export const NOISY_WINDOW = 200;

export interface Trajectory {
  /** Full loss at the start and after every step. */
  losses: readonly number[];
  /** Points visited: the start and the point after every step. */
  path: readonly (readonly [number, number])[];
  /** Norm of the full gradient at the current point. */
  gradientNorm: number;
  /** Lowest and highest loss of the plotted region: the scale for every tolerance. */
  lossRange: readonly [number, number];
  /** Largest side of the plotted region. */
  domainSize: number;
  /** True when every step used the full gradient (no batches). */
  exactGradient: boolean;
  /** RMSProp and Adam scale their steps per weight: a stuck path of theirs hovers. */
  adaptive: boolean;
}

/**
 * Did the last half of `values` fall below the first half? For exact paths either its lowest or
 * its highest value must drop (a damped wave lowers its crests while a lucky early trough may
 * stay the lowest point); for noisy paths the mean must drop, since their lows are luck. The
 * drop must beat `share` of the first half's height above `low`: a path that creeps by less is stuck.
 */
function stillFalling(values: readonly number[], low: number, share: number, noisy: boolean): boolean {
  const half = Math.floor(values.length / 2);
  const early = values.slice(0, half);
  const late = values.slice(half);
  const dropped = (a: number, b: number): boolean => b < a - share * Math.max(a - low, 0);
  if (noisy) {
    const mean = (part: readonly number[]): number => part.reduce((x, y) => x + y, 0) / part.length;
    return dropped(mean(early), mean(late));
  }
  return dropped(Math.min(...early), Math.min(...late)) || dropped(Math.max(...early), Math.max(...late));
}

/**
 * Is the path closing in on a point? Its steps keep their direction (almost no reversals) and the
 * later half of them are shorter than the earlier half: gradient descent with a small η near a
 * minimum, where each step shrinks by a constant factor.
 */
export function settling(path: readonly (readonly [number, number])[]): boolean {
  if (path.length < 4) return false;
  const lengths: number[] = [];
  for (let k = 1; k < path.length; k++) lengths.push(Math.hypot(path[k]![0] - path[k - 1]![0], path[k]![1] - path[k - 1]![1]));
  const half = Math.floor(lengths.length / 2);
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  const early = sum(lengths.slice(0, half)) / half;
  const late = sum(lengths.slice(half)) / (lengths.length - half);
  return reversalShare(path) < 0.2 && late < 0.95 * early;
}

/** Share of consecutive step pairs that point in opposite directions (negative dot product). */
export function reversalShare(path: readonly (readonly [number, number])[]): number {
  let pairs = 0;
  let reversed = 0;
  for (let k = 2; k < path.length; k++) {
    const [a0, a1] = [path[k - 1]![0] - path[k - 2]![0], path[k - 1]![1] - path[k - 2]![1]];
    const [b0, b1] = [path[k]![0] - path[k - 1]![0], path[k]![1] - path[k - 1]![1]];
    pairs++;
    if (a0 * b0 + a1 * b1 < 0) reversed++;
  }
  return pairs === 0 ? 0 : reversed / pairs;
}

export function classifyTrajectory(t: Trajectory): Outcome {
  const [low, high] = t.lossRange;
  const span = Math.max(high - low, 1e-6);
  const n = t.losses.length;
  const loss = t.losses[n - 1]!;
  const here = t.path[t.path.length - 1]!;
  if (!Number.isFinite(loss) || loss - low > 20 * span || Math.hypot(here[0], here[1]) > 20 * t.domainSize) return 'diverged';
  if (n < 2) return 'running';
  const before = t.path[t.path.length - 2]!;
  const moved = Math.hypot(here[0] - before[0], here[1] - before[1]);
  const flatHere = t.gradientNorm < 1e-3 * Math.max(1, span / 10);
  // NOTE: a stochastic or mini-batch path never stops moving (each batch pulls elsewhere);
  // only the full gradient says whether it has settled there.
  if (flatHere && (!t.exactGradient || moved < 1e-4)) return loss - low < 0.02 * span ? 'converged' : 'flat';
  // Progress is judged relative to how far above the bottom the path still is, so a path that
  // is converging ever more finely keeps counting as progress.
  if (!t.exactGradient) {
    if (n <= NOISY_WINDOW) return 'running';
    return stillFalling(t.losses.slice(n - NOISY_WINDOW), low, 0.01, true) ? 'running' : 'noisy';
  }
  if (n <= WINDOW) return 'running';
  const recent = t.losses.slice(n - WINDOW);
  if (stillFalling(recent, low, 1e-3, false)) return 'running';
  // A small η creeping into a minimum lowers the loss by less than float32 can show (the loss
  // ties and wobbles by an ulp) while the gradient is still above the flat test. The path still
  // says what is happening: steps in one direction, each shorter than the last, settling on a point.
  if (!t.adaptive && settling(t.path.slice(t.path.length - WINDOW))) return loss - low < 0.02 * span ? 'converged' : 'flat';
  if (t.adaptive) return 'hovering';
  return reversalShare(t.path.slice(t.path.length - WINDOW)) > 0.8 ? 'oscillating' : 'stalled';
}

/**
 * How a momentum-style optimizer (momentum, Nesterov, Adam) did against plain gradient descent
 * with the same η from the same start: the caption under the valley says which.
 */
export type Comparison = 'faster' | 'slower' | 'overshoots' | 'bothFail' | 'none';

export function compareWithPlainDescent(
  run: { outcome: Outcome; iterations: number },
  plain: { outcome: Outcome; iterations: number },
): Comparison {
  const ok = (o: Outcome): boolean => o === 'converged';
  if (ok(run.outcome) && ok(plain.outcome)) return run.iterations < plain.iterations ? 'faster' : 'slower';
  if (ok(run.outcome)) return 'faster';
  if (ok(plain.outcome)) return run.outcome === 'running' || run.outcome === 'noisy' ? 'none' : 'overshoots';
  return finalOutcomes.has(run.outcome) && finalOutcomes.has(plain.outcome) ? 'bothFail' : 'none';
}

/**
 * While a momentum-style run plays, against plain gradient descent with the same η from the same
 * start, iteration for iteration: ahead (lower loss at this iteration), behind, or level; and
 * the first iteration where its loss rose (a full-gradient step that raises the loss has
 * overshot: it jumped past the valley floor), or null.
 */
export interface LiveComparison {
  standing: 'ahead' | 'behind' | 'level';
  /** Plain descent's loss at the same iteration (its last one once it has stopped). */
  plainLoss: number;
  firstRise: number | null;
}

export function compareSoFar(run: readonly number[], plain: readonly number[], lossRange: readonly [number, number]): LiveComparison {
  const span = Math.max(lossRange[1] - lossRange[0], 1e-6);
  // A rise smaller than this is float32 rounding near the minimum, not an overshoot.
  const tolerance = 1e-4 * span;
  let firstRise: number | null = null;
  for (let k = 1; k < run.length && firstRise === null; k++) if (run[k]! > run[k - 1]! + tolerance) firstRise = k;
  const k = run.length - 1;
  const plainLoss = plain[Math.min(k, plain.length - 1)]!;
  const here = run[k]!;
  const standing = here < plainLoss - tolerance ? 'ahead' : here > plainLoss + tolerance ? 'behind' : 'level';
  return { standing, plainLoss, firstRise };
}

/** The ball on the parabola L(w) = w²: where it stands after the positions in `trail`. */
export type ParabolaState = 'ready' | 'descending' | 'bouncing' | 'oscillating' | 'converged' | 'diverged';

/** |w| beyond which the ball has left the picture for good. */
export const PARABOLA_ESCAPE = 12;
/** |w| under which the ball is at the minimum (the picture cannot show the difference). */
export const PARABOLA_AT_MINIMUM = 1e-3;

export function parabolaState(trail: readonly number[]): ParabolaState {
  const x = trail[trail.length - 1]!;
  if (!Number.isFinite(x) || Math.abs(x) > PARABOLA_ESCAPE) return 'diverged';
  if (Math.abs(x) < PARABOLA_AT_MINIMUM) return 'converged';
  if (trail.length < 2) return 'ready';
  const previous = trail[trail.length - 2]!;
  if (Math.sign(x) === Math.sign(previous)) return 'descending';
  // Across the minimum at the same distance (η = 1): the ball jumps between two mirror points for ever.
  if (Math.abs(Math.abs(x) - Math.abs(previous)) <= 1e-6 * Math.abs(previous)) return 'oscillating';
  return 'bouncing';
}

/** States after which another step changes nothing worth watching: play stops. */
export function parabolaFinished(state: ParabolaState): boolean {
  return state === 'converged' || state === 'diverged' || state === 'oscillating';
}
