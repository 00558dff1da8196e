#!/usr/bin/env node
/**
 * The lab's frame budget and start-up time, measured in Debian's Chromium (headless, driven by
 * playwright-core) — a benchmark, not a test: the numbers depend on the machine and its load,
 * so they go into docs/LAB.md as measured, side by side, never into a pass/fail threshold.
 *
 *   npm run bench:lab                        # builds the lab, measures, prints a Markdown table
 *   node bench/lab-frames.mjs --dist DIR     # measure an existing build (an older one, say)
 *   node bench/lab-frames.mjs --only mnist   # just one part: playground | presets | mnist
 *   node bench/lab-frames.mjs --runs 3       # each setting three times (one row per run)
 *
 * Playground: frames drawn per second and the longest frame while training plays, at the
 * default settings and at a heavy one the page warns about (3 × 512 units), plus how many
 * page elements are created or removed per second (a control rebuilt under the pointer).
 * Presets: the same for every ready-made experiment linked on the page (read from the page).
 * Each row says the machine's load average while it was measured (other processes take frames
 * too). MNIST: seconds from opening the page to "ready to train" (digits loaded in the worker),
 * as the median of several fresh page loads.
 */
import { loadavg } from 'node:os';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values: args } = parseArgs({
  options: {
    dist: { type: 'string' },
    only: { type: 'string' },
    seconds: { type: 'string', default: '6' },
    loads: { type: 'string', default: '5' },
    runs: { type: 'string', default: '1' },
  },
});
if (args.only !== undefined && !['playground', 'presets', 'mnist'].includes(args.only)) {
  console.error(`lab-frames: --only must be playground, presets or mnist, got '${args.only}'`);
  process.exit(2);
}
const seconds = Number(args.seconds);
const loads = Number(args.loads);
const runs = Number(args.runs);
if (!(seconds > 0) || !(Number.isInteger(loads) && loads > 0) || !(Number.isInteger(runs) && runs > 0)) {
  console.error('lab-frames: --seconds must be a positive number, --loads and --runs positive integers');
  process.exit(2);
}

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };

async function serve(dir) {
  const server = createServer(async (req, res) => {
    try {
      let file = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
      if (!file.startsWith(dir + sep) && file !== dir) throw new Error('outside');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** Frames while the playground plays for `seconds`: rate, median, 95th percentile, longest. */
async function playgroundFrames(browser, origin, query) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US' });
  const page = await context.newPage();
  // Time each animation-frame callback: the page's own work per frame (training slice, drawing),
  // apart from the compositor and from waiting for the next frame.
  await page.addInitScript(() => {
    const raf = window.requestAnimationFrame.bind(window);
    window.benchScript = [];
    window.requestAnimationFrame = (fn) =>
      raf((now) => {
        const start = performance.now();
        fn(now);
        window.benchScript.push(performance.now() - start);
      });
  });
  await page.goto(`${origin}/playground.html?${query}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  await page.evaluate(() => {
    const probe = { frames: [], mutations: 0 };
    window.benchProbe = probe;
    // Elements created or removed (a rebuilt control or table), not text that changed in place.
    new MutationObserver((list) => {
      for (const m of list) for (const n of [...m.addedNodes, ...m.removedNodes]) if (n.nodeType === 1) probe.mutations += 1 + n.querySelectorAll('*').length;
    }).observe(document.querySelector('main'), { subtree: true, childList: true });
  });
  await page.click('#pg-play');
  const result = await page.evaluate(
    (ms) =>
      new Promise((done) => {
        const probe = window.benchProbe;
        probe.mutations = 0;
        window.benchScript.length = 0;
        const start = performance.now();
        let last = start;
        const tick = (now) => {
          probe.frames.push(now - last);
          last = now;
          if (now - start < ms) requestAnimationFrame(tick);
          else done({ intervals: probe.frames.slice(1), script: window.benchScript.slice(), elapsed: now - start, mutations: probe.mutations, iteration: Number(document.getElementById('pg-iteration-count').textContent) });
        };
        requestAnimationFrame((now) => {
          last = now;
          requestAnimationFrame(tick);
        });
      }),
    seconds * 1000,
  );
  await page.click('#pg-play');
  await context.close();
  const { intervals, elapsed } = result;
  return {
    fps: intervals.length / (elapsed / 1000),
    median: median(intervals),
    p95: quantile(intervals, 0.95),
    longest: Math.max(...intervals),
    // Frames that took more than 3 and 6 refreshes (a 60 Hz frame is 16.7 ms): 50 and 100 ms.
    over50: intervals.filter((v) => v > 51).length,
    over100: intervals.filter((v) => v > 101).length,
    frames: intervals.length,
    scriptP95: quantile(result.script, 0.95),
    scriptLongest: Math.max(...result.script),
    mutationsPerSecond: result.mutations / (elapsed / 1000),
    iterationsPerSecond: result.iteration / (elapsed / 1000),
  };
}

/** The ready-made experiments the playground links to: [name, query] as the page lists them. */
async function presetLinks(browser, origin) {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${origin}/playground.html`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  const links = await page.$$eval('#pg-presets a', (as) => as.map((a) => [`preset: ${a.textContent.trim()}`, new URL(a.href).search.slice(1)]));
  await context.close();
  if (links.length === 0) throw new Error('lab-frames: the playground lists no presets (#pg-presets a)');
  return links;
}

/** Seconds from opening the MNIST page to its train button becoming enabled (digits loaded). */
async function mnistReady(browser, origin) {
  const times = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const start = Date.now();
    await page.goto(`${origin}/mnist.html`);
    await page.waitForSelector('#mnist-train:not([disabled])', { timeout: 120_000 });
    times.push((Date.now() - start) / 1000);
    await context.close();
  }
  return { median: median(times), lowest: Math.min(...times), highest: Math.max(...times), times };
}

let dist = args.dist ? resolve(args.dist) : null;
let built = null;
if (dist === null) {
  const { build } = await import('vite');
  built = await mkdtemp(join(tmpdir(), 'gradiente-lab-bench-'));
  await build({ configFile: join(repoRoot, 'lab/vite.config.ts'), logLevel: 'error', build: { outDir: built, emptyOutDir: true } });
  dist = built;
}
const server = await serve(dist);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
try {
  const version = browser.version();
  console.log(`Chromium ${version}, headless, ${seconds} s per playground setting, ${loads} MNIST page loads\n`);
  if (args.only === undefined || args.only === 'playground' || args.only === 'presets') {
    const settings = [];
    if (args.only !== 'presets') {
      settings.push(
        ['default (xor, 2 × 8 tanh, batch 16, speed “normal”)', 'data=xor'],
        ['spiral (3 classes), 3 × 32 ReLU, batch 16', 'data=spiral&loss=cce&layers=32.relu_32.relu_32.relu'],
        ['heavy, warned: 3 × 512 ReLU, 400 samples', 'data=xor&layers=512.relu_512.relu_512.relu'],
      );
    }
    if (args.only !== 'playground') settings.push(...(await presetLinks(browser, server.origin)));
    console.log('| Playground setting | Frames/s | Median frame | 95th pct. frame | Longest frame | Frames over 50 / 100 ms | Page work per frame, 95th pct. / longest | Iterations/s | Elements rebuilt/s | Load average |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [name, query] of settings) {
      for (let run = 0; run < runs; run++) {
        const before = loadavg()[0];
        const r = await playgroundFrames(browser, server.origin, query);
        const load = `${before.toFixed(1)}–${loadavg()[0].toFixed(1)}`;
        console.log(`| ${name} | ${r.fps.toFixed(0)} | ${r.median.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.longest.toFixed(0)} ms | ${r.over50} / ${r.over100} of ${r.frames} | ${r.scriptP95.toFixed(0)} / ${r.scriptLongest.toFixed(0)} ms | ${r.iterationsPerSecond.toFixed(0)} | ${r.mutationsPerSecond.toFixed(0)} | ${load} |`);
      }
    }
    console.log('');
  }
  if (args.only === undefined || args.only === 'mnist') {
    const r = await mnistReady(browser, server.origin);
    console.log(`MNIST ready to train: median ${r.median.toFixed(2)} s over ${loads} loads (lowest ${r.lowest.toFixed(2)} s, highest ${r.highest.toFixed(2)} s)`);
  }
} finally {
  await browser.close();
  await server.close();
  if (built !== null) await rm(built, { recursive: true, force: true });
}
