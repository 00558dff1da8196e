/**
 * What the host engine offers the 'wasm' backend, found by feature detection: Node or a
 * browser, shared memory, workers, blocking waits, core count.
 *
 * NOTE: this file must stay loadable in a browser. Node built-ins are loaded only when
 * running in Node, through `import()` of a specifier held in a variable, which bundlers do
 * not follow (so a browser bundle never tries to include them).
 */

interface NodeProcessLike {
  versions?: { node?: string };
}

/** True in Node (and runtimes that provide Node's built-in modules). */
export function isNode(): boolean {
  const p = (globalThis as { process?: NodeProcessLike }).process;
  return typeof p?.versions?.node === 'string';
}

/** A Node built-in module, or null outside Node or when it cannot be loaded. */
async function nodeBuiltin<T>(name: string): Promise<T | null> {
  if (!isNode()) return null;
  try {
    return (await import(/* @vite-ignore */ name)) as T;
  } catch {
    return null;
  }
}

/**
 * Node 20 validates relaxed-SIMD modules only with --experimental-wasm-relaxed-simd; the flag
 * can also be set from inside the process before compiling. Unsupported officially, so the
 * caller still checks with WebAssembly.validate and falls back to plain SIMD. Browsers that
 * ship relaxed SIMD need nothing.
 */
export async function allowRelaxedSimd(): Promise<void> {
  const v8 = await nodeBuiltin<typeof import('node:v8')>('node:v8');
  try {
    v8?.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // Not V8, or the flag is gone because the feature is on by default.
  }
}

/** Logical cores available to this process (1 when unknown). */
export async function hardwareConcurrency(): Promise<number> {
  const os = await nodeBuiltin<typeof import('node:os')>('node:os');
  if (os !== null) return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/**
 * Shared WebAssembly memory works here: SharedArrayBuffer exists and, in a browser, the
 * page is cross-origin isolated (COOP/COEP headers), without which memory cannot be shared
 * with workers.
 */
export function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (!isNode() && isolated !== true) return false;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/** Atomics.wait is allowed on this thread (not on a browser's main thread). */
export function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** The little a thread pool needs from a worker, the same in Node and in browsers. */
export interface HostWorker {
  post(message: unknown): void;
  onMessage(handler: (data: unknown) => void): void;
  onError(handler: (error: unknown) => void): void;
  /** Let the host exit while this worker waits for work (Node; nothing to do in browsers). */
  unref(): void;
  terminate(): void;
}

/**
 * A function that starts a worker running the given (plain JavaScript) source, or null
 * when this host has no workers.
 */
export async function workerFactory(): Promise<((source: string) => HostWorker) | null> {
  if (isNode()) {
    const threads = await nodeBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
    if (threads === null) return null;
    return (source) => {
      const worker = new threads.Worker(source, { eval: true });
      return {
        post: (message) => worker.postMessage(message),
        onMessage: (handler) => worker.on('message', handler),
        onError: (handler) => worker.on('error', handler),
        // NOTE: adding a 'message' listener refs the worker again: unref after the last one.
        unref: () => worker.unref(),
        terminate: () => void worker.terminate(),
      };
    };
  }
  const WorkerClass = (globalThis as { Worker?: typeof Worker }).Worker;
  if (typeof WorkerClass !== 'function' || typeof Blob !== 'function' || typeof URL.createObjectURL !== 'function') return null;
  return (source) => {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new WorkerClass(url);
    // Revoked once the worker runs: revoking at once can race the script fetch.
    worker.addEventListener('message', () => URL.revokeObjectURL(url), { once: true });
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (handler) => worker.addEventListener('message', (e: MessageEvent) => handler(e.data)),
      onError: (handler) => worker.addEventListener('error', (e: ErrorEvent) => handler(e.error ?? e.message)),
      unref: () => {},
      terminate: () => worker.terminate(),
    };
  };
}
