/**
 * Tools for teaching with every page (issue 13, lab/src/common/teacher.ts): keyboard shortcuts
 * listed with `?`, presenter mode with high contrast, export of figures (PNG) and curves (CSV),
 * copy link, a favicon, the header folded into a menu on phones, reduced motion and print CSS.
 */
import type { Browser, Download, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, useBuiltLab, type StaticServer, type WatchedPage } from './harness.js';

const pages = ['index', 'gradient_descent', 'loss_functions', 'activations', 'playground', 'mnist'] as const;

let server: StaticServer;
let browser: Browser;
useBuiltLab((lab) => ({ server, browser } = lab), 120_000);

async function close(w: WatchedPage): Promise<void> {
  expect(w.errors).toEqual([]);
  expect(w.offOrigin).toEqual([]);
  await w.context.close();
}

async function bytes(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const iteration = async (page: Page): Promise<number> => Number(await page.textContent('#pg-iteration-count'));

describe('on every page', () => {
  for (const name of pages) {
    test(`${name}: copy link, presenter mode, the shortcut list and a favicon`, async () => {
      const w = await openPage(browser, server.origin, `/${name}.html`, { locale: 'es-ES' });
      const { page } = w;
      for (const id of ['#teacher-copy-link', '#teacher-presenter', '#teacher-keys']) expect(await page.isVisible(id), id).toBe(true);
      expect(await page.getAttribute('#teacher-copy-link', 'aria-label')).toBe('Copiar enlace');
      expect(await page.getAttribute('link[rel="icon"]', 'href')).toMatch(/^data:image\/svg\+xml,/);
      await page.keyboard.press('?');
      expect(await page.isVisible('#teacher-help')).toBe(true);
      expect(await page.$$eval('#teacher-shortcuts dt', (dts) => dts.map((d) => d.textContent))).toEqual(['Space', '→', 'E', 'R', '[  ]', '?']);
      await page.keyboard.press('Escape');
      expect(await page.isVisible('#teacher-help')).toBe(false);
      // Presenter mode hides the prose and offers high contrast.
      await page.click('#teacher-presenter');
      expect(await page.getAttribute('body', 'data-presenter')).toBe('true');
      if ((await page.$('main .lead')) !== null) expect(await page.isVisible('main .lead')).toBe(false);
      await page.click('#teacher-contrast');
      expect(await page.getAttribute('body', 'data-contrast')).toBe('high');
      await close(w);
    });
  }
});

describe('export buttons never cover a figure', () => {
  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1280, height: 720 },
  ]) {
    test(`${viewport.width} × ${viewport.height}: on every page, each figure’s buttons overlap no figure and no other bar, and are named`, async () => {
      for (const name of [...pages.filter((p) => p !== 'index'), 'backprop']) {
        const w = await openPage(browser, server.origin, `/${name}.html`, { locale: 'es-ES', viewport });
        const { page } = w;
        const found = await page.evaluate(() => {
          const box = (n: Element): { left: number; right: number; top: number; bottom: number } => n.getBoundingClientRect();
          const shown = (r: { left: number; right: number; top: number; bottom: number }): boolean => r.right - r.left > 0 && r.bottom - r.top > 0;
          const bars = [...document.querySelectorAll('.figure-tools')].map((b) => ({ what: b.querySelector('button')!.id, r: box(b), names: [...b.querySelectorAll('button')].map((x) => x.textContent || x.getAttribute('aria-label') || '') }));
          // Every figure the lab draws: canvases, SVG diagrams, charts (the buttons' own icons are not figures).
          const figures = [...document.querySelectorAll('main canvas, main svg, main .chart')].filter((f) => f.closest('.figure-tools, button') === null).map((f) => ({ what: f.id || f.getAttribute('class') || f.tagName, r: box(f) }));
          const overlaps: string[] = [];
          const cross = (a: typeof figures[number]['r'], b: typeof figures[number]['r']): boolean => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
          bars.forEach((bar, i) => {
            if (!shown(bar.r)) return;
            for (const f of figures) if (shown(f.r) && cross(bar.r, f.r)) overlaps.push(`${bar.what} × ${f.what}`);
            bars.slice(i + 1).forEach((other) => cross(bar.r, other.r) && overlaps.push(`${bar.what} × ${other.what}`));
          });
          return { bars: bars.length, overlaps, unnamed: bars.filter((b) => b.names.some((n) => n.trim() === '')).map((b) => b.what) };
        });
        expect(found.bars, `${name}: figures with buttons`).toBeGreaterThan(0);
        expect(found.overlaps, name).toEqual([]);
        expect(found.unnamed, name).toEqual([]);
        await close(w);
      }
    });
  }
});

describe('shortcuts, export and copy link', () => {
  test('in the playground: Space plays and pauses, → steps, E runs an epoch, ] and [ double and halve η, R resets', async () => {
    const w = await openPage(browser, server.origin, '/playground.html?data=xor&noise=0&lr=0.03', { locale: 'en-US', viewport: { width: 1280, height: 720 } });
    const { page } = w;
    await page.keyboard.press('ArrowRight');
    expect(await iteration(page)).toBe(1);
    await page.keyboard.press('e');
    expect(await page.textContent('#pg-epoch-count')).toBe('1');
    await page.keyboard.press(']');
    expect(page.url()).toContain('lr=0.06');
    await page.keyboard.press('[');
    await page.keyboard.press('[');
    expect(page.url()).toContain('lr=0.015');
    await page.keyboard.press(' ');
    expect(await page.getAttribute('#pg-play', 'aria-pressed')).toBe('true');
    await page.keyboard.press(' ');
    expect(await page.getAttribute('#pg-play', 'aria-pressed')).toBe('false');
    // Typing in a field is never taken as a shortcut.
    await page.focus('#pg-seed');
    await page.keyboard.press('r');
    expect(await page.textContent('#pg-epoch-count')).not.toBe('0');
    await page.focus('#pg-play');
    await page.keyboard.press('r');
    expect(await page.textContent('#pg-epoch-count')).toBe('0');
    await close(w);
  });

  test('on a page that registers nothing, the keys use its own labelled controls (gradient descent: ] doubles η on its slider)', async () => {
    const w = await openPage(browser, server.origin, '/gradient_descent.html', { locale: 'en-US' });
    const { page } = w;
    const label = await page.$('main label[data-i18n="control.learningRate"]');
    expect(label).not.toBeNull();
    const id = await label!.getAttribute('for');
    const before = Number(await page.inputValue(`#${id}`));
    await page.keyboard.press(']');
    // The range input snaps to its 0.01 step: log10(2) = 0.301 lands on 0.30.
    expect(Math.abs(Number(await page.inputValue(`#${id}`)) - (before + Math.log10(2)))).toBeLessThan(0.006);
    await close(w);
  });

  test('figures export as PNG and curves as CSV; copy link puts the page’s URL on the clipboard', async () => {
    const w = await openPage(browser, server.origin, '/playground.html?data=xor&noise=0', { locale: 'en-US' });
    const { page, context } = w;
    await page.click('#pg-epoch');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#playground-loss-per-iteration-csv')]);
    expect(csv.suggestedFilename()).toBe('playground-loss-per-iteration.csv');
    const lines = (await bytes(csv)).toString('utf8').trim().split('\n');
    expect(lines[0]).toBe('iteration,batch_loss,smoothed');
    expect(lines).toHaveLength(1 + (await iteration(page)));
    const [epochs] = await Promise.all([page.waitForEvent('download'), page.click('#pg-loss-chart-csv')]);
    const epochLines = (await bytes(epochs)).toString('utf8').trim().split('\n');
    expect(epochLines[0]).toMatch(/^epoch,training,test/);
    expect(epochLines).toHaveLength(3);
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#playground-boundary-png')]);
    expect((await bytes(png)).subarray(1, 4).toString('latin1')).toBe('PNG');

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await page.click('#teacher-copy-link');
    await page.waitForSelector('#teacher-copy-link[data-copied]');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());
    expect(page.url()).toContain('layers=8.tanh_8.tanh');
    await close(w);
  });
});

describe('phones, motion and print', () => {
  test('on a phone the header folds into a menu and canvases that only show something let the page scroll', async () => {
    const w = await openPage(browser, server.origin, '/playground.html', { locale: 'en-US', viewport: { width: 390, height: 844 } });
    const { page } = w;
    expect(await page.isVisible('#site-menu')).toBe(true);
    expect(await page.isVisible('#site-nav')).toBe(false);
    await page.click('#site-menu');
    expect(await page.isVisible('#site-nav')).toBe(true);
    expect(await page.getAttribute('#site-menu', 'aria-expanded')).toBe('true');
    expect(await page.$eval('#pg-boundary', (c) => getComputedStyle(c).touchAction)).toBe('auto');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await close(w);
  });

  test('reduced motion turns transitions off; print hides the header, buttons and tools', async () => {
    const w = await openPage(browser, server.origin, '/playground.html', { locale: 'en-US' });
    const { page } = w;
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await page.$eval('.figure-tools', (e) => parseFloat(getComputedStyle(e).transitionDuration))).toBeLessThan(0.001);
    await page.emulateMedia({ media: 'print' });
    expect(await page.$eval('.site-header', (e) => getComputedStyle(e).display)).toBe('none');
    expect(await page.$eval('#pg-play', (e) => getComputedStyle(e).display)).toBe('none');
    expect(await page.$eval('#pg-boundary', (e) => getComputedStyle(e).display)).not.toBe('none');
    await close(w);
  });
});
