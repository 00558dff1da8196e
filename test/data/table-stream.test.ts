/**
 * The streaming CSV reader (src/node/csv-stream.ts): the same table as the whole-text reader,
 * and memory in proportion to the cells (4 bytes each), not to the text of the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvTable, DataFormatError, encodedFeatureNames, encodeParts, encodeRows, inspectTable, readCsvCells, streamCsvTable, fitFills } from '../../src/node.js';
import { buildOnce, ROOT } from '../cli/cli-harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gradiente-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('streamCsvTable', () => {
  it('reads the same cells, lines and decisions as the whole-text reader', async () => {
    // Mixed line endings, a blank line and a quoted field over two lines ("\r\n" inside quotes): the lines must still be right.
    const text = 'id,colour,"size\ncm",when,y\n1,red,1.5,2020-01-02,0\n\n2,"bl""ue",NA,2021-03-04,1\r\n3,"re\r\nd",1e39,2022-05-06,1\n4,red,-2,2020-01-01,0\r\n';
    const p = file('same.csv', text);
    const streamed = (await streamCsvTable(p, { delimiter: ',', decimal: '.' })).table;
    const whole = csvTable(readCsvCells(text, {}, p), p);
    expect(streamed.columns).toEqual(whole.columns);
    expect(streamed.rowCount).toBe(4);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 5; j++) {
        const a = streamed.cell!(i, j);
        const b = whole.rows[i]![j]!;
        // Numbers are kept as float32; text (and values beyond float32) as written.
        expect(typeof a === 'number' ? a : String(a)).toEqual(typeof a === 'number' ? Math.fround(Number(b)) : b);
      }
      expect(streamed.locate(i, 2)).toBe(whole.locate(i, 2));
    }
    expect([0, 1, 2, 3].map((i) => streamed.locate(i, 0))).toEqual([3, 5, 6, 8].map((line) => `${p}: line ${line}, column 1 ('id')`));
    const options = { target: 'y', drop: ['id', 'colour'], missing: 'median' as const };
    const a = inspectTable(streamed, options);
    const b = inspectTable(whole, options);
    expect(a.decisions).toEqual(b.decisions);
    expect(a.taskLine).toBe(b.taskLine);
    expect(() => encodeRows(fitFills(a.plan, streamed, a.rows).plan, streamed, a.rows, { target: true, extraColumns: 'ignore' })).toThrow(
      `${whole.locate(2, 2)} is "1e39", beyond the largest number a float32 holds (±3.4e38); rescale the column (e.g. other units) or fix the value`,
    );
  });

  it('counts lines right when a "\\r\\n" (ending a row, or inside quotes) is split between the pieces the file is read in', async () => {
    // The file streams in 64 KiB pieces: put a row's "\r" as the last byte of the first piece,
    // and a quoted "\r\n" across the second boundary.
    let text = 'a,b\n';
    const fillTo = (end: number): void => {
      while (end - text.length > 40) text += '1,filler\n';
      text += `1,${'x'.repeat(end - text.length - 2)}`;
    };
    fillTo(65535);
    text += '\r\n';
    fillTo(131071 - 5);
    text += '\n2,"y\r\nz"\r\n3,after\n\n4,last\r\n';
    expect(text.indexOf('\r', 65000)).toBe(65535);
    expect(text.indexOf('\r', 131000)).toBe(131071);
    const p = file('pieces.csv', text);
    const streamed = (await streamCsvTable(p, { delimiter: ',', decimal: '.' })).table;
    const whole = csvTable(readCsvCells(text, {}, p), p);
    expect(streamed.rowCount).toBe(whole.rows.length);
    for (let i = 0; i < whole.rows.length; i++) expect(streamed.locate(i, 0)).toBe(whole.locate(i, 0));
    const n = whole.rows.length;
    // The last rows: the quoted field's row starts on the line before "z", "4,last" after a blank line.
    const lines = text.split(/\r\n|\n/);
    expect(streamed.locate(n - 1, 0)).toBe(`${p}: line ${lines.indexOf('4,last') + 1}, column 1 ('a')`);
    expect(streamed.locate(n - 3, 0)).toBe(`${p}: line ${lines.indexOf('z"') }, column 1 ('a')`);
  });

  it('reports ragged rows, broken quotes, empty and header-only files like the whole-text reader', async () => {
    await expect(streamCsvTable(file('r.csv', 'a,b\n1,2\n3\n'), { delimiter: ',', decimal: '.' })).rejects.toThrow(/r\.csv: line 3 has 1 field but the header \(line 1\) has 2/);
    await expect(streamCsvTable(file('q.csv', 'a,b\n"1,2\n'), { delimiter: ',', decimal: '.' })).rejects.toThrow(DataFormatError);
    await expect(streamCsvTable(file('e.csv', ''), { delimiter: ',', decimal: '.' })).rejects.toThrow(/e\.csv: the file is empty/);
    await expect(streamCsvTable(file('h.csv', 'a,b\n'), { delimiter: ',', decimal: '.' })).rejects.toThrow(/h\.csv: has a header \(line 1\) but no data rows/);
    await expect(streamCsvTable(path.join(dir, 'none.csv'), { delimiter: ',', decimal: '.' })).rejects.toThrow(/none\.csv: cannot read it \(no such file\)/);
    const comma = (await streamCsvTable(file('c.csv', 'a;b\n3,5;1\n'), { delimiter: ';', decimal: ',' })).table;
    expect(comma.cell!(0, 0)).toBe(3.5);
  });

  it('keeps memory in proportion to the cells, not the text: a 30 MB file retains about rows × columns × 4 bytes', () => {
    const csv = path.join(dir, 'big.csv');
    expect(spawnSync(process.execPath, [path.join(ROOT, 'bench/big-csv.mjs'), csv, '30']).status).toBe(0);
    const node = path.join(buildOnce(), 'src/node.js');
    // Memory held: the JS heap and everything outside it (external: ArrayBuffers, the column store's resizable chunks included).
    const script = `
      import { streamCsvTable } from ${JSON.stringify(node)};
      import { statSync } from 'node:fs';
      const used = () => { globalThis.gc(); globalThis.gc(); const m = process.memoryUsage(); return m.heapUsed + m.external; };
      const before = used();
      const { table } = await streamCsvTable(${JSON.stringify(csv)}, { delimiter: ',', decimal: '.' });
      const after = used();
      console.log(JSON.stringify({ retained: after - before, rows: table.rowCount, columns: table.columns.length, text: statSync(${JSON.stringify(csv)}).size, keep: table.cell(0, 0) }));`;
    const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(child.stderr).toBe('');
    const m = JSON.parse(child.stdout) as { retained: number; rows: number; columns: number; text: number };
    const cells = m.rows * m.columns * 4;
    // Fixed chunks of float32 (no doubling), no code arrays for columns without text, no line number per row.
    expect(m.retained).toBeLessThan(1.05 * cells + 4e6);
    // The text alone would be more than this (and as JavaScript strings, several times more).
    expect(m.retained).toBeLessThan(m.text);

    // Encoded into a shuffled training part and a test part with the cells released behind the
    // pass: what stays is the matrices (rows × columns × 4 bytes again), not cells and matrices.
    const encodeScript = `
      import { streamCsvTable, inspectTable, encodeParts, Random } from ${JSON.stringify(node)};
      const used = () => { globalThis.gc(); globalThis.gc(); const m = process.memoryUsage(); return m.heapUsed + m.external; };
      const before = used();
      const { table } = await streamCsvTable(${JSON.stringify(csv)}, { delimiter: ',', decimal: '.' });
      const read = used() - before;
      const { plan, rows } = inspectTable(table, { target: 'y' });
      const order = new Random(1).permutation(rows.length);
      const cut = Math.floor(rows.length * 0.8);
      const parts = encodeParts(plan, table, [order.subarray(0, cut), order.subarray(cut)], { target: true, release: true });
      // What the script itself keeps: the matrices, their row lists, and the row lists it made.
      const bytes = parts.reduce((s, p) => s + p.x.data.byteLength + p.y.data.byteLength + p.rows.byteLength, 0) + order.byteLength + rows.byteLength;
      const retained = used() - before;
      console.log(JSON.stringify({ read, retained, bytes, keep: [table.rowCount, parts[0].x.shape, parts[1].y.shape] }));`;
    const encoded = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', encodeScript], { encoding: 'utf8', timeout: 120_000 });
    expect(encoded.stderr).toBe('');
    const e = JSON.parse(encoded.stdout) as { read: number; retained: number; bytes: number };
    expect(e.bytes).toBeGreaterThan(cells);
    // Cells not released would add the cells again (retained ≈ bytes + cells).
    expect(e.retained).toBeLessThan(e.bytes + 0.5 * cells);
  }, 180_000);
});

describe('encodeParts', () => {
  const text = 'a,colour,b,y\n1,red,2,x\n2,blue,NA,y\n3,red,4,x\n4,green,5,y\n5,blue,6,x\n6,red,NA,y\n7,green,8,x\n';
  const table = csvTable(readCsvCells(text, {}, 'e.csv'), 'e.csv');

  it("gives each part what encodeRows gives it, in the part's order, in one pass", () => {
    const { plan } = inspectTable(table, { target: 'y', missing: 'mean' });
    const filled = fitFills(plan, table, [0, 1, 2, 3, 4, 5, 6]).plan;
    const parts = [[6, 0, 3, 5], [2, 4], [1]];
    const together = encodeParts(filled, table, parts, { target: true });
    parts.forEach((rows, p) => {
      const alone = encodeRows(filled, table, rows, { target: true });
      expect(Array.from(together[p]!.x.data)).toEqual(Array.from(alone.x.data));
      expect(together[p]!.x.shape).toEqual(alone.x.shape);
      expect(Array.from(together[p]!.y!.data)).toEqual(Array.from(alone.y!.data));
      expect(Array.from(together[p]!.rows)).toEqual(rows);
    });
  });

  it("leaves out rows with missing cells under 'drop' without leaving their one-hot 1s behind", () => {
    const { plan } = inspectTable(table, { target: 'y', missing: 'drop' });
    // The plan was made without the missing rows; the rows given here include them (new rows read with the plan).
    const parts = [[5, 0, 1, 3], [2, 4, 6]];
    const together = encodeParts(plan, table, parts, { target: true });
    const alone = parts.map((rows) => encodeRows(plan, table, rows, { target: true }));
    expect(Array.from(together[0]!.rows)).toEqual([0, 3]);
    expect(Array.from(together[1]!.rows)).toEqual([2, 4, 6]);
    for (const p of [0, 1]) {
      expect(Array.from(together[p]!.x.data)).toEqual(Array.from(alone[p]!.x.data));
      expect(Array.from(together[p]!.rows)).toEqual(Array.from(alone[p]!.rows));
    }
    // Row 1 (colour 'blue' before its missing b) was left out: row 3, written where it was, has only its own colour.
    const names = encodedFeatureNames(plan);
    const d = names.length;
    const x0 = Array.from(together[0]!.x.data);
    expect(x0.slice(0, d)).toEqual(Array.from(encodeRows(plan, table, [0], { target: true }).x.data));
    expect(x0.slice(d, 2 * d)).toEqual(Array.from(encodeRows(plan, table, [3], { target: true }).x.data));
  });

  it('refuses parts that share a row or name a row the table does not have', () => {
    const { plan } = inspectTable(table, { target: 'y', missing: 'mean' });
    expect(() => encodeParts(plan, table, [[0, 1], [1, 2]])).toThrow(/row 1 is in more than one part/);
    expect(() => encodeParts(plan, table, [[0, 9]])).toThrow(/row 9 is not a row of the table \(0\.\.6\)/);
  });

  it('names the first bad cell in file order, with its line', () => {
    const bad = csvTable(readCsvCells('a,y\n1,0\n2,1\n1e39,0\n3,1\n', {}, 'f.csv'), 'f.csv');
    const plan = inspectTable(bad, { target: 'y' }).plan;
    expect(() => encodeParts(plan, bad, [[3, 1], [0, 2]], { target: true })).toThrow(/f\.csv: line 4, column 1 \('a'\) is "1e39", beyond the largest number a float32 holds/);
  });
});

describe('loadCsvStreaming (the library form)', () => {
  it('gives the same dataset as loadCsv', async () => {
    const text = 'colour;size;y\nred;1,5;a\nblue;2;b\nred;NA;a\n';
    const p = file('lib.csv', text);
    const { loadCsv, loadCsvStreaming } = await import('../../src/node.js');
    const options = { target: 'y', delimiter: ';', decimal: ',' as const, missing: 'mean' as const };
    const streamed = await loadCsvStreaming(p, options);
    const whole = loadCsv(p, options);
    expect(streamed.featureNames).toEqual(whole.featureNames);
    expect(Array.from(streamed.x.data)).toEqual(Array.from(whole.x.data));
    expect(Array.from(streamed.y.data)).toEqual(Array.from(whole.y.data));
    expect(streamed.decisions).toEqual(whole.decisions);
    await expect(loadCsvStreaming(p, { target: 'y', delimeter: ';' } as never)).rejects.toThrow(/did you mean delimiter\?/);
  });
});
