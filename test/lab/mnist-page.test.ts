/**
 * The MNIST page (issue 13): the digits ship as compact bytes (no 20 MB JSON chunk in the
 * site), the pad shows the 28 × 28 image the network receives, a digit drawn small in a corner
 * reaches the network as the same image as a large one, and a run whose loss does not fall is
 * named. Behaviour only: how fast the page is ready is measured by bench/lab-frames.mjs.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, useBuiltLab, type StaticServer } from './harness.js';

let buildDir = '';
let server: StaticServer;
let browser: Browser;
useBuiltLab((lab) => ({ server, browser, buildDir } = lab), 120_000);

/** The 784 values of the "what the network receives" canvas. */
const received = (page: Page): Promise<number[]> =>
  page.$eval('#mnist-input', (c) => {
    const data = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28).data;
    return Array.from({ length: 784 }, (_, i) => data[i * 4]! / 255);
  });

/** A vertical stroke from (x, y0) to (x, y1), in fractions of the pad. */
async function stroke(page: Page, x: number, y0: number, y1: number): Promise<void> {
  const box = (await page.locator('#mnist-pad').boundingBox())!;
  await page.mouse.move(box.x + box.width * x, box.y + box.height * y0);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + box.width * x, box.y + box.height * (y0 + ((y1 - y0) * i) / 8));
  await page.mouse.up();
}

function centre(pixels: number[]): [number, number] {
  let mass = 0;
  let cx = 0;
  let cy = 0;
  pixels.forEach((v, i) => ((mass += v), (cx += v * (i % 28)), (cy += v * Math.floor(i / 28))));
  return [cx / mass, cy / mass];
}

function correlation(a: number[], b: number[]): number {
  const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('MNIST page', () => {
  test('the site ships the digits as one compact binary file, not a 20 MB script', async () => {
    const files = await readdir(join(buildDir, 'assets'));
    const sizes = await Promise.all(files.map(async (f) => [f, (await stat(join(buildDir, 'assets', f))).size] as const));
    const digits = sizes.filter(([f]) => /^mnist-digits.*\.bin$/.test(f));
    expect(digits).toHaveLength(1);
    expect(digits[0]![1]).toBe(8 + 10_000 + 10_000 * 784);
    // Nothing else is anywhere near that big: the mnist package's JSON is not in the site.
    expect(sizes.filter(([f, size]) => size > 2_000_000 && !f.endsWith('.bin'))).toEqual([]);
  });

  test('the pad shows what the network receives; a small “1” in a corner becomes the same centred image as a large one', async () => {
    const w = await openPage(browser, server.origin, '/mnist.html', { locale: 'en-US' });
    const { page } = w;
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.waitForSelector('#mnist-progress[data-phase="ready"]', { timeout: 60_000 });
    await page.locator('#mnist-pad').scrollIntoViewIfNeeded();
    await page.evaluate(() => {
      const counts = { announced: 0 };
      (window as unknown as { counts: typeof counts }).counts = counts;
      new MutationObserver(() => counts.announced++).observe(document.getElementById('mnist-announce')!, { childList: true, characterData: true, subtree: true });
    });
    await stroke(page, 0.5, 0.15, 0.85);
    await page.waitForFunction(() => (document.getElementById('mnist-announce')!.textContent ?? '') !== '');
    // Screen readers hear the answer for the finished stroke once, not every guess while drawing.
    expect(await page.evaluate(() => (window as unknown as { counts: { announced: number } }).counts.announced)).toBe(1);
    const large = await received(page);
    await page.click('#mnist-clear');
    expect((await received(page)).every((v) => v === 0)).toBe(true);
    await stroke(page, 0.88, 0.05, 0.2);
    const small = await received(page);
    for (const image of [large, small]) {
      const [cx, cy] = centre(image);
      expect(Math.abs(cx - 13.5)).toBeLessThan(0.75);
      expect(Math.abs(cy - 13.5)).toBeLessThan(0.75);
      // About 20 pixels tall and a couple wide, as MNIST's ones are: not a fat blob.
      const inked = image.filter((v) => v > 0.3).length;
      expect(inked).toBeGreaterThan(25);
      expect(inked).toBeLessThan(90);
    }
    expect(correlation(large, small)).toBeGreaterThan(0.9);
    expect(requests.filter((u) => u.endsWith('.json'))).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(w.offOrigin).toEqual([]);
    await w.context.close();
  }, 90_000);

  test('the settings live in the URL: a link opens them, a change is written back', async () => {
    const w = await openPage(browser, server.origin, '/mnist.html?hidden=64&lr=0.01&batch=128&epochs=2&opt=sgd', { locale: 'en-US' });
    const { page } = w;
    expect(await page.inputValue('#mnist-hidden')).toBe('64');
    expect(await page.inputValue('#mnist-batch')).toBe('128');
    expect(await page.inputValue('#mnist-optimizer')).toBe('sgd');
    expect(await page.textContent('output[for="mnist-lr"]')).toBe('0.01');
    expect(await page.textContent('output[for="mnist-epochs"]')).toBe('2');
    await page.selectOption('#mnist-batch', '512');
    expect(page.url()).toMatch(/batch=512/);
    expect(page.url()).toMatch(/hidden=64/);
    await w.context.close();
  });

  test('Adam with η = 0.1 is named: the loss did not fall, and what to try', async () => {
    const w = await openPage(browser, server.origin, '/mnist.html', { locale: 'en-US' });
    const { page } = w;
    await page.waitForSelector('#mnist-train:not([disabled])', { timeout: 60_000 });
    await page.selectOption('#mnist-optimizer', 'adam');
    await page.locator('#mnist-lr').fill('-1');
    await page.click('#mnist-train');
    await page.waitForSelector('#mnist-status:is([data-state="done"], [data-state="diverged"], [data-state="error"])', { timeout: 120_000 });
    expect(await page.getAttribute('#mnist-status', 'data-state')).toBe('diverged');
    expect(await page.textContent('#mnist-status')).toMatch(/^The loss did not fall \(from [\d.]+ over the first batches to [\d.]+ over the last ones; accuracy [\d.]+\): η = 0\.1 is too large for Adam\. Try η between 0\.001 and 0\.01\./);
    expect(w.errors).toEqual([]);
    await w.context.close();
  }, 180_000);
});
