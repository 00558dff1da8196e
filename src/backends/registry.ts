/** Which backend runs the kernels: `setBackend(name)`, `getBackend()`. */
import { ValueError } from '../errors.js';
import type { FloatArray } from '../tensor/tensor.js';
import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

const backends = new Map<string, Backend>([[jsBackend.name, jsBackend]]);
let current: Backend = jsBackend;

export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

export function setBackend(name: string): void {
  const b = backends.get(name);
  if (b === undefined) {
    throw new ValueError(`setBackend: unknown backend '${name}'; available: ${[...backends.keys()].join(', ')}`);
  }
  current = b;
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
