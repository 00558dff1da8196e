/**
 * "did you mean": the closest known name to a mistyped one, as commander does for flags.
 * Browser-safe: the library checks option objects with it, the command line its flags.
 */

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Lower case without separators, so 'validation_split' and 'input-shape' meet 'validationSplit' and 'inputShape'. */
function plain(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/** The known name closest to `input` when it is close enough to be a typo, else null. */
export function closest(input: string, known: readonly string[]): string | null {
  const lower = input.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of known) {
    // Same name in another spelling (snake_case, kebab-case): as close as can be.
    const dist = plain(name) === plain(input) && name !== input ? 0.5 : distance(lower, name.toLowerCase());
    if (dist < bestDistance) {
      best = name;
      bestDistance = dist;
    }
  }
  // Same rule of thumb as commander: at most 40% of the name may differ.
  return best !== null && bestDistance > 0 && (bestDistance - 1) / Math.max(input.length, 1) < 0.4 ? best : null;
}

/** " (did you mean 'x'?)" or "". */
export function didYouMean(input: string, known: readonly string[]): string {
  const guess = closest(input, known);
  return guess === null ? '' : ` (did you mean '${guess}'?)`;
}
