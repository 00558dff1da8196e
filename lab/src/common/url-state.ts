/**
 * Page settings in the URL's query string, so a link reproduces what the sender saw.
 * `lang` is left alone (the language switch owns it).
 */
export function readParams(): URLSearchParams {
  return new URLSearchParams(location.search);
}

/** Replace the page's settings in the URL without adding a history entry. */
export function writeParams(values: Record<string, string>): void {
  const url = new URL(location.href);
  const lang = url.searchParams.get('lang');
  url.search = '';
  for (const [key, value] of Object.entries(values)) url.searchParams.set(key, value);
  if (lang !== null) url.searchParams.set('lang', lang);
  history.replaceState(history.state, '', url);
}

/**
 * Set only `values` in the URL, keeping every other parameter: on a page whose sections each own
 * some keys (the loss and activation pages), one section's change must not erase another's.
 */
export function updateParams(values: Record<string, string>): void {
  const url = new URL(location.href);
  for (const [key, value] of Object.entries(values)) url.searchParams.set(key, value);
  history.replaceState(history.state, '', url);
}

/** A list of numbers from the URL (comma-separated), or `fallback` unless there are exactly `count`, each within [min, max]. */
export function numberListParam(params: URLSearchParams, key: string, fallback: readonly number[], min: number, max: number): number[] {
  const raw = params.get(key);
  if (raw === null) return [...fallback];
  const values = raw.split(',').map((v) => (v.trim() === '' ? Number.NaN : Number(v)));
  return values.length === fallback.length && values.every((v) => Number.isFinite(v) && v >= min && v <= max) ? values : [...fallback];
}

/** A number from the URL, or `fallback` when absent or not a finite number within [min, max]. */
export function numberParam(params: URLSearchParams, key: string, fallback: number, min = -Infinity, max = Infinity): number {
  const raw = params.get(key);
  if (raw === null || raw.trim() === '') return fallback;
  const v = Number(raw);
  return Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

/** One of `allowed`, or `fallback`. */
export function choiceParam<V extends string>(params: URLSearchParams, key: string, allowed: readonly V[], fallback: V): V {
  const raw = params.get(key);
  return raw !== null && (allowed as readonly string[]).includes(raw) ? (raw as V) : fallback;
}
