/**
 * The backends every conformance test runs on. A faster backend joins the suite by being
 * made ready here; the reference 'js' backend is always present.
 */
import { listBackends, setBackend } from '../../src/index.js';

export async function backendsUnderTest(): Promise<string[]> {
  return listBackends();
}

export function useBackend(name: string): void {
  setBackend(name);
}
