/**
 * The playground as an instrument (issue 13): usable while it trains, on one screen, with a
 * live network diagram, per-iteration loss, named divergence, presets as links, and heavy
 * settings refused or warned about before they run. Behaviour only: no frame-rate or time
 * thresholds (those live in bench/lab-frames.mjs and docs/LAB.md).
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { formatMacs, gridSide, judgeCost, macsPerSample, mapGridSide, MAX_GRID, MAX_MAP_GRID, MIN_GRID, MIN_MAP_GRID, REFUSE_MACS, runCost, WARN_MACS } from '../../lab/src/playground/cost.js';
import { smoothed } from '../../lab/src/playground/smoothing.js';
import { openPage, screenshot, useBuiltLab, type StaticServer, type WatchedPage } from './harness.js';

describe('cost of a setting, counted before it runs', () => {
  const layers = (n: number, units: number) => Array.from({ length: n }, () => ({ units, activation: 'relu' as const }));

  test('multiply-adds per sample are the dense layers’ inputs × units', () => {
    expect(macsPerSample(2, layers(2, 8), 1)).toBe(2 * 8 + 8 * 8 + 8 * 1);
    expect(macsPerSample(2, [], 3)).toBe(6);
  });

  test('the default network is fine; 3 × 512 on 1,000 samples is warned; 12 × 512 on the full batch and 3 × 512 on 5,000 samples are refused', () => {
    expect(judgeCost(runCost(2, layers(2, 8), 1, 16, 400)).level).toBe('ok');
    const warned = judgeCost(runCost(2, layers(3, 512), 1, 16, 1000));
    expect(warned).toMatchObject({ level: 'warn', what: 'evaluation' });
    const refusedIteration = judgeCost(runCost(2, layers(12, 512), 1, 280, 400));
    expect(refusedIteration).toMatchObject({ level: 'refuse', what: 'iteration' });
    expect(judgeCost(runCost(2, layers(3, 512), 1, 16, 5000))).toMatchObject({ level: 'refuse', what: 'evaluation' });
    expect(WARN_MACS).toBeLessThan(REFUSE_MACS);
  });

  test('the decision map’s grid gets coarser for wide networks, within its bounds', () => {
    expect(gridSide(macsPerSample(2, layers(2, 8), 1))).toBe(MAX_GRID);
    expect(gridSide(macsPerSample(2, layers(3, 512), 1))).toBe(MIN_GRID);
    const mid = gridSide(macsPerSample(2, layers(2, 64), 1));
    expect(mid).toBeGreaterThan(MIN_GRID);
    expect(mid).toBeLessThan(MAX_GRID);
    expect(formatMacs(2.9e9)).toBe('2.9 × 10⁹');
    expect(mapGridSide(macsPerSample(2, layers(2, 8), 1))).toBe(MAX_MAP_GRID);
    expect(mapGridSide(macsPerSample(2, layers(3, 512), 1))).toBe(MIN_MAP_GRID);
  });

  test('the smoothed curve is a bias-corrected moving average: a constant stays constant, a step is followed', () => {
    expect(smoothed([2, 2, 2])).toEqual([2, 2, 2]);
    const s = smoothed([...Array(50).fill(1), ...Array(200).fill(0)]);
    expect(s[49]).toBeCloseTo(1);
    expect(s[60]!).toBeLessThan(1);
    expect(s[60]!).toBeGreaterThan(0);
    expect(s.at(-1)!).toBeLessThan(1e-3);
  });
});

let server: StaticServer;
let browser: Browser;
useBuiltLab((lab) => ({ server, browser } = lab), 120_000);

async function open(path: string, viewport = { width: 1280, height: 720 }): Promise<WatchedPage> {
  return openPage(browser, server.origin, path, { locale: 'en-US', viewport });
}

async function close(w: WatchedPage): Promise<void> {
  expect(w.errors).toEqual([]);
  expect(w.offOrigin).toEqual([]);
  await w.context.close();
}

const value = (page: Page, selector: string): Promise<number> => page.$eval(selector, (el) => Number((el as HTMLElement).dataset.value));

/** Frames drawn while `during` runs, counted by requestAnimationFrame. */
async function countFrames(page: Page, frames: number): Promise<void> {
  await page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        let k = 0;
        const tick = (): void => (++k >= n ? resolve() : void requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    frames,
  );
}

describe('the playground while it trains', () => {
  test('the decision map and the neuron maps keep following the weights while it plays (evaluated in the grid worker), and a pause draws the paused network here', async () => {
    const w = await open('/playground.html?data=xor&noise=0');
    const { page } = w;
    const pixels = (selector: string): Promise<string> => page.$eval(selector, (c) => (c as HTMLCanvasElement).toDataURL());
    const answered = async (): Promise<number> => Number((await page.getAttribute('#pg-boundary', 'data-grid-worker')) ?? 0);
    const map0 = await pixels('#pg-boundary');
    await page.click('#pg-play');
    await page.waitForFunction(() => Number(document.querySelector('#pg-boundary')!.getAttribute('data-grid-worker') ?? 0) >= 3);
    const mapPlaying = await pixels('#pg-boundary');
    const seen = await answered();
    await page.waitForFunction((n) => Number(document.querySelector('#pg-boundary')!.getAttribute('data-grid-worker') ?? 0) >= n + 3, seen);
    expect(await pixels('#pg-boundary')).not.toBe(mapPlaying);
    expect(mapPlaying).not.toBe(map0);
    await page.click('#pg-play');
    // Paused: the figures are of the paused network, drawn on the page; a late answer from the
    // worker (for older weights) does not replace them.
    const paused = await pixels('#pg-boundary');
    const diagram = await pixels('#pg-network');
    await countFrames(page, 10);
    expect(await pixels('#pg-boundary')).toBe(paused);
    expect(await pixels('#pg-network')).toBe(diagram);
    await close(w);
  });

  test('controls stay as they are: a focused select keeps focus, the settings are not rebuilt, and nothing in them changes', async () => {
    const w = await open('/playground.html?data=xor&noise=0');
    const { page } = w;
    await page.selectOption('#pg-speed', 'iteration');
    await page.evaluate(() => {
      const probe = { controls: 0, toolbar: 0, frames: 0, elements: 0 };
      (window as unknown as { probe: typeof probe }).probe = probe;
      (document.getElementById('pg-activation-0') as unknown as { marked: boolean }).marked = true;
      new MutationObserver((m) => (probe.controls += m.length)).observe(document.querySelector('.pg-controls')!, { subtree: true, childList: true, attributes: true, characterData: true });
      new MutationObserver((m) => (probe.toolbar += m.length)).observe(document.getElementById('pg-toolbar')!, { subtree: true, childList: true, attributes: true, characterData: true });
      // Elements created or removed anywhere on the page (a rebuilt list or table), not text.
      new MutationObserver((list) => {
        for (const m of list) for (const n of [...m.addedNodes, ...m.removedNodes]) if (n.nodeType === 1) probe.elements++;
      }).observe(document.getElementById('main')!, { subtree: true, childList: true });
      const count = (): void => {
        probe.frames++;
        requestAnimationFrame(count);
      };
      requestAnimationFrame(count);
    });
    await page.click('#pg-play');
    await page.focus('#pg-activation-0');
    const before = Number(await page.textContent('#pg-iteration-count'));
    await countFrames(page, 40);
    const probe = await page.evaluate(() => (window as unknown as { probe: { controls: number; toolbar: number; frames: number; elements: number } }).probe);
    expect(Number(await page.textContent('#pg-iteration-count'))).toBeGreaterThan(before + 10);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pg-activation-0');
    // The same select element: the layer list was not rebuilt under the reader's pointer.
    expect(await page.evaluate(() => (document.getElementById('pg-activation-0') as unknown as { marked?: boolean }).marked)).toBe(true);
    // Training changes nothing in the settings column (the first frame's play-button change aside).
    expect(probe.controls).toBe(0);
    // The toolbar changes only its counters: a few text changes per frame, not a rebuilt DOM.
    expect(probe.toolbar / probe.frames).toBeLessThan(6);
    // Only what changed is drawn: numbers change in place, no element is rebuilt while it plays.
    expect(probe.elements).toBe(0);
    await page.click('#pg-play');
    await close(w);
  });

  test('one screen at 1280 × 720: play controls, the network, the decision map and both loss curves are in view without scrolling', async () => {
    const w = await open('/playground.html');
    const { page } = w;
    for (const selector of ['#pg-play', '#pg-step', '#pg-lr', '#pg-network', '#pg-boundary', '#pg-iteration-chart canvas', '#pg-loss-chart canvas', '#pg-status']) {
      const box = await page.locator(selector).first().boundingBox();
      expect(box, selector).not.toBeNull();
      expect(box!.y, selector).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height, `${selector} bottom`).toBeLessThanOrEqual(720);
      expect(box!.x + box!.width, `${selector} right`).toBeLessThanOrEqual(1280);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    // In Spanish too (longer names: the header's tools used to end past 1280 px, the page scrolled sideways).
    const es = await openPage(browser, server.origin, '/playground.html', { locale: 'es-ES', viewport: { width: 1280, height: 720 } });
    for (const selector of ['#teacher-copy-link', '#teacher-keys', '#pg-play', '#pg-network', '#pg-boundary', '#pg-iteration-chart canvas', '#pg-loss-chart canvas']) {
      const box = (await es.page.locator(selector).first().boundingBox())!;
      expect(box.y + box.height, `${selector} bottom, in Spanish`).toBeLessThanOrEqual(720);
      expect(box.x + box.width, `${selector} right, in Spanish`).toBeLessThanOrEqual(1280);
    }
    expect(await es.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await close(es);
    // The picture for docs/LAB.md: the instrument after a few epochs.
    for (let i = 0; i < 8; i++) await page.click('#pg-epoch');
    await screenshot(page, 'playground-1280x720-en');
    await close(w);
  });

  test('one step changes the numbers shown; the network diagram and the iteration curve follow the weights', async () => {
    const w = await open('/playground.html?data=xor&noise=0');
    const { page } = w;
    const pixels = (): Promise<string> => page.$eval('#pg-network', (c) => (c as HTMLCanvasElement).toDataURL());
    const trainLoss = await value(page, '#pg-train-loss');
    const diagram = await pixels();
    await page.click('#pg-step');
    expect(await page.textContent('#pg-iteration-count')).toBe('1');
    expect(await value(page, '#pg-train-loss')).not.toBe(trainLoss);
    expect(Number.isFinite(await value(page, '#pg-batch-loss'))).toBe(true);
    expect(await page.getAttribute('#pg-iteration-chart', 'data-iterations')).toBe('1');
    expect(await pixels()).not.toBe(diagram);
    await page.click('#pg-epoch');
    expect(Number(await page.getAttribute('#pg-iteration-chart', 'data-iterations'))).toBe(Number(await page.textContent('#pg-iteration-count')));
    await close(w);
  });

  test('presets are links with a caption; “η too large” diverges and the page names it', async () => {
    const w = await open('/playground.html');
    const { page } = w;
    const presets = await page.$$eval('ul.presets li', (lis) => lis.map((li) => ({ href: li.querySelector('a')!.getAttribute('href')!, text: li.textContent ?? '' })));
    expect(presets.length).toBeGreaterThanOrEqual(8);
    for (const p of presets) {
      expect(p.href.startsWith('?')).toBe(true);
      expect(p.text.split(' — ')[1]!.length).toBeGreaterThan(20);
    }
    await Promise.all([page.waitForURL(/lr=10/), page.click('#pg-preset-lr-too-large')]);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.inputValue('#pg-optimizer')).toBe('sgd');
    await page.selectOption('#pg-speed', 'fast');
    await page.click('#pg-play');
    await page.waitForSelector('#pg-status[data-state="diverged"]', { timeout: 30_000 });
    expect(await page.textContent('#pg-status')).toMatch(/^Diverg(ing|ed): .*η = 10 is too large/);
    await page.click('#pg-play');
    await close(w);
  });

  test('“dead ReLU”: neurons that output zero on the whole plane are crossed out and counted; η = 3 kills more than η = 0.1', async () => {
    const deadAfter = async (lr: number): Promise<[number, string]> => {
      const w = await open(`/playground.html?data=xor&noise=0&layers=8.relu_8.relu&loss=bce&opt=sgd&lr=${lr}&batch=16`);
      for (let i = 0; i < 5; i++) await w.page.click('#pg-epoch');
      const result: [number, string] = [Number(await w.page.getAttribute('#pg-network-note', 'data-dead')), (await w.page.textContent('#pg-network-note')) ?? ''];
      await close(w);
      return result;
    };
    const [large, text] = await deadAfter(3);
    const [small] = await deadAfter(0.1);
    expect(large).toBeGreaterThan(small);
    expect(text).toMatch(new RegExp(`^Dead ReLU: ${large} neuron\\(s\\) output 0 on the whole plane`));
  });

  test('a setting that would take seconds per step is refused before it runs, with what to lower; a heavy one is warned and still trains', async () => {
    const twelve = Array.from({ length: 12 }, () => '512.relu').join('_');
    const w = await open(`/playground.html?layers=${twelve}&batch=full`);
    const { page } = w;
    expect(await page.isVisible('#pg-cost')).toBe(true);
    expect(await page.textContent('#pg-cost')).toMatch(/^Not trained: each iteration would take about [\d.]+ × 10\S+ multiply-adds \(12 layers, the widest with 512 neurons, batches of 280\).*Use fewer neurons or layers, or smaller batches\./);
    expect(await page.isDisabled('#pg-play')).toBe(true);
    expect(await page.isDisabled('#pg-step')).toBe(true);
    // Lowering the setting through the controls brings the run back.
    await page.click('#pg-batch-mini');
    for (let i = 0; i < 11; i++) await page.click('#pg-layers li:last-child button.remove');
    expect(await page.isHidden('#pg-cost')).toBe(true);
    expect(await page.isEnabled('#pg-play')).toBe(true);
    await close(w);

    const heavy = await open('/playground.html?layers=512.relu_512.relu_512.relu&n=1000');
    expect(await heavy.page.textContent('#pg-cost')).toMatch(/^Heavy setting: evaluating both sets/);
    await heavy.page.click('#pg-step');
    expect(await heavy.page.textContent('#pg-iteration-count')).toBe('1');
    await close(heavy);
  });

  test('a long run: the epoch charts draw a thinned copy (at most 1,501 points) while their CSV keeps every epoch', async () => {
    // One iteration per epoch (full batch of 35), so thousands of epochs pass in a few seconds.
    const w = await open('/playground.html?data=xor&n=50&batch=full&opt=adam&lr=0.01');
    const { page } = w;
    await page.selectOption('#pg-speed', 'fast');
    await page.click('#pg-play');
    await page.waitForFunction(() => Number(document.getElementById('pg-epoch-count')!.textContent) > 1700, undefined, { timeout: 60_000 });
    await page.click('#pg-play');
    const epochs = Number(await page.textContent('#pg-epoch-count'));
    const drawn = Number(await page.getAttribute('#pg-loss-chart', 'data-drawn-epochs'));
    expect(drawn).toBeGreaterThan(700);
    expect(drawn).toBeLessThanOrEqual(1501);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#pg-loss-chart-csv')]);
    const lines = (await readFile((await csv.path())!, 'utf8')).trim().split('\n');
    // A header, then epoch 0 (before training) to the last one.
    expect(lines).toHaveLength(epochs + 2);
    expect(lines.at(-1)!.split(',')[0]).toBe(String(epochs));
    await close(w);
  });

  test('η can be raised while it trains without restarting the run', async () => {
    const w = await open('/playground.html?data=xor&noise=0&opt=sgd&lr=0.1');
    const { page } = w;
    await page.click('#pg-epoch');
    const iterations = await page.textContent('#pg-iteration-count');
    await page.locator('#pg-lr').fill(String(Math.log10(0.4)));
    expect(await page.textContent('#pg-iteration-count')).toBe(iterations);
    expect(await value(page, '#pg-current-lr')).toBeCloseTo(0.4);
    expect(page.url()).toContain('lr=0.4');
    await close(w);
  });
});
