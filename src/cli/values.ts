/**
 * Checking option values. A value comes from a flag (a string) or from a --config file (a
 * JSON value); both go through the same checks, and the message names where it came from:
 * "--lr must be a positive number, got '-1'" or "run.json: "lr" must be ...".
 */
import { CliError } from './errors.js';
import { didYouMean } from './suggest.js';

/** Where a value came from, for messages: a flag name or a key of a config file. */
export interface Source {
  /** '--batch-size' or 'run.json: "batchSize"'. */
  label: string;
}

export function flagSource(flag: string): Source {
  return { label: flag };
}

export function configSource(file: string, key: string): Source {
  return { label: `${file}: "${key}"` };
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

function fail(source: Source, what: string, value: unknown): never {
  throw new CliError(`${source.label} must be ${what}, got ${show(value)}`);
}

/** A number from a JSON number or a decimal string ("1e-3", "0.5"); nothing else. */
function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

export function positiveNumber(value: unknown, source: Source): number {
  const n = toNumber(value);
  if (n === null || !(n > 0)) fail(source, 'a positive number', value);
  return n;
}

export function positiveInteger(value: unknown, source: Source): number {
  const n = toNumber(value);
  if (n === null || !Number.isInteger(n) || n < 1) fail(source, 'a positive whole number', value);
  return n;
}

export function nonNegativeInteger(value: unknown, source: Source): number {
  const n = toNumber(value);
  if (n === null || !Number.isInteger(n) || n < 0) fail(source, 'a whole number >= 0', value);
  return n;
}

/** A seed: any whole number (the generator uses its low 32 bits). */
export function integer(value: unknown, source: Source): number {
  const n = toNumber(value);
  if (n === null || !Number.isInteger(n)) fail(source, 'a whole number', value);
  return n;
}

/** A fraction in [0, 1) (a validation split) or (0, 1) when zero is not allowed. */
export function fraction(value: unknown, source: Source, allowZero: boolean): number {
  const n = toNumber(value);
  if (n === null || n >= 1 || n < 0 || (!allowZero && n === 0)) fail(source, `a fraction in ${allowZero ? '[0, 1)' : '(0, 1)'}`, value);
  return n;
}

/** Samples per iteration: a positive whole number or 'full' (batch gradient descent). */
export function batchSize(value: unknown, source: Source): number | 'full' {
  if (value === 'full') return 'full';
  const n = toNumber(value);
  if (n === null || !Number.isInteger(n) || n < 1) fail(source, "a positive whole number or 'full' (all samples: batch gradient descent)", value);
  return n;
}

export function bool(value: unknown, source: Source): boolean {
  if (typeof value === 'boolean') return value;
  fail(source, 'true or false', value);
}

export function text(value: unknown, source: Source): string {
  if (typeof value !== 'string' || value.trim() === '') fail(source, 'a non-empty string', value);
  return value.trim();
}

/** One of a fixed set of names, with "did you mean" for a typo. */
export function choice<T extends string>(value: unknown, choices: readonly T[], source: Source): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  const hint = typeof value === 'string' ? didYouMean(value, choices) : '';
  throw new CliError(`${source.label}: unknown value ${show(value)}${hint}; choose one of: ${choices.join(', ')}`);
}

/**
 * A list from "a,b,c" (a flag) or ["a", "b"] / "a,b" (a config file). An empty string or
 * "none" is the empty list (a model without hidden layers).
 */
export function list(value: unknown, source: Source): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'number') return [value];
  if (typeof value !== 'string') fail(source, 'a comma-separated list', value);
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'none') return [];
  const items = trimmed.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) fail(source, 'a comma-separated list without empty items', value);
  return items;
}

/** Hidden layer sizes: "128,64" → [128, 64]; "none" → [] (no hidden layer). */
export function layerSizes(value: unknown, source: Source): number[] {
  return list(value, source).map((item) => {
    const n = toNumber(item);
    if (n === null || !Number.isInteger(n) || n < 1) {
      throw new CliError(`${source.label}: every layer size must be a positive whole number, got ${show(item)} (write e.g. 128,64, or none for no hidden layer)`);
    }
    return n;
  });
}
