/**
 * The engine the pages run on: gradiente's public entry point, nothing else. The backend in
 * use is shown in every page's footer.
 */
import { getBackend } from '../../../src/index.js';

/** Pick the fastest backend this browser can run and report its name. */
export async function initEngine(): Promise<string> {
  return getBackend();
}

/** Whether threads (SharedArrayBuffer) are allowed: the page was served with COOP/COEP headers. */
export function threadsAllowed(): boolean {
  return globalThis.crossOriginIsolated === true;
}
