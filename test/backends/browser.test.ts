/**
 * The 'wasm' backend in Chromium: the same kernels and thread pool as in Node, with Web
 * Workers. On a cross-origin-isolated page (COOP/COEP headers) memory is shared and large
 * products are split across workers while the main thread, which may not block, spins;
 * on a plain page the backend still runs, on one thread. Results must match 'js' either way.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serveStatic } from '../lab/harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Checks {
  info: { simd: string; threads: number; poolThreads: number; sharedMemory: boolean } | null;
  crossOriginIsolated: boolean;
  cores: number;
  backendAfter: string;
  products: Record<string, number>;
  training: number;
}

describe.skipIf(!existsSync(chromium))('wasm backend in a browser', () => {
  let outDir = '';
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'gradiente-wasm-page-'));
    await build({ root: join(here, 'browser'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  }, 120_000);
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  async function run(headers: Record<string, string>): Promise<{ checks: Checks; errors: string[] }> {
    const server = await serveStatic(outDir, headers);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${server.origin}/index.html`);
      try {
        await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
      } catch (error) {
        throw new Error(`the test page never became ready: ${errors.join(' | ') || 'no error reported'}`, { cause: error });
      }
      const checks = (await page.evaluate('runWasmChecks()')) as Checks;
      return { checks, errors };
    } finally {
      await browser.close();
      await server.close();
    }
  }

  function expectAgreement(checks: Checks): void {
    for (const [shape, err] of Object.entries(checks.products)) expect(err, shape).toBeLessThanOrEqual(1e-5);
    expect(checks.training).toBeLessThanOrEqual(1e-5);
    // initWasmBackend({ select: false }) must not have switched the backend.
    expect(checks.backendAfter).toBe('js');
  }

  it('shares memory with workers on a cross-origin-isolated page', async () => {
    const { checks, errors } = await run({ 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    expect(errors).toEqual([]);
    expect(checks.crossOriginIsolated).toBe(true);
    expect(checks.info).not.toBeNull();
    expect(checks.info!.sharedMemory).toBe(true);
    // A pool of one thread per core (at most 8); products above were split across it.
    expect(checks.info!.poolThreads).toBe(Math.min(checks.cores, 8));
    // Chromium has relaxed SIMD without flags.
    expect(checks.info!.simd).toBe('relaxed-simd');
    expectAgreement(checks);
  }, 120_000);

  it('runs on one thread on a plain page', async () => {
    const { checks, errors } = await run({});
    expect(errors).toEqual([]);
    expect(checks.crossOriginIsolated).toBe(false);
    expect(checks.info).not.toBeNull();
    expect(checks.info!.sharedMemory).toBe(false);
    expect(checks.info!.threads).toBe(1);
    expectAgreement(checks);
  }, 120_000);
});
