/**
 * Copy link on the loss-functions and activations pages reproduces their settings, as on the
 * other pages: each section writes only its own keys into the URL (one section's change keeps
 * the others'), a link opened fresh shows the same values and the same numbers, and a link with
 * bad values falls back to the defaults.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, useBuiltLab, type StaticServer, type WatchedPage } from './harness.js';

let server: StaticServer;
let browser: Browser;
useBuiltLab((lab) => ({ server, browser } = lab), 120_000);

async function close(w: WatchedPage): Promise<void> {
  expect(w.errors).toEqual([]);
  await w.context.close();
}

/** Path and query of the page's current URL (what copy link hands out). */
function link(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

async function values(page: Page, ids: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of ids) out[id] = await page.inputValue(`#${id}`);
  return out;
}

describe('loss functions page', () => {
  const inputs = ['loss-y', 'loss-yhat', 'loss-delta', 'bce-yhat', 'bce-truth', 'cce-z0', 'cce-z3', 'cce-truth', 'race-z', 'race-lr'] as const;
  const readouts = ['#loss-mse-readout', '#loss-huber-readout', '#bce-readout', '#cce-readout'] as const;

  test('every section’s settings travel in the link and reproduce the same numbers', async () => {
    const a = await openPage(browser, server.origin, '/loss_functions.html', { locale: 'en-US' });
    await a.page.fill('#loss-y', '-1');
    await a.page.fill('#loss-delta', '0.5');
    await a.page.fill('#bce-yhat', '0.7');
    await a.page.selectOption('#bce-truth', '0');
    await a.page.fill('#cce-z0', '-1.5');
    await a.page.fill('#cce-z3', '3');
    await a.page.selectOption('#cce-truth', '2');
    await a.page.fill('#race-lr', '1');
    const shared = link(a.page);
    // One section's change kept the others' keys.
    for (const key of ['y=-1', 'delta=0.5', 'bce_p=0.7', 'bce_y=0', 'cce_z=-1.5%2C1%2C-0.5%2C3', 'cce_y=2', 'race_lr=1']) expect(shared).toContain(key);
    const before = await values(a.page, inputs);
    const numbers = await Promise.all(readouts.map((r) => a.page.textContent(r)));
    const race = await a.page.textContent('#race-summary');

    const b = await openPage(browser, server.origin, shared, { locale: 'en-US' });
    expect(await values(b.page, inputs)).toEqual(before);
    expect(await Promise.all(readouts.map((r) => b.page.textContent(r)))).toEqual(numbers);
    expect(await b.page.textContent('#race-summary')).toBe(race);
    await close(a);
    await close(b);
  });

  test('a dragged outlier travels in the copied link: the opened link shows the same point and the same fitted lines', async () => {
    const a = await openPage(browser, server.origin, '/loss_functions.html', { locale: 'en-US' });
    const { page, context } = a;
    const home = await page.getAttribute('#outlier-canvas', 'data-outlier');
    await page.locator('#outlier-canvas').scrollIntoViewIfNeeded();
    const fresh = (await page.locator('#outlier-canvas').boundingBox())!;
    // Press near the lower right (where the outlier sits) and drag it up to the upper left.
    await page.mouse.move(fresh.x + fresh.width * 0.85, fresh.y + fresh.height * 0.85);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) await page.mouse.move(fresh.x + fresh.width * (0.85 - 0.05 * k), fresh.y + fresh.height * (0.85 - 0.07 * k));
    await page.mouse.up();
    const dragged = (await page.getAttribute('#outlier-canvas', 'data-outlier'))!;
    expect(dragged).not.toBe(home);
    const [x, y] = dragged.split(',').map(Number) as [number, number];
    expect(x).toBeLessThan(6);
    expect(y).toBeGreaterThan(8);
    await page.waitForSelector('#outlier-readout[data-settled="true"]');
    const slopes = async (p: Page): Promise<number[]> => p.$$eval('#outlier-readout [data-slope]', (ds) => ds.map((d) => Number((d as HTMLElement).dataset.slope)));
    const before = await slopes(page);

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await page.click('#teacher-copy-link');
    await page.waitForSelector('#teacher-copy-link[data-copied="true"]');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(new URL(copied).searchParams.get('outlier')).toBe(dragged);

    const b = await openPage(browser, server.origin, new URL(copied).pathname + new URL(copied).search, { locale: 'en-US' });
    expect(await b.page.getAttribute('#outlier-canvas', 'data-outlier')).toBe(dragged);
    await b.page.waitForSelector('#outlier-readout[data-settled="true"]');
    const after = await slopes(b.page);
    // The lines are refitted from their starting place: the same optimum, reached by another path.
    after.forEach((s, k) => expect(Math.abs(s - before[k]!), `slope ${k}: ${s} vs ${before[k]}`).toBeLessThan(0.02));
    // The outlier pulled the MSE line off the clean points' slope (0.6), and the link kept that picture.
    expect(Math.abs(after[0]! - 0.6)).toBeGreaterThan(0.1);
    await close(a);
    await close(b);
  });

  test('a link with values out of range or malformed falls back to the defaults', async () => {
    const w = await openPage(browser, server.origin, '/loss_functions.html?y=abc&delta=40&cce_z=1,2&bce_y=7&race_z=&outlier=11,3', { locale: 'en-US' });
    expect(await w.page.getAttribute('#outlier-canvas', 'data-outlier')).toBe('8.5,1');
    expect(await values(w.page, ['loss-y', 'loss-delta', 'cce-z0', 'cce-z1', 'bce-truth', 'race-z'])).toEqual({
      'loss-y': '0.5',
      'loss-delta': '1',
      'cce-z0': '2',
      'cce-z1': '1',
      'bce-truth': '1',
      'race-z': '-5',
    });
    await close(w);
  });
});

describe('activations page', () => {
  const inputs = ['act-z', 'net-activation', 'net-x1', 'net-x2', 'net-target', 'van-depth'] as const;

  test('z, the small network (activation, inputs, target, which random weights) and the vanishing experiment travel in the link', async () => {
    const a = await openPage(browser, server.origin, '/activations.html', { locale: 'es-ES' });
    await a.page.fill('#act-z', '-2.5');
    await a.page.selectOption('#net-activation', 'relu');
    await a.page.fill('#net-x1', '0.5');
    await a.page.selectOption('#net-target', '0');
    await a.page.click('#net-reseed');
    await a.page.fill('#van-depth', '6');
    await a.page.uncheck('#van-tanh');
    await a.page.check('#van-gelu');
    const shared = link(a.page);
    for (const key of ['z=-2.5', 'net_f=relu', 'net_x1=0.5', 'net_y=0', 'net_seed=8', 'depth=6', 'van=sigmoid%2Crelu%2Cgelu']) expect(shared).toContain(key);
    const before = await values(a.page, inputs);
    const loss = await a.page.textContent('#net-loss');
    const derivative = await a.page.getAttribute('#act-relu-readout', 'data-derivative');

    const b = await openPage(browser, server.origin, shared, { locale: 'es-ES' });
    expect(await values(b.page, inputs)).toEqual(before);
    // Same weights (seed 8), same inputs and target: the same loss.
    expect(await b.page.textContent('#net-loss')).toBe(loss);
    expect(await b.page.getAttribute('#act-relu-readout', 'data-derivative')).toBe(derivative);
    const kinds = await b.page.$$eval('#van-summary li', (items) => items.map((li) => (li as HTMLElement).dataset.kind));
    expect(kinds).toEqual(['sigmoid', 'relu', 'gelu']);
    expect(await b.page.isChecked('#van-tanh')).toBe(false);
    await close(a);
    await close(b);
  });

  test('unknown networks and depths out of range fall back to the defaults', async () => {
    const w = await openPage(browser, server.origin, '/activations.html?van=softmax,nope&depth=40&net_f=linear&z=9', { locale: 'en-US' });
    expect(await values(w.page, ['van-depth', 'net-activation', 'act-z'])).toEqual({ 'van-depth': '10', 'net-activation': 'sigmoid', 'act-z': '1' });
    const kinds = await w.page.$$eval('#van-summary li', (items) => items.map((li) => (li as HTMLElement).dataset.kind));
    expect(kinds).toEqual(['sigmoid', 'tanh', 'relu']);
    await close(w);
  });
});
