/**
 * CSV files in the playground (issue 13, quality): a Spanish spreadsheet's CSV (semicolons,
 * decimal commas) loads and says how it was read; a CSV that does not fit the chosen loss
 * clears the previous run and says what to change; files are parsed in a worker with progress;
 * the file input speaks the page's language.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { parseCsvFile } from '../../lab/src/playground/csv-parse.js';
import { openPage, useBuiltLab, type StaticServer, type WatchedPage } from './harness.js';

/** 60 rows of two measurements and a class, written as a Spanish spreadsheet saves them. */
function spanishCsv(classes = 2): string {
  const rows = ['altura;anchura;clase'];
  for (let i = 0; i < 60; i++) rows.push(`${((i % 10) + 1.5).toFixed(2).replace('.', ',')};${(Math.floor(i / 10) + 0.25).toFixed(2).replace('.', ',')};c${i % classes}`);
  return rows.join('\n');
}

describe('reading a CSV without the page', () => {
  test('semicolons and decimal commas are detected, the numbers read as numbers, and the decisions said', () => {
    const result = parseCsvFile('medidas.csv', spanishCsv());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { csv } = result;
    expect(csv.delimiter).toBe(';');
    expect(csv.columns).toEqual(['altura', 'anchura', 'clase']);
    expect(csv.rows).toBe(60);
    expect(Array.from(csv.x.subarray(0, 2))).toEqual([1.5, 0.25]);
    expect(csv.task).toBe('classification');
    expect(csv.decisions[0]).toMatch(/^separator ';': the first line has 2 ';' and no ','/);
    expect(csv.decisions.join(' ')).toMatch(/decimal/i);
  });

  test('problems come back as codes for the page to word', () => {
    expect(parseCsvFile('one.csv', 'a\n1\n2')).toEqual({ ok: false, problem: { code: 'tooFewColumns', name: 'one.csv' } });
    const few = parseCsvFile('few.csv', 'a,b\n1,x\n2,y');
    expect(few).toEqual({ ok: false, problem: { code: 'tooFewRows', name: 'few.csv', rows: 2, min: 10 } });
  });
});

let server: StaticServer;
let browser: Browser;
useBuiltLab((lab) => ({ server, browser } = lab), 120_000);

async function close(w: WatchedPage): Promise<void> {
  expect(w.errors).toEqual([]);
  expect(w.offOrigin).toEqual([]);
  await w.context.close();
}

describe('CSV files in the playground', () => {
  test('a Spanish CSV loads in a worker and trains; the file input speaks the page’s language', async () => {
    const w = await openPage(browser, server.origin, '/playground.html', { locale: 'es-ES' });
    const { page } = w;
    expect(await page.textContent('#pg-csv-chosen')).toBe('ningún archivo elegido');
    expect(await page.textContent('label[for="pg-csv-file"]')).toBe('Cargar un CSV');
    await page.setInputFiles('#pg-csv-file', { name: 'medidas.csv', mimeType: 'text/csv', buffer: Buffer.from(spanishCsv()) });
    await page.waitForFunction(() => (document.getElementById('pg-csv-info')!.textContent ?? '').includes('medidas.csv'));
    expect(await page.textContent('#pg-csv-info')).toMatch(/60 filas, 2 columnas de entrada, «clase» con 2 clases/);
    expect(await page.textContent('#pg-csv-decisions')).toMatch(/separator ';'/);
    expect(page.workers().some((worker) => /csv-worker/.test(worker.url()))).toBe(true);
    await page.click('#pg-epoch');
    expect(await page.textContent('#pg-epoch-count')).toBe('1');
    await close(w);
  });

  test('a CSV that does not fit the chosen loss clears the previous run and says what to change', async () => {
    const w = await openPage(browser, server.origin, '/playground.html?data=xor&loss=bce', { locale: 'en-US' });
    const { page } = w;
    await page.click('#pg-epoch');
    expect(Number(await page.getAttribute('#pg-iteration-chart', 'data-iterations'))).toBeGreaterThan(0);
    await page.setInputFiles('#pg-csv-file', { name: 'three.csv', mimeType: 'text/csv', buffer: Buffer.from(spanishCsv(3)) });
    await page.waitForSelector('#pg-status[data-state="error"]');
    expect(await page.textContent('#pg-status')).toBe('Binary cross-entropy is for two classes and this data has 3: choose categorical cross-entropy.');
    expect(await page.isHidden('#pg-boundary')).toBe(true);
    expect(await page.isHidden('#pg-network')).toBe(true);
    expect(await page.getAttribute('#pg-iteration-chart', 'data-iterations')).toBe('0');
    expect(await page.textContent('#pg-train-loss')).toBe('—');
    expect(await page.isDisabled('#pg-play')).toBe(true);
    // Doing what it says brings the run back.
    await page.selectOption('#pg-loss', 'cce');
    expect(await page.isEnabled('#pg-play')).toBe(true);
    await close(w);
  });

  test('a large file is parsed off the page’s thread, with progress shown meanwhile', async () => {
    const w = await openPage(browser, server.origin, '/playground.html', { locale: 'en-US' });
    const { page } = w;
    const rows = ['a,b,label'];
    for (let i = 0; i < 150_000; i++) rows.push(`${(i % 97) / 10},${(i % 89) / 10},${i % 2 ? 'odd' : 'even'}`);
    await page.evaluate(() => {
      const seen = { progress: false };
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() => {
        if (!document.getElementById('pg-csv-progress')!.hidden) seen.progress = true;
      }).observe(document.getElementById('pg-csv-progress')!, { attributes: true });
    });
    await page.setInputFiles('#pg-csv-file', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await page.waitForFunction(() => (document.getElementById('pg-csv-info')!.textContent ?? '').includes('big.csv'), null, { timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { seen: { progress: boolean } }).seen.progress)).toBe(true);
    expect(await page.textContent('#pg-csv-info')).toMatch(/150000 rows/);
    expect(page.workers().some((worker) => /csv-worker/.test(worker.url()))).toBe(true);
    await close(w);
  }, 90_000);
});
