/**
 * The backends every conformance test runs on. A faster backend joins the suite by being
 * made ready here; the reference 'js' backend is always present.
 */
import { initNativeBackend, initWasmBackend, listBackends, setBackend } from '../../src/node.js';

export async function backendsUnderTest(): Promise<string[]> {
  // Registers 'wasm' where this engine has WebAssembly SIMD (threads where it can), and
  // 'native' where the addon was built (npm run build:native; CI has the compiler and
  // OpenBLAS); each is simply absent otherwise. select: false leaves 'js' current until a
  // test picks one.
  await initWasmBackend({ select: false });
  await initNativeBackend({ select: false });
  return listBackends();
}

export function useBackend(name: string): void {
  setBackend(name);
}
