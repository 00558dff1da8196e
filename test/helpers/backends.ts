/**
 * The backends every conformance test runs on. A faster backend joins the suite by being
 * made ready here; the reference 'js' backend is always present.
 */
import { initWasmBackend, listBackends, setBackend } from '../../src/index.js';

export async function backendsUnderTest(): Promise<string[]> {
  // Registers 'wasm' where this engine has WebAssembly SIMD (threads where it can); it is
  // simply absent otherwise. select: false leaves 'js' current until a test picks one.
  await initWasmBackend({ select: false });
  return listBackends();
}

export function useBackend(name: string): void {
  setBackend(name);
}
