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
