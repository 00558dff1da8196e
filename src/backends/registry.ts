/** Which backend runs the kernels: `setBackend(name)`, `getBackend()`. */
import { ValueError } from '../errors.js';
import type { FloatArray } from '../tensor/tensor.js';
import type { Backend, BackendOptions } from './backend.js';
import { jsBackend } from './js/index.js';

const backends = new Map<string, Backend>([[jsBackend.name, jsBackend]]);
let current: Backend = jsBackend;

export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/**
 * Make `name` the current backend. `options.threads` sets how many threads its large matrix
 * products use, for a backend that has threads ('native'); the others ignore it.
 */
export function setBackend(name: string, options: BackendOptions = {}): void {
  const b = backends.get(name);
  if (b === undefined) {
    throw new ValueError(`setBackend: unknown backend '${name}'; available: ${[...backends.keys()].join(', ')}`);
  }
  if (options.threads !== undefined) {
    if (!(Number.isInteger(options.threads) && options.threads >= 1)) {
      throw new ValueError(`setBackend: threads must be a whole number >= 1, got ${options.threads}`);
    }
    b.configure?.(options);
  }
  current = b;
}

/**
 * Backends faster than 'wasm' that only some hosts can load (the 'native' addon, in Node).
 * The Node entry point offers its loader here; ready() tries these first, in the order
 * offered, and a browser build, which never imports that code, simply has none.
 */
export interface BackendLoader {
  readonly name: string;
  /** Register the backend and resolve true, or resolve false when it cannot run here (never reject). */
  load(): Promise<boolean>;
}

const loaders: BackendLoader[] = [];

export function offerBackend(loader: BackendLoader): void {
  if (!loaders.some((l) => l.name === loader.name)) loaders.push(loader);
}

/** The loaders ready() tries before 'wasm'. */
export function offeredBackends(): readonly BackendLoader[] {
  return loaders;
}

/** The name of the backend in use. */
export function getBackend(): string {
  return current.name;
}

export function listBackends(): string[] {
  return [...backends.keys()];
}

/** The backend for these arrays: the current one, or the reference one for float64. */
export function kernels(...arrays: FloatArray[]): Backend {
  if (current.float32Only) {
    for (const a of arrays) if (a instanceof Float64Array) return jsBackend;
  }
  return current;
}
