/**
 * The reports open in a real browser (Debian's Chromium through playwright-core) with the
 * network cut off: no console errors, nothing fetched, and every chart drawn.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, runCli, tempDir } from './cli-harness.js';

const CHROMIUM = '/usr/bin/chromium';
let browser: Browser | null = null;
const reports: Record<string, string> = {};

beforeAll(async () => {
  buildOnce();
  const dir = tempDir();
  const jobs: [string, string[]][] = [
    ['train (classification)', ['train', '--data', 'spiral', '--epochs', '4', '--out', path.join(dir, 'spiral')]],
    ['train (regression)', ['train', '--data', 'line', '--epochs', '4', '--out', path.join(dir, 'line')]],
    ['compare', ['compare', '--batch-size', '1,32,full', '--data', 'xor', '--epochs', '3', '--out', path.join(dir, 'compare')]],
    ['compare (losses)', ['compare', '--loss', 'mse,mae', '--epochs', '5', '--out', path.join(dir, 'losses')]],
    ['lr-find', ['lr-find', '--data', 'spiral', '--steps', '40', '--out', path.join(dir, 'lr-find')]],
  ];
  const results = await Promise.all(jobs.map(([, args]) => runCli(args)));
  jobs.forEach(([name, args], i) => {
    expect(results[i]!.code, `${name}: ${results[i]!.stderr}`).toBe(0);
    reports[name] = path.join(args[args.indexOf('--out') + 1]!, 'report.html');
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
}, 90_000);

afterAll(async () => {
  await browser?.close();
});

describe.runIf(existsSync(CHROMIUM))('report.html in Chromium', () => {
  it.each(['train (classification)', 'train (regression)', 'compare', 'compare (losses)', 'lr-find'])('%s: opens offline without console errors and draws every chart', async (name) => {
    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const fetched: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      fetched.push(url);
      return route.abort();
    });
    await page.goto(`file://${reports[name]}`);
    await page.waitForSelector('body[data-charts-drawn]', { timeout: 10_000 });
    const charts = await page.evaluate(() => {
      const canvases = [...document.querySelectorAll('canvas')];
      const inked = canvases.map((canvas) => {
        const ctx = canvas.getContext('2d')!;
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
        return { width: canvas.width, height: canvas.height, painted };
      });
      const chart = (window as unknown as { Chart: { instances: Record<string, unknown> } }).Chart;
      return { drawn: Number(document.body.dataset.chartsDrawn), instances: Object.keys(chart.instances).length, inked };
    });
    await page.close();
    expect(problems).toEqual([]);
    expect(fetched).toEqual([]);
    expect(charts.inked.length).toBeGreaterThan(0);
    expect(charts.drawn).toBe(charts.inked.length);
    expect(charts.instances).toBe(charts.inked.length);
    for (const canvas of charts.inked) {
      expect(canvas.width).toBeGreaterThan(100);
      // Axes, labels and lines: a drawn chart colours a good share of its pixels, an empty canvas none.
      expect(canvas.painted).toBeGreaterThan(0.02 * canvas.width * canvas.height);
    }
  }, 30_000);
});
