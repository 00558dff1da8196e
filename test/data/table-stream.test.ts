/**
 * The streaming CSV reader (src/node/csv-stream.ts): the same table as the whole-text reader,
 * and memory in proportion to the cells (4 bytes each), not to the text of the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvTable, DataFormatError, encodeRows, inspectTable, readCsvCells, streamCsvTable, fitFills } from '../../src/node.js';
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
    const text = 'id,colour,"size\ncm",when,y\n1,red,1.5,2020-01-02,0\n\n2,"bl""ue",NA,2021-03-04,1\r\n3,red,1e39,2022-05-06,1\n4,red,-2,2020-01-01,0\n';
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
    const options = { target: 'y', drop: ['id'], missing: 'median' as const };
    const a = inspectTable(streamed, options);
    const b = inspectTable(whole, options);
    expect(a.decisions).toEqual(b.decisions);
    expect(a.taskLine).toBe(b.taskLine);
    expect(() => encodeRows(fitFills(a.plan, streamed, a.rows).plan, streamed, a.rows, { target: true, extraColumns: 'ignore' })).toThrow(
      `${whole.locate(2, 2)} is "1e39", beyond the largest number a float32 holds (±3.4e38); rescale the column (e.g. other units) or fix the value`,
    );
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
    const script = `
      import { streamCsvTable } from ${JSON.stringify(node)};
      import { statSync } from 'node:fs';
      const used = () => { globalThis.gc(); globalThis.gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
      const before = used();
      const { table } = await streamCsvTable(${JSON.stringify(csv)}, { delimiter: ',', decimal: '.' });
      const after = used();
      console.log(JSON.stringify({ retained: after - before, rows: table.rowCount, columns: table.columns.length, text: statSync(${JSON.stringify(csv)}).size, keep: table.cell(0, 0) }));`;
    const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(child.stderr).toBe('');
    const m = JSON.parse(child.stdout) as { retained: number; rows: number; columns: number; text: number };
    const cells = m.rows * m.columns * 4;
    // Float32 columns grow by doubling (at most 2x while reading, trimmed at the end) plus the line numbers (4 bytes a row).
    expect(m.retained).toBeLessThan(1.3 * (cells + m.rows * 4) + 8e6);
    // The text alone would be more than this (and as JavaScript strings, several times more).
    expect(m.retained).toBeLessThan(m.text);
  }, 180_000);
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
