/**
 * End-to-end harness for the web lab: build it with Vite into a temporary folder (once per
 * version of its sources, shared by every test file: see labBuild), serve that folder with a
 * plain static server (no special headers, as the simplest static host would), and drive
 * Debian's Chromium with playwright-core. Nothing is downloaded: requests to any other origin
 * are blocked and recorded, so a test can assert the lab works offline.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/**
 * Screenshots of every page are test artifacts (test-results/lab/, not tracked). The
 * README's copies in docs/images/lab/ are refreshed on purpose: UPDATE_SCREENSHOTS=1 npm test.
 */
export const screenshotDir = join(repoRoot, process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/images/lab' : 'test-results/lab');

export async function buildLab(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'gradiente-lab-'));
  await build({ configFile: join(repoRoot, 'lab/vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  return outDir;
}

export async function removeBuild(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * What a lab build is made from: the pages and their code, the library they import (with the
 * generated WebAssembly kernels), and the dependencies and settings. A change to any byte of
 * these is a new build; nothing else (tests, docs, dist/) changes what Vite writes.
 */
const buildInputs = ['lab', 'src', 'package.json', 'package-lock.json', 'tsconfig.json'];
/** Where builds are kept between test files and runs, one folder per inputs hash. */
export const labBuildCache = join(tmpdir(), 'gradiente-lab-builds');
/** A build older than this is no run's any more (a run takes minutes): it is pruned. */
const STALE_BUILD_MS = 6 * 60 * 60 * 1000;
/** A lock older than this belongs to a builder that died: it is taken over. */
const STALE_LOCK_MS = 5 * 60 * 1000;

/** SHA-256 of every input file's path and bytes, in a fixed order. */
export async function labInputsHash(root = repoRoot): Promise<string> {
  const hash = createHash('sha256');
  for (const entry of buildInputs) {
    const path = join(root, entry);
    const info = await stat(path).catch(() => null);
    if (info === null) continue;
    const files = info.isDirectory() ? (await readdir(path, { recursive: true })).map((f) => join(path, f)) : [path];
    files.sort();
    for (const file of files) {
      const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EISDIR' || error.code === 'ENOENT') return null;
        throw error;
      });
      if (bytes === null) continue;
      hash.update(relative(root, file).split(sep).join('/'));
      hash.update('\0');
      hash.update(bytes);
      hash.update('\0');
    }
  }
  return hash.digest('hex').slice(0, 20);
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));
const inProcess = new Map<string, Promise<string>>();

/**
 * The lab built from the sources as they are now, built once and shared: by the test files of
 * one run (each in its own worker) and by the next run while no input changed. The folder is
 * named by the hash of every input (labInputsHash), so a changed source is always a new build;
 * a build during which the sources changed is not kept (it gets a private folder, removed by
 * the caller through releaseLabBuild). Concurrent builders of one hash take a lock file, so
 * the second waits for the first instead of building the same thing. Callers must not write
 * into the folder.
 */
export async function labBuild(): Promise<string> {
  const key = await labInputsHash();
  let pending = inProcess.get(key);
  if (pending === undefined) {
    pending = buildShared(key);
    inProcess.set(key, pending);
    pending.catch(() => inProcess.delete(key));
  }
  return pending;
}

/** Give back a folder from labBuild: a shared build stays for the next file; a private one goes. */
export async function releaseLabBuild(dir: string): Promise<void> {
  if (!dir.startsWith(labBuildCache + sep)) await removeBuild(dir);
}

/** Mark a shared build as in use now, so pruneBuilds leaves it to the runs using it. */
async function touched(dir: string): Promise<string> {
  const now = new Date();
  await utimes(dir, now, now);
  return dir;
}

async function buildShared(key: string): Promise<string> {
  await mkdir(labBuildCache, { recursive: true });
  const final = join(labBuildCache, key);
  const lock = `${final}.lock`;
  for (;;) {
    if (existsSync(join(final, 'index.html'))) return touched(final);
    const handle = await open(lock, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return null;
      throw error;
    });
    if (handle !== null) {
      await handle.close();
      break;
    }
    // Someone else is building this version: wait for it, unless its builder died.
    const held = await stat(lock).catch(() => null);
    if (held !== null && Date.now() - held.mtimeMs > STALE_LOCK_MS) await rm(lock, { force: true });
    else await sleep(250);
  }
  try {
    if (existsSync(join(final, 'index.html'))) return final;
    const partial = await buildLab();
    if ((await labInputsHash()) !== key) return partial; // Sources changed mid-build: not this key's build.
    await rm(final, { recursive: true, force: true });
    await rename(partial, final);
    await pruneBuilds(key);
    return final;
  } finally {
    await rm(lock, { force: true });
  }
}

/** Remove other versions' builds that no run has used for hours (the cache does not grow forever). */
async function pruneBuilds(keep: string): Promise<void> {
  for (const name of await readdir(labBuildCache)) {
    if (name === keep || name.startsWith(`${keep}.`)) continue;
    const path = join(labBuildCache, name);
    const info = await stat(path).catch(() => null);
    if (info !== null && Date.now() - info.mtimeMs > STALE_BUILD_MS) await rm(path, { recursive: true, force: true });
  }
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** Serve `dir` over HTTP on a free port; optional extra headers on every response. */
export async function serveStatic(dir: string, headers: Record<string, string> = {}): Promise<StaticServer> {
  const server: Server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      let file = normalize(join(dir, path));
      if (!file.startsWith(dir + sep) && file !== dir) throw new Error('outside');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': mimeTypes[extname(file)] ?? 'application/octet-stream', ...headers });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('static server: no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`lab e2e tests need Chromium at ${path} (Debian: apt-get install chromium), or set CHROMIUM_PATH`);
  }
  return path;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
  });
}

/** A page plus what went wrong on it: console errors, uncaught exceptions, off-origin requests. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  errors: string[];
  offOrigin: string[];
}

export async function openPage(
  browser: Browser,
  origin: string,
  path: string,
  options: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const offOrigin: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    offOrigin.push(url);
    return route.abort();
  });
  await page.goto(origin + path);
  try {
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  } catch (error) {
    throw new Error(`${path} never became ready; errors on the page: ${errors.join(' | ') || 'none'}`, { cause: error });
  }
  return { page, context, errors, offOrigin };
}

/**
 * A JPEG of the page (a fraction of a PNG's size, so the committed pictures stay small):
 * the first screenful, or the whole page with fullPage.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.jpg`), fullPage: options.fullPage ?? false, type: 'jpeg', quality: 72 });
}

/**
 * Build the lab (or reuse the build of the same sources: labBuild), serve it and start Chromium
 * before the tests of the enclosing file or describe block, and take all three down after them.
 * `use` receives the server, the browser and the build folder (e.g.
 * `useBuiltLab((lab) => ({ server, browser } = lab))`).
 */
export function useBuiltLab(use: (lab: { server: StaticServer; browser: Browser; buildDir: string }) => void, timeout = 180_000): void {
  let buildDir = '';
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    buildDir = await labBuild();
    server = await serveStatic(buildDir);
    browser = await launchBrowser();
    use({ server, browser, buildDir });
  }, timeout);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (buildDir) await releaseLabBuild(buildDir);
  });
}
