/**
 * The 'wasm' backend: WebAssembly SIMD kernels (relaxed SIMD where the engine has it),
 * matrix products split over a pool of workers on shared memory where the engine allows.
 *
 *   await initWasmBackend();        // register 'wasm' and make it the current backend
 *   await ready();                  // or: the fastest backend that works here, once
 *
 * Everything is feature-detected and degrades step by step: relaxed SIMD → plain SIMD;
 * threads → one thread (no SharedArrayBuffer, a page without COOP/COEP, no workers);
 * no SIMD at all → 'wasm' is not registered and 'js' stays. Nothing here throws because an
 * engine lacks a feature.
 *
 * The browser-safe entry point stays synchronous: importing gradiente starts nothing, and
 * 'js' is the backend until one of these is awaited (the CLI and the lab await ready()).
 */
import { getBackend, offeredBackends, registerBackend, setBackend } from '../registry.js';
import { createWasmBackend, type WasmRuntime } from './backend.js';
import { kernelBuilds, type KernelBuild } from './generated/kernels.js';
import { allowRelaxedSimd, canBlock, canShareMemory, hardwareConcurrency, workerFactory } from './host.js';
import type { KernelExports } from './kernel-exports.js';
import { KernelMemory, createMemory } from './memory.js';
import { MAX_THREADS, ThreadPool } from './pool.js';

export interface WasmBackendOptions {
  /**
   * Threads a large matrix product may use, the calling one included. Default: the number of
   * cores (at most 8). The pool of workers is started once, on the first call, with that many
   * threads (or `threads`, if more); later calls move `threads` between 1 and the pool size.
   */
  threads?: number;
  /** Use relaxed SIMD (fused multiply-add) when the engine supports it. Default true. */
  relaxedSimd?: boolean;
  /** Split products of at least this many floating-point operations (2·m·n·k). Default 2e6. */
  parallelThreshold?: number;
  /**
   * How long an idle worker spins before it sleeps, ms. Default 0.1: long enough for products
   * issued back to back, short enough not to take a core from other work between products (a
   * sleeping worker costs ~45 µs to wake, and the caller does not wait for it: it starts on
   * its own share at once).
   */
  spinMs?: number;
  /** Make 'wasm' the current backend. Default true. */
  select?: boolean;
}

export interface WasmBackendInfo {
  /** 'relaxed-simd' (fused multiply-add) or 'simd'. */
  simd: 'relaxed-simd' | 'simd';
  /** Threads large products use now, the caller included. */
  threads: number;
  /** Threads the pool has (the most `threads` can be set to). */
  poolThreads: number;
  sharedMemory: boolean;
  parallelThreshold: number;
  /** Size of the kernels' memory now, in bytes (it grows to the largest call, then stays). */
  memoryBytes: number;
}

interface Loaded {
  runtime: WasmRuntime;
  /** What cannot change after loading; the rest of WasmBackendInfo is read from the runtime. */
  simd: WasmBackendInfo['simd'];
  sharedMemory: boolean;
}

let loading: Promise<Loaded | null> | null = null;
let loaded: Loaded | null = null;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The fastest build this engine validates, or null without SIMD. */
async function chooseBuild(shared: boolean, relaxed: boolean): Promise<{ build: KernelBuild; bytes: Uint8Array<ArrayBuffer> } | null> {
  const candidates: KernelBuild[] = shared ? ['relaxedShared', 'simdShared'] : ['relaxed', 'simd'];
  if (relaxed) await allowRelaxedSimd();
  for (const build of candidates) {
    if (!relaxed && build.startsWith('relaxed')) continue;
    const bytes = decodeBase64(kernelBuilds[build]);
    if (WebAssembly.validate(bytes)) return { build, bytes };
  }
  return null;
}

/**
 * Set up the backend; if anything about shared memory or workers fails in a way feature
 * detection did not foresee, try again on one thread with private memory; if even that
 * fails, there is no 'wasm' backend (null), never an exception for the caller.
 */
async function load(options: WasmBackendOptions): Promise<Loaded | null> {
  try {
    return await loadWith(options, true);
  } catch {
    try {
      return await loadWith(options, false);
    } catch {
      return null;
    }
  }
}

async function loadWith(options: WasmBackendOptions, allowThreads: boolean): Promise<Loaded | null> {
  if (typeof WebAssembly !== 'object') return null;
  const cores = allowThreads ? await hardwareConcurrency() : 1;
  const byDefault = Math.min(cores, 8);
  const wanted = Math.max(1, Math.min(options.threads ?? byDefault, MAX_THREADS));
  // The pool is sized once, for the cores (or more if asked): `threads` can later move
  // between 1 and its size without starting workers again. Idle workers sleep.
  const poolSize = allowThreads ? Math.max(wanted, byDefault) : 1;
  const spawn = poolSize > 1 ? await workerFactory() : null;
  const shared = spawn !== null && canShareMemory();
  const chosen = await chooseBuild(shared, options.relaxedSimd ?? true);
  if (chosen === null) return null;
  const module = await WebAssembly.compile(chosen.bytes);
  const memory = createMemory(shared);
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const kernels = instance.exports as unknown as KernelExports;
  const poolThreads = shared ? poolSize : 1;
  const kmem = new KernelMemory(memory, kernels.heapBase(), kernels.gemmWorkspaceBytes(), poolThreads);
  let pool: ThreadPool | null = null;
  if (shared && poolThreads > 1 && spawn !== null) {
    try {
      pool = await ThreadPool.start(module, kmem, poolThreads, spawn, { spinMs: options.spinMs ?? 0.1 }, canBlock());
    } catch {
      pool = null; // Workers would not start (e.g. a restrictive CSP): one thread it is.
    }
  }
  const runtime: WasmRuntime = {
    kernels,
    memory: kmem,
    pool,
    threads: Math.min(wanted, pool?.size ?? 1),
    parallelThreshold: options.parallelThreshold ?? 2e6,
  };
  registerBackend(createWasmBackend(runtime));
  return { runtime, simd: chosen.build.startsWith('relaxed') ? 'relaxed-simd' : 'simd', sharedMemory: shared };
}

/**
 * Set up the 'wasm' backend (once; later calls only change `threads` and
 * `parallelThreshold`) and, unless `select: false`, make it current. Resolves to what it
 * found, or to null when this engine has no WebAssembly SIMD (the backend stays 'js').
 */
export async function initWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackendInfo | null> {
  if (loading === null) loading = load(options).then((l) => (loaded = l));
  const l = await loading;
  if (l === null) return null;
  const rt = l.runtime;
  if (options.threads !== undefined) rt.threads = Math.max(1, Math.min(options.threads, rt.pool?.size ?? 1));
  if (options.parallelThreshold !== undefined) rt.parallelThreshold = options.parallelThreshold;
  if (options.select ?? true) setBackend('wasm');
  return snapshot(l);
}

function snapshot(l: Loaded): WasmBackendInfo {
  const rt = l.runtime;
  return {
    simd: l.simd,
    threads: rt.threads,
    poolThreads: rt.pool?.size ?? 1,
    sharedMemory: l.sharedMemory,
    parallelThreshold: rt.parallelThreshold,
    memoryBytes: rt.memory.memory.buffer.byteLength,
  };
}

/** What the 'wasm' backend runs with, or null before initWasmBackend() (or without SIMD). */
export function wasmBackendInfo(): WasmBackendInfo | null {
  return loaded === null ? null : snapshot(loaded);
}

let readying: Promise<string> | null = null;

/**
 * Make the fastest backend that works here the current one, and return its name: an offered
 * faster one first ('native' in Node, when gradiente/node is imported and the addon loads),
 * then 'wasm' where WebAssembly SIMD works, else 'js'. Safe to call many times; the work
 * happens once. To force a backend, call setBackend() after it.
 */
export function ready(): Promise<string> {
  readying ??= (async () => {
    for (const loader of offeredBackends()) {
      if (await loader.load()) {
        setBackend(loader.name);
        return loader.name;
      }
    }
    const info = await initWasmBackend({ select: false });
    if (info !== null) setBackend('wasm');
    return getBackend();
  })();
  return readying;
}

/** Stop the worker pool (products then run on one thread). For tests and clean shutdowns. */
export function stopWasmThreads(): void {
  if (loaded?.runtime.pool) {
    loaded.runtime.pool.close();
    loaded.runtime.pool = null;
    loaded.runtime.threads = 1;
  }
}
