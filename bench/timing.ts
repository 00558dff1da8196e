/** Timing helpers: warm up, then the median of several timed rounds. */

/**
 * Seconds per call of `fn`: after two warm-up calls, 7 rounds of enough calls to last ~1/7 of
 * the budget each (at least one); the median round.
 */
export function medianSeconds(fn: () => unknown, budgetSeconds: number): number {
  fn();
  const t0 = performance.now();
  fn();
  const once = Math.max((performance.now() - t0) / 1000, 1e-7);
  const perRound = Math.max(1, Math.round(budgetSeconds / 7 / once));
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const start = performance.now();
    for (let i = 0; i < perRound; i++) fn();
    rounds.push((performance.now() - start) / 1000 / perRound);
  }
  rounds.sort((a, b) => a - b);
  return rounds[3]!;
}

/** Same, for functions that return a promise. */
export async function medianSecondsAsync(fn: () => Promise<unknown>, budgetSeconds: number): Promise<number> {
  await fn();
  const t0 = performance.now();
  await fn();
  const once = Math.max((performance.now() - t0) / 1000, 1e-7);
  const perRound = Math.max(1, Math.round(budgetSeconds / 7 / once));
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const start = performance.now();
    for (let i = 0; i < perRound; i++) await fn();
    rounds.push((performance.now() - start) / 1000 / perRound);
  }
  rounds.sort((a, b) => a - b);
  return rounds[3]!;
}
