/**
 * The lab's pictures never contradict their text: checked in a real browser (Debian's Chromium
 * via playwright-core) on the built lab, as the students see it.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, useBuiltLab, type StaticServer, type WatchedPage } from './harness.js';

let server: StaticServer;
let browser: Browser;
useBuiltLab((lab) => ({ server, browser } = lab), 180_000);

async function open(path: string, locale = 'en-US'): Promise<WatchedPage> {
  return openPage(browser, server.origin, path, { locale });
}

async function close(watched: WatchedPage): Promise<void> {
  expect(watched.errors, `errors on ${watched.page.url()}`).toEqual([]);
  expect(watched.offOrigin, 'requests to other origins').toEqual([]);
  await watched.context.close();
}

const data = (page: Page, selector: string, key: string): Promise<string | undefined> => page.$eval(selector, (el, k) => (el as HTMLElement).dataset[k], key);

describe('gradient descent', () => {
  test('every surface is drawn with equal scales on both axes (the valley used to be stretched 1.7×)', async () => {
    const w = await open('/gradient_descent.html?surface=valley');
    for (const surface of ['valley', 'bowl', 'banana', 'autompg']) {
      await w.page.selectOption('#gd-surface', surface);
      const x = Number(await data(w.page, '#gd-canvas', 'pixelsPerUnitX'));
      const y = Number(await data(w.page, '#gd-canvas', 'pixelsPerUnitY'));
      expect(x).toBeGreaterThan(0);
      expect(Math.abs(x / y - 1), surface).toBeLessThan(1e-6);
    }
    await close(w);
  });

  test('«pruebe 1.05» can be set with the slider, and 1.05 diverges on the bowl', async () => {
    const w = await open('/gradient_descent.html?surface=bowl&opt=sgd&speed=turbo', 'es-ES');
    const { page } = w;
    await page.locator('#gd-lr').fill(String(Math.log10(1.05)));
    expect(await page.textContent('output[for="gd-lr"]')).toBe('1.05');
    await page.click('#gd-play');
    await page.waitForSelector('#gd-status[data-state="diverged"]', { timeout: 20_000 });
    expect(await page.textContent('#gd-status')).toMatch(/^Divergió: con η = 1[.,]05/);
    await close(w);
  });

  test('η = 1 on the bowl is named "oscillating" and the run stops, instead of "descending…" to the limit', async () => {
    const w = await open('/gradient_descent.html?surface=bowl&opt=sgd&speed=turbo&lr=1');
    const { page } = w;
    await page.click('#gd-play');
    await page.waitForSelector('#gd-status[data-state="oscillating"]', { timeout: 20_000 });
    expect(await page.textContent('#gd-status')).toMatch(/^Oscillating:/);
    expect(Number(await data(page, '#gd-status', 'iteration'))).toBeLessThan(200);
    expect(await page.getAttribute('#gd-play', 'aria-pressed')).toBe('false');
    await close(w);
  });

  test('RMSProp on the saddle is named as hovering', async () => {
    const w = await open('/gradient_descent.html?surface=saddle&opt=rmsprop&speed=turbo');
    await w.page.click('#gd-play');
    await w.page.waitForSelector('#gd-status[data-state="hovering"]', { timeout: 20_000 });
    expect(await w.page.textContent('#gd-status')).toMatch(/^RMSProp is hovering/i);
    await close(w);
  });

  test('stochastic descent with a constant η on Auto MPG is named SGD noise while it plays', async () => {
    const w = await open('/gradient_descent.html?surface=autompg&opt=sgd&batch=stochastic&speed=turbo&lr=0.1');
    await w.page.click('#gd-play');
    await w.page.waitForSelector('#gd-status[data-state="noisy"]', { timeout: 30_000 });
    expect(await w.page.textContent('#gd-status')).toMatch(/^SGD noise: .*Lower η or use a schedule/);
    await close(w);
  });

  test('the valley: μ on the figure; at the defaults momentum beats gradient descent and the caption says so; μ = 0.9 overshoots and the caption changes', async () => {
    const w = await open('/gradient_descent.html?surface=valley&opt=momentum&speed=turbo');
    const { page } = w;
    expect(await page.isVisible('#gd-mu')).toBe(true);
    expect(await page.isVisible('#gd-beta1')).toBe(false);
    // μ is on the figure: in the surface's card, right under the canvas, covering none of it.
    const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
    const [surface, knobs] = [await box('#gd-canvas'), await box('#gd-figure-knobs')];
    expect(await page.$eval('#gd-mu', (e) => e.closest('.card')!.contains(document.querySelector('#gd-canvas')))).toBe(true);
    expect(knobs.y).toBeGreaterThanOrEqual(surface.y + surface.height - 1);
    expect(knobs.y - (surface.y + surface.height)).toBeLessThan(20);
    expect(await page.textContent('#gd-about')).toMatch(/momentum fixes it/);
    await page.click('#gd-play');
    await page.waitForSelector('#gd-status[data-state="converged"]', { timeout: 20_000 });
    expect(await data(page, '#gd-verdict', 'comparison')).toBe('faster');
    const [mine, plain] = (await page.textContent('#gd-verdict'))!.match(/\d+/g)!.filter((n) => n !== '0').slice(-2).map(Number);
    expect(mine).toBeLessThan(plain! / 2);
    await page.locator('#gd-mu').fill('0.9');
    await page.click('#gd-play');
    await page.waitForSelector('#gd-status[data-state="converged"]', { timeout: 20_000 });
    expect(await data(page, '#gd-verdict', 'comparison')).toBe('slower');
    expect(await page.textContent('#gd-verdict')).toMatch(/overshoots.*Lower η or μ/);
    expect(page.url()).toContain('mu=0.9');
    // Adam shows β₁ and β₂ instead; β₂ travels in the link.
    await page.selectOption('#gd-optimizer', 'adam');
    expect(await page.isVisible('#gd-beta1')).toBe(true);
    expect(await page.isVisible('#gd-beta2')).toBe(true);
    expect(await page.isVisible('#gd-mu')).toBe(false);
    await page.locator('#gd-beta2').fill('0.9');
    expect(page.url()).toContain('beta2=0.9');
    await close(w);
  });

  test('the valley’s caption reacts while it plays: ahead of plain descent at the defaults; overshooting named as soon as it costs the lead', async () => {
    const w = await open('/gradient_descent.html?surface=valley&opt=momentum');
    const { page } = w;
    for (let k = 0; k < 15; k++) await page.click('#gd-step');
    expect(await data(page, '#gd-verdict', 'live')).toBe('ahead');
    expect(await page.textContent('#gd-verdict')).toMatch(/^So far \(iteration 15\): .* is ahead of gradient descent with the same η = 0\.05/);
    await page.locator('#gd-lr').fill(String(Math.log10(0.09)));
    await page.locator('#gd-mu').fill('0.9');
    for (let k = 0; k < 12; k++) await page.click('#gd-step');
    expect(await data(page, '#gd-verdict', 'live')).toBe('overshooting');
    expect(await page.textContent('#gd-verdict')).toMatch(/is behind gradient descent.* Overshooting: its loss rose at iteration \d+\. Lower η or μ\./);
    await close(w);
  });

  test('the 1-D parabola stops playing when the ball reaches the minimum', async () => {
    const w = await open('/gradient_descent.html');
    const { page } = w;
    await page.locator('#oned-lr').fill(String(Math.log10(0.4)));
    await page.click('#oned-play');
    await page.waitForSelector('#oned-status[data-state="converged"]', { timeout: 20_000 });
    const steps = await data(page, '#oned-status', 'steps');
    expect(await page.getAttribute('#oned-play', 'aria-pressed')).toBe('false');
    await page.waitForTimeout(800);
    expect(await data(page, '#oned-status', 'steps')).toBe(steps);
    // η = 1: the ball jumps between two mirror points; named, and play stops.
    await page.locator('#oned-lr').fill('0');
    expect(await page.textContent('output[for="oned-lr"]')).toBe('1');
    await page.click('#oned-play');
    await page.waitForSelector('#oned-status[data-state="oscillating"]', { timeout: 20_000 });
    expect(await page.textContent('#oned-status')).toMatch(/^Oscillating/);
    await close(w);
  });
});

describe('derivatives and activations', () => {
  test('the vanishing-gradient bars are relative to the last hidden layer; tanh, GELU, ELU and Swish can join; each network is named as learning or not', async () => {
    const w = await open('/activations.html');
    const { page } = w;
    const kinds = async (): Promise<string[]> => page.$$eval('#van-summary li', (lis) => lis.map((li) => (li as HTMLElement).dataset.kind!));
    expect(await kinds()).toEqual(['sigmoid', 'tanh', 'relu']);
    for (const kind of ['gelu', 'elu', 'swish']) await page.check(`#van-${kind}`);
    expect(await kinds()).toEqual(['sigmoid', 'tanh', 'relu', 'elu', 'gelu', 'swish']);
    const relative = (kind: string): Promise<number> => page.$eval(`#van-summary li[data-kind="${kind}"]`, (li) => Number((li as HTMLElement).dataset.relativeStart));
    expect(await relative('sigmoid')).toBeLessThan(1e-4);
    expect(await relative('relu')).toBeGreaterThan(1e-2);
    expect(await page.getAttribute('#van-bars', 'aria-label')).toMatch(/^‖∂L\/∂Wₗ‖ \/ ‖∂L\/∂W_last‖: sigmoid/);
    await page.click('#van-play');
    await page.waitForFunction(() => document.querySelector('#van-summary li[data-kind="relu"]')?.getAttribute('data-trend') === 'falling', null, { timeout: 60_000 });
    await page.click('#van-play');
    expect(await page.textContent('#van-summary li[data-kind="relu"]')).toMatch(/The loss falls/);
    await close(w);
  });

  test('the small network names a dead ReLU neuron', async () => {
    const w = await open('/activations.html');
    const { page } = w;
    await page.selectOption('#net-activation', 'relu');
    expect(await page.getAttribute('#net-loss', 'data-dead')).toBe('0');
    await page.click('#net-reseed');
    expect(Number(await page.getAttribute('#net-loss', 'data-dead'))).toBeGreaterThan(0);
    expect(await page.textContent('#net-loss')).toMatch(/Dead ReLU neurons/);
    await page.hover('#network [data-dead="true"]');
    expect(await page.textContent('#net-relu-note')).toMatch(/^Dead ReLU neuron: z ≤ 0 for every input/);
    expect(Number(await page.textContent('#net-dldz'))).toBe(0);
    await close(w);
  });
});

describe('loss functions', () => {
  test('MAE says its derivative does not exist at 0 and that 0 is used there, and the page shows 0', async () => {
    const w = await open('/loss_functions.html');
    const { page } = w;
    expect(await page.textContent('#loss-mae-note')).toMatch(/^At ŷ = y the derivative does not exist.*use 0/);
    await page.locator('#loss-yhat').fill('0.5'); // y is 0.5
    expect(Number(await data(page, '#loss-mae-readout', 'slope'))).toBe(0);
    await close(w);
  });

  test('BCE against MSE from a confidently wrong start: shown side by side, BCE gets there far sooner', async () => {
    const w = await open('/loss_functions.html', 'es-ES');
    const { page } = w;
    const reached = async (id: string): Promise<number> => {
      const v = await data(page, id, 'reached');
      return v === 'never' ? Infinity : Number(v);
    };
    expect(await reached('#race-bce')).toBeLessThan(20);
    expect(await reached('#race-mse')).toBeGreaterThan(4 * (await reached('#race-bce')));
    expect(await page.textContent('#race-bce')).toMatch(/^sigmoide \+ BCE: ∂L\/∂z al empezar = /);
    // A less confident start narrows the gap: the slider is live.
    await page.locator('#race-z').fill('-1');
    expect(await reached('#race-mse')).toBeLessThan(Infinity);
    await close(w);
  });
});

describe('side-by-side comparisons on the gradient-descent page', () => {
  test('GD vs momentum vs Adam race from one start; batch vs mini-batch vs stochastic on Auto MPG', async () => {
    const w = await open('/gradient_descent.html');
    const { page } = w;
    const outcome = (id: string): Promise<string | null> => page.getAttribute(`#race-results li[data-racer="${id}"]`, 'data-outcome');
    const iteration = async (id: string): Promise<number> => Number(await page.getAttribute(`#race-results li[data-racer="${id}"]`, 'data-iteration'));
    await page.click('#race-play');
    await page.waitForFunction(() => document.querySelector('#race-play')?.getAttribute('aria-pressed') === 'false', null, { timeout: 60_000 });
    expect(await outcome('sgd')).toBe('converged');
    expect(await outcome('momentum')).toBe('converged');
    expect(await iteration('momentum')).toBeLessThan(await iteration('sgd'));
    await page.selectOption('#race-kind', 'batches');
    expect(await page.isVisible('#race-surface')).toBe(false);
    await page.click('#race-play');
    await page.waitForFunction(() => document.querySelector('#race-play')?.getAttribute('aria-pressed') === 'false', null, { timeout: 90_000 });
    expect(await outcome('batch')).toBe('converged');
    expect(await outcome('stochastic')).toBe('noisy');
    expect(await page.textContent('#race-results li[data-racer="stochastic"]')).toMatch(/\(epoch [\d.]+\).*SGD noise/);
    await close(w);
  });
});

describe('batch processing', () => {
  test('the batch-size trade-off: accuracy against time and epochs for batches of 1, 32 and 512, repeated, with spread', async () => {
    const w = await open('/mnist.html');
    const { page } = w;
    await page.selectOption('#tradeoff-seconds', '1');
    await page.selectOption('#tradeoff-repeats', '2');
    await page.click('#tradeoff-run');
    await page.waitForSelector('#tradeoff-status[data-state="done"]', { timeout: 120_000 });
    expect(await page.textContent('#tradeoff-status')).toBe('Done: 6 runs.');
    const rows = await page.$$eval('#tradeoff-table tbody tr', (trs) =>
      trs.map((tr) => ({ batch: Number((tr as HTMLElement).dataset.batch), rate: Number((tr as HTMLElement).dataset.rate), final: Number((tr as HTMLElement).dataset.final), atEpochs: Number((tr as HTMLElement).dataset.atEpochs) })),
    );
    expect(rows.map((r) => r.batch)).toEqual([1, 32, 512]);
    for (const r of rows) {
      expect(r.rate).toBeGreaterThan(0);
      expect(r.final).toBeGreaterThan(0.1);
    }
    // Per epoch, batches of one take hundreds of times more steps than batches of 512.
    expect(rows[0]!.atEpochs).toBeGreaterThan(rows[2]!.atEpochs);
    expect(await page.textContent('#tradeoff-table thead')).toMatch(/median \(min–max\)/);
    expect(await page.textContent('#tradeoff-conclusion')).toMatch(/^Median of 2 repeats of 1 s/);
    await close(w);
  }, 180_000);
});
