/**
 * Where `model.save(destination)` and `loadModelFrom(source)` go, by URL scheme, as in
 * TensorFlow.js: `localstorage://name`, `downloads://name` in a browser, `file://dir` (or a
 * plain path) in Node once 'gradiente/node' is imported. Each front end registers the
 * stores it can offer, so the model code itself needs no browser or Node API.
 */
import { ValueError } from '../errors.js';
import type { Sequential } from '../nn/sequential.js';

export interface ModelStore {
  save(model: Sequential, location: string): Promise<void> | void;
  /** Stores that can only write (downloads) leave this out. */
  load?(location: string): Promise<Sequential> | Sequential;
}

const stores = new Map<string, ModelStore>();
/** The scheme a destination without one means ('file' in Node). */
let defaultScheme: string | null = null;

export function registerModelStore(scheme: string, store: ModelStore, options: { isDefault?: boolean } = {}): void {
  stores.set(scheme, store);
  if (options.isDefault) defaultScheme = scheme;
}

function resolve(destination: string, purpose: 'save' | 'load'): { store: ModelStore; scheme: string; location: string } {
  if (typeof destination !== 'string' || destination.length === 0) {
    throw new ValueError(`${purpose}: expected a destination such as 'localstorage://my-model' or, in Node, a folder path`);
  }
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(destination);
  const scheme = match ? match[1]!.toLowerCase() : defaultScheme;
  const location = match ? match[2]! : destination;
  const store = scheme === null ? undefined : stores.get(scheme);
  if (store === undefined || scheme === null) {
    const known = [...stores.keys()].map((s) => `${s}://`).join(', ') || 'none';
    throw new ValueError(
      `${purpose}: no model store for '${destination}'; available here: ${known}` +
        (stores.has('file') ? '' : " (folders on disk need Node: import from 'gradiente/node')"),
    );
  }
  if (location.length === 0) throw new ValueError(`${purpose}: '${destination}' names no location after ${scheme}://`);
  return { store, scheme, location };
}

export async function saveModelTo(model: Sequential, destination: string): Promise<void> {
  const { store, location } = resolve(destination, 'save');
  await store.save(model, location);
}

/** A model saved with model.save(destination), e.g. loadModelFrom('localstorage://digits'). */
export async function loadModelFrom(source: string): Promise<Sequential> {
  const { store, scheme, location } = resolve(source, 'load');
  if (store.load === undefined) throw new ValueError(`load: models cannot be read back from ${scheme}://`);
  return store.load(location);
}
