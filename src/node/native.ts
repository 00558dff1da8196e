/**
 * Loading the 'native' backend (Node only): the addon built by scripts/build-native.mjs on
 * install, native/build/gradiente.node, a Node-API module over OpenBLAS.
 *
 *   await initNativeBackend();          // load it and make 'native' current, or null
 *   await ready();                      // native > wasm > js, whichever loads first
 *
 * Absent is normal (no compiler or OpenBLAS at install time): gradiente runs on 'wasm' and
 * nativeBackendInfo() says why. A .node file that is there but fails to load (OpenBLAS removed
 * since, built for another Node, built from other sources) is the same as absent, plus one
 * warning line on stderr; never an exception.
 *
 * Environment: GRADIENTE_NATIVE=0 hides the addon; GRADIENTE_NATIVE_PATH=<file> loads that
 * file instead; GRADIENTE_THREADS=<n> sets the threads of large products.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendOptions } from '../backends/backend.js';
import { createNativeBackend, type NativeAddon } from '../backends/native/backend.js';
import { codesMismatch } from '../backends/native/codes.js';
import { offerBackend, registerBackend, setBackend } from '../backends/registry.js';
import { ValueError } from '../errors.js';

export interface NativeBackendOptions {
  /**
   * Threads a large matrix product may use (the addon's own pool; OpenBLAS itself stays on one
   * thread). Default: GRADIENTE_THREADS, else as many as the cores (at most 8).
   */
  threads?: number;
  /** Products of at least this many floating-point operations (2·m·n·k) use the threads. Default 2e6. */
  parallelThreshold?: number;
  /** Make 'native' the current backend. Default true. */
  select?: boolean;
}

export interface NativeBackendInfo {
  /** The addon file that was loaded. */
  path: string;
  /** Threads large products use now, and where that number came from. */
  threads: number;
  threadsFrom: 'default' | 'GRADIENTE_THREADS' | 'option';
  parallelThreshold: number;
  /** OpenBLAS's build line (version, kernel set) and the CPU kernel it chose here. */
  blas: string;
  blasCore: string;
}

/** What loading found: the backend's facts, or why there is no native backend. */
export type NativeBackendStatus = { available: true; info: NativeBackendInfo } | { available: false; reason: string };

// Two ways to run the build: in a clone of gradiente, and in a project that depends on it.
const HINT = 'for native speed: apt-get install build-essential libopenblas-dev, then npm run build:native (in a project that depends on gradiente: npm rebuild gradiente)';

interface Loaded {
  addon: NativeAddon;
  info: NativeBackendInfo;
}

let status: NativeBackendStatus | null = null;
let loaded: Loaded | null = null;

/**
 * The addon the build made: native/build/gradiente.node in the nearest folder above this file
 * that is the gradiente package (its package.json says so). Walking up finds it from src/node/
 * (tests), dist/src/node/ (a build) and any other output folder inside the checkout alike.
 */
function findAddon(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 12; up++) {
    const candidate = join(dir, 'native', 'build', 'gradiente.node');
    if (existsSync(candidate) && isGradientePackage(dir)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function isGradientePackage(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'gradiente';
  } catch {
    return false;
  }
}

/**
 * As many threads as the machine has cores (at most 8; a large product is cut into one part per core):
 * the addon's workers sleep between products, so they never take the core the JavaScript
 * thread needs for the rest of a step, and every thread count gives the same bits. On the
 * 2-core machine of docs/PERFORMANCE.md, on a quiet machine, two threads trained faster than
 * one in every workload whose products are large enough to share.
 */
export function defaultThreadCount(cores: number): number {
  return Math.max(1, Math.min(cores, 8));
}

/**
 * The machine's cores (at most 8): the default thread count, and the parts a large product is
 * cut into whatever the threads setting — where the cut falls changes how OpenBLAS blocks each
 * part, and with it some outputs' last bits, so the cut stays put while threads change and
 * every thread count gives the same bits.
 */
const CORES = defaultThreadCount(availableParallelism());

/** Hands the addon the current threads and threshold, with the machine's fixed cut. */
function applyThreads(addon: NativeAddon, info: NativeBackendInfo): void {
  addon.setThreads(info.threads, info.parallelThreshold, CORES);
}

function defaultThreads(): { threads: number; from: NativeBackendInfo['threadsFrom'] } {
  const env = process.env.GRADIENTE_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (Number.isInteger(n) && n >= 1 && n <= 256) return { threads: n, from: 'GRADIENTE_THREADS' };
    warn(`GRADIENTE_THREADS=${env} is not a whole number from 1 to 256; using the default`);
  }
  return { threads: CORES, from: 'default' };
}

function warn(message: string): void {
  process.stderr.write(`gradiente: ${message}\n`);
}

/** The first line of an error's message, for a one-line warning. */
function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.trim();
}

/** Checks a product and a map against known values: an addon that loads but computes wrong is refused. */
function selfTest(addon: NativeAddon): string | null {
  const a = Float32Array.of(1, 2, 3, 4, 5, 6); // 2×3
  const b = Float32Array.of(1, 0, 0, 1, 1, 1); // 3×2
  const c = new Float32Array(4);
  addon.matmul(a, b, c, 2, 3, 2, false, false, Float32Array.of(10, 20));
  const relu = new Float32Array(2);
  addon.unary(11, Float32Array.of(-1, 2), relu, 0, 0);
  const ok = c[0] === 14 && c[1] === 25 && c[2] === 20 && c[3] === 31 && relu[0] === 0 && relu[1] === 2;
  return ok ? null : 'its self-test computed wrong values';
}

function load(options: NativeBackendOptions): NativeBackendStatus {
  if (process.env.GRADIENTE_NATIVE === '0') return { available: false, reason: 'hidden by GRADIENTE_NATIVE=0' };
  const override = process.env.GRADIENTE_NATIVE_PATH;
  const path = override !== undefined && override !== '' ? override : findAddon();
  if (path === undefined) return { available: false, reason: `not built (native/build/gradiente.node is missing); ${HINT}` };
  let addon: NativeAddon;
  try {
    addon = createRequire(import.meta.url)(path) as NativeAddon;
    const facts = addon.info();
    const mismatch = codesMismatch(facts.unaryOps, facts.binaryOps) ?? selfTest(addon);
    if (mismatch !== null) throw new Error(mismatch);
    const { threads, from } = options.threads !== undefined ? { threads: options.threads, from: 'option' as const } : defaultThreads();
    const parallelThreshold = options.parallelThreshold ?? 2e6;
    loaded = {
      addon,
      info: { path, threads, threadsFrom: from, parallelThreshold, blas: facts.blasConfig, blasCore: facts.blasCore },
    };
    applyThreads(addon, loaded.info);
  } catch (e) {
    const reason = `${path} could not be loaded (${firstLine(e)})`;
    warn(`native backend not used: ${reason}; falling back to wasm (or js). ${HINT}`);
    return { available: false, reason };
  }
  registerBackend(createNativeBackend(addon, configure));
  return { available: true, info: loaded.info };
}

function checkThreads(threads: number | undefined, where: string): void {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)) {
    throw new ValueError(`${where}: threads must be a whole number from 1 to 256, got ${threads}`);
  }
}

function configure(options: BackendOptions): void {
  checkThreads(options.threads, 'setBackend');
  if (loaded === null || options.threads === undefined) return;
  loaded.info.threads = options.threads;
  loaded.info.threadsFrom = 'option';
  applyThreads(loaded.addon, loaded.info);
}

/**
 * Load the 'native' backend (once; later calls only change `threads` and `parallelThreshold`)
 * and, unless `select: false`, make it current. Resolves to its facts, or to null when it is
 * not available here (nativeBackendStatus() says why); never rejects for a missing addon.
 */
export async function initNativeBackend(options: NativeBackendOptions = {}): Promise<NativeBackendInfo | null> {
  checkThreads(options.threads, 'initNativeBackend');
  if (options.parallelThreshold !== undefined && !(options.parallelThreshold >= 0)) {
    throw new ValueError(`initNativeBackend: parallelThreshold must be a number >= 0, got ${options.parallelThreshold}`);
  }
  status ??= load(options);
  if (loaded === null) return null;
  if (options.threads !== undefined) {
    loaded.info.threads = options.threads;
    loaded.info.threadsFrom = 'option';
  }
  if (options.parallelThreshold !== undefined) loaded.info.parallelThreshold = options.parallelThreshold;
  applyThreads(loaded.addon, loaded.info);
  if (options.select ?? true) setBackend('native');
  return { ...loaded.info };
}

/** The native backend's facts, or null before initNativeBackend()/ready() or when it is absent. */
export function nativeBackendInfo(): NativeBackendInfo | null {
  return loaded === null ? null : { ...loaded.info };
}

/** Whether the native backend loaded and, when it did not, why (null before anything tried to load it). */
export function nativeBackendStatus(): NativeBackendStatus | null {
  return status;
}

// ready() tries 'native' before 'wasm' wherever this Node-only module is imported (gradiente/node).
offerBackend({ name: 'native', load: async () => (await initNativeBackend({ select: false })) !== null });
