/**
 * The engine the pages run on: gradiente's public entry point, nothing else. ready() makes
 * the WebAssembly backend current where this browser runs WebAssembly SIMD (with threads
 * only on a cross-origin isolated page), and leaves the plain JavaScript one otherwise.
 * The backend in use is shown in every page's footer.
 */
import { ready, wasmBackendInfo } from '../../../src/index.js';

export interface EngineInfo {
  backend: string;
  /** Threads a large matrix product may use (1 without cross-origin isolation). */
  threads: number;
  simd: string | null;
}

let engine: Promise<EngineInfo> | null = null;

export function initEngine(): Promise<EngineInfo> {
  engine ??= ready().then((backend) => {
    const info = wasmBackendInfo();
    return { backend, threads: backend === 'wasm' ? (info?.threads ?? 1) : 1, simd: backend === 'wasm' ? (info?.simd ?? null) : null };
  });
  return engine;
}

/** Whether threads (SharedArrayBuffer) are allowed: the page was served with COOP/COEP headers. */
export function threadsAllowed(): boolean {
  return globalThis.crossOriginIsolated === true;
}
