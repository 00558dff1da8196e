/**
 * Reading untrusted JSON (model files come from anywhere): every accessor checks the type
 * and says which field of which file was wrong, as a ModelFormatError. Nothing here trusts
 * a value before it is checked, so a hostile file can only produce our error, never a crash.
 */
import { ModelFormatError } from '../errors.js';

/** Where a value sits: the file and the path of fields in it, e.g. `model.json: layers[2].config.units`. */
export class JsonPath {
  constructor(
    readonly file: string,
    readonly path: string = '',
  ) {}

  key(name: string): JsonPath {
    return new JsonPath(this.file, this.path === '' ? name : `${this.path}.${name}`);
  }

  index(i: number): JsonPath {
    return new JsonPath(this.file, `${this.path}[${i}]`);
  }

  toString(): string {
    return this.path === '' ? this.file : `${this.file}: ${this.path}`;
  }

  fail(what: string): never {
    throw new ModelFormatError(`${this.toString()} ${what}`);
  }
}

export type JsonObject = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export function asObject(value: unknown, at: JsonPath): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) at.fail(`must be an object, got ${describe(value)}`);
  return value as JsonObject;
}

export function asArray(value: unknown, at: JsonPath): unknown[] {
  if (!Array.isArray(value)) at.fail(`must be an array, got ${describe(value)}`);
  return value;
}

export function asString(value: unknown, at: JsonPath): string {
  if (typeof value !== 'string') at.fail(`must be a string, got ${describe(value)}`);
  return value;
}

export function asNumber(value: unknown, at: JsonPath): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) at.fail(`must be a finite number, got ${describe(value)}`);
  return value;
}

export function asBoolean(value: unknown, at: JsonPath): boolean {
  if (typeof value !== 'boolean') at.fail(`must be true or false, got ${describe(value)}`);
  return value;
}

/** An integer in [min, max]. */
export function asInteger(value: unknown, at: JsonPath, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    at.fail(`must be an integer in [${min}, ${max}], got ${describe(value)}`);
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, choices: readonly T[], at: JsonPath): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    at.fail(`must be one of ${choices.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

/** JSON.parse with the file named in the error (truncated or corrupted files land here). */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ModelFormatError(`${file} is not valid JSON (${(error as Error).message}); the file may be truncated or not a model file`);
  }
}
