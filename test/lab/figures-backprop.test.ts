/**
 * The backpropagation page's numbers are the engine's: checked in Node against an independent
 * computation with the library's Dense layers and backward(), against the chain rule written out,
 * and in the browser against what the page shows.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { Dense, meanSquaredError, Sequential, tensor } from '../../src/index.js';
import { initialWeights, nudge, runPass, type Weights } from '../../lab/src/backprop/pass.js';
import { openPage, screenshot, useBuiltLab, type StaticServer } from './harness.js';

/** The same network built from the library's layers; gradients from its own backward(). */
function reference(weights: Weights, x: [number, number], y: number) {
  const model = new Sequential([new Dense(3, { activation: 'sigmoid', inputDim: 2 }), new Dense(1, { activation: 'sigmoid', inputDim: 3 })]);
  model.loadStateDict({
    '0.kernel': tensor(weights.w1, [2, 3]),
    '0.bias': tensor(weights.b1, [3]),
    '1.kernel': tensor(weights.w2, [3, 1]),
    '1.bias': tensor(weights.b2, [1]),
  });
  const loss = meanSquaredError(tensor([y], [1, 1]), model.forward(tensor(x, [1, 2])));
  model.zeroGrad();
  loss.backward();
  const [l1, l2] = model.layers as Dense[];
  return {
    loss: loss.item(),
    w1: Array.from(l1!.kernel!.grad!.data),
    b1: Array.from(l1!.bias!.grad!.data),
    w2: Array.from(l2!.kernel!.grad!.data),
    b2: Array.from(l2!.bias!.grad!.data),
  };
}

const close = (a: readonly number[], b: readonly number[], tol = 1e-6): void => {
  expect(a.length).toBe(b.length);
  a.forEach((v, k) => expect(Math.abs(v - b[k]!), `index ${k}: ${v} vs ${b[k]}`).toBeLessThan(tol));
};

describe('one iteration, in Node', () => {
  const weights = initialWeights();
  const sample = { x: [1, -0.5] as [number, number], y: 1 };
  const pass = runPass(weights, sample, 1);

  test('loss and every gradient equal the library’s Dense network and backward()', () => {
    const ref = reference(weights, sample.x, sample.y);
    expect(Math.abs(pass.loss - ref.loss)).toBeLessThan(1e-7);
    close(pass.grads.w1, ref.w1);
    close(pass.grads.b1, ref.b1);
    close(pass.grads.w2, ref.w2);
    close(pass.grads.b2, ref.b2);
  });

  test('the numbers obey the chain rule the page writes: ∂L/∂z = f′(z)·Σ wⱼ ∂L/∂zⱼ, ∂L/∂w = a·∂L/∂z', () => {
    expect(Math.abs(pass.dzOut - pass.dLdyHat * pass.fPrimeOut)).toBeLessThan(1e-6);
    for (let j = 0; j < 3; j++) {
      expect(Math.abs(pass.dzHidden[j]! - pass.fPrimeHidden[j]! * weights.w2[j]! * pass.dzOut)).toBeLessThan(1e-6);
      expect(Math.abs(pass.grads.w2[j]! - pass.aHidden[j]! * pass.dzOut)).toBeLessThan(1e-6);
      for (let i = 0; i < 2; i++) expect(Math.abs(pass.grads.w1[i * 3 + j]! - sample.x[i]! * pass.dzHidden[j]!)).toBeLessThan(1e-6);
    }
  });

  test('the update is w − η·∂L/∂w and lowers this example’s loss', () => {
    close(pass.after.w2, weights.w2.map((w, j) => w - pass.grads.w2[j]!));
    expect(pass.lossAfter).toBeLessThan(pass.loss);
  });

  test('nudging a weight: ΔL measured approaches ∂L/∂w·Δw as Δw shrinks', () => {
    for (const id of ['w2.0', 'w1.1.2'] as const) {
      const big = nudge(pass, id, 0.3);
      const small = nudge(pass, id, 0.01);
      expect(Math.sign(small.measured)).toBe(Math.sign(small.predicted));
      const gap = (r: { measured: number; predicted: number }): number => Math.abs(r.measured - r.predicted);
      // The error of the linear prediction is second order: 30× smaller step, far more than 30× smaller gap.
      expect(gap(small)).toBeLessThan(gap(big) / 100);
      expect(Math.abs(small.measured - small.predicted) / Math.abs(small.predicted)).toBeLessThan(0.05);
    }
  });
});

describe('the page', () => {
  let server: StaticServer;
  let browser: Browser;
  useBuiltLab((lab) => ({ server, browser } = lab));

  test('shows the engine’s numbers phase by phase (→ and ← keys), and the nudge experiment', async () => {
    const w = await openPage(browser, server.origin, '/backprop.html', { locale: 'en-US' });
    const { page } = w;
    const phase = (): Promise<string | null> => page.getAttribute('#bp-diagram', 'data-phase');
    expect(await phase()).toBe('weights');
    // The weights as the page holds them, read from its own edges.
    const edges = await page.$$eval('#bp-diagram .bp-edge', (gs) => gs.map((g) => ({ id: (g as SVGGElement).dataset.weight!, w: Number((g as SVGGElement).dataset.w), grad: Number((g as SVGGElement).dataset.grad), after: Number((g as SVGGElement).dataset.after) })));
    const pageWeights = initialWeights();
    const byId = new Map(edges.map((e) => [e.id, e]));
    for (let k = 0; k < 6; k++) expect(byId.get(`w1.${Math.floor(k / 3)}.${k % 3}`)!.w).toBeCloseTo(pageWeights.w1[k]!, 6);
    const ref = reference(pageWeights, [1, -0.5], 1);
    for (let k = 0; k < 6; k++) expect(Math.abs(byId.get(`w1.${Math.floor(k / 3)}.${k % 3}`)!.grad - ref.w1[k]!)).toBeLessThan(1e-6);
    for (let j = 0; j < 3; j++) expect(Math.abs(byId.get(`w2.${j}`)!.grad - ref.w2[j]!)).toBeLessThan(1e-6);
    expect(await page.textContent('#bp-diagram')).not.toMatch(/∂L\/∂z/);

    // → through the phases: the forward pass fills z and a, then the loss, then the gradients.
    await page.keyboard.press('ArrowRight');
    expect(await phase()).toBe('forwardHidden');
    expect(await page.textContent('#bp-diagram')).toMatch(/z = /);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await phase()).toBe('loss');
    expect(Math.abs(Number(await page.getAttribute('#bp-diagram', 'data-loss')) - ref.loss)).toBeLessThan(1e-7);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await phase()).toBe('backwardHidden');
    const dz = await page.$$eval('#bp-diagram .bp-neuron[data-layer="1"]', (gs) => gs.map((g) => Number((g as SVGGElement).dataset.dz)));
    dz.forEach((v, j) => expect(Math.abs(v - ref.b1[j]!)).toBeLessThan(1e-6));
    expect(await page.textContent('#bp-edge-note')).toMatch(/On every connection: ∂L\/∂w/);
    await page.keyboard.press('ArrowLeft');
    expect(await phase()).toBe('backwardOutput');
    await page.click('#bp-next');
    await page.click('#bp-next');
    expect(await phase()).toBe('update');
    expect(await page.textContent('#bp-diagram')).toMatch(/ → /);
    const w20 = byId.get('w2.0')!;
    expect(w20.after).toBeCloseTo(w20.w - 1 * ref.w2[0]!, 6);
    // → after the update: iteration 2 starts from the new weights.
    await page.keyboard.press('ArrowRight');
    expect(await phase()).toBe('weights');
    expect(await page.textContent('#bp-iteration')).toMatch(/^Iteration 2/);
    expect(Number(await page.getAttribute('#bp-diagram .bp-edge[data-weight="w2.0"]', 'data-w'))).toBeCloseTo(w20.after, 6);
    await page.keyboard.press('ArrowLeft');
    expect(await phase()).toBe('update');

    // Nudge: measured ΔL next to ∂L/∂w·Δw; both from the page, checked against the engine.
    await page.keyboard.press('ArrowLeft');
    await page.selectOption('#bp-weight', 'w2.0');
    await page.locator('#bp-delta').fill('0.01');
    const measured = Number(await page.getAttribute('#bp-nudge', 'data-measured'));
    const predicted = Number(await page.getAttribute('#bp-nudge', 'data-predicted'));
    expect(predicted).toBeCloseTo(ref.w2[0]! * 0.01, 8);
    const nudged = { ...pageWeights, w2: pageWeights.w2.map((v, j) => (j === 0 ? v + 0.01 : v)) };
    expect(Math.abs(measured - (reference(nudged, [1, -0.5], 1).loss - ref.loss))).toBeLessThan(1e-6);
    expect(await page.textContent('#bp-nudge-note')).toMatch(/^The error (improves|gets worse)/);
    expect(w.errors).toEqual([]);
    expect(w.offOrigin).toEqual([]);
    await w.context.close();
  });

  for (const [viewport, orientation] of [
    [{ width: 1280, height: 720 }, 'wide'],
    [{ width: 390, height: 844 }, 'tall'],
  ] as const) {
    test(`${viewport.width} × ${viewport.height}: in every phase no two numbers on the diagram overlap, and they are drawn at 10 px or more`, async () => {
      const w = await openPage(browser, server.origin, '/backprop.html', { locale: 'es-ES', viewport });
      const { page } = w;
      expect(await page.getAttribute('#bp-diagram', 'data-orientation')).toBe(orientation);
      for (let k = 0; k < 7; k++) {
        const found = await page.$$eval('#bp-diagram g.bp-label, #bp-diagram g.bp-values, #bp-diagram g.bp-loss, #bp-diagram g.bp-neuron circle', (nodes) =>
          nodes.map((n) => {
            const r = (n.tagName === 'circle' ? n : n.querySelector('rect')!).getBoundingClientRect();
            const text = n.querySelector('text');
            return { what: (n as SVGElement).dataset.weightLabel ?? n.getAttribute('class') ?? n.tagName, left: r.left, right: r.right, top: r.top, bottom: r.bottom, font: text === null ? null : text.getBoundingClientRect().height };
          }),
        );
        const phase = await page.getAttribute('#bp-diagram', 'data-phase');
        const overlapping: string[] = [];
        for (let a = 0; a < found.length; a++) {
          for (let b = a + 1; b < found.length; b++) {
            const [p, q] = [found[a]!, found[b]!];
            if (Math.min(p.right, q.right) - Math.max(p.left, q.left) > 0.5 && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 0.5) overlapping.push(`${p.what} × ${q.what}`);
          }
        }
        expect(overlapping, `phase ${phase}`).toEqual([]);
        // The diagram's export buttons sit above it, never over its corner (shown or not).
        const bar = await page.$eval('#bp-diagram-png', (b) => b.parentElement!.getBoundingClientRect().bottom);
        const top = await page.$eval('#bp-diagram', (d) => d.getBoundingClientRect().top);
        expect(bar, 'export buttons above the diagram').toBeLessThanOrEqual(top + 0.5);
        // The text's box is about 1.2 times its font size: 12 px or more is a font of 10 px or more.
        for (const f of found) if (f.font !== null) expect(f.font, `${f.what} in phase ${phase}`).toBeGreaterThanOrEqual(12);
        if (phase === 'update') await screenshot(page, `backprop-update-${viewport.width}x${viewport.height}`);
        await page.click('#bp-next');
      }
      expect(w.errors).toEqual([]);
      await w.context.close();
    });
  }

  test('Spanish is complete: no message key left on the page', async () => {
    const w = await openPage(browser, server.origin, '/backprop.html', { locale: 'es-ES' });
    const text = (await w.page.textContent('body'))!;
    expect(text).toMatch(/Retropropagación con los números/);
    expect(text).not.toMatch(/\bbp\.[a-z]/);
    for (let k = 0; k < 6; k++) await w.page.keyboard.press('ArrowRight');
    expect(await w.page.textContent('#bp-phase-title')).toBe('La actualización');
    await w.page.keyboard.press('ArrowRight');
    expect(await w.page.textContent('#bp-iteration')).toMatch(/^Iteración 2/);
    // R, the lab's reset key, starts again from the first weights.
    await w.page.keyboard.press('r');
    expect(await w.page.textContent('#bp-iteration')).toMatch(/^Iteración 1/);
    expect(await w.page.getAttribute('#bp-diagram', 'data-phase')).toBe('weights');
    expect(w.errors).toEqual([]);
    await w.context.close();
  });
});
