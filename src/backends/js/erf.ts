/**
 * The error function, accurate to ~1e-15 (exact GELU needs it and JS has no Math.erf).
 * Power series near 0; Laplace's continued fraction for erfc in the tails, where the series
 * would cancel catastrophically.
 */
const TWO_OVER_SQRT_PI = 1.1283791670955126;

export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (ax > 6) return Math.sign(x);
  const r = erfcContinuedFraction(ax);
  return x > 0 ? 1 - r : r - 1;
}

/** erfc(x) for x >= 2.5: exp(-x²)/sqrt(pi) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
function erfcContinuedFraction(x: number): number {
  let f = x;
  for (let n = 60; n >= 1; n--) f = x + n / 2 / f;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}
