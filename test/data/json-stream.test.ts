/**
 * The streaming JSON records reader (src/node/json-stream.ts): the same table as the
 * whole-text reader (src/data/json.ts) on data sets as published, the same messages for
 * records that are not flat objects with the same keys, syntax errors with their line and
 * column, and memory in proportion to the cells (4 bytes each), not to the text.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectTable, jsonTable, loadJsonRecords, loadJsonRecordsStreaming, streamJsonTable, type Cell } from '../../src/node.js';
import { buildOnce, ROOT } from '../cli/cli-harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gradiente-json-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** What the column store keeps of a cell the whole-text reader holds: numbers as float32. */
const stored = (cell: Cell): Cell => (typeof cell === 'number' ? Math.fround(cell) : cell);

describe('streamJsonTable', () => {
  for (const name of ['cars.json', 'movies.json', 'flights-2k.json']) {
    it(`reads vega-datasets ${name} as the whole-text reader does (cells, places, decisions)`, async () => {
      const p = path.join(ROOT, 'node_modules/vega-datasets/data', name);
      const whole = jsonTable(readFileSync(p, 'utf8'), p);
      const streamed = (await streamJsonTable(p)).table;
      expect(streamed.columns).toEqual(whole.columns);
      expect(streamed.rowCount).toBe(whole.rows.length);
      for (let i = 0; i < whole.rows.length; i++) {
        for (let j = 0; j < whole.columns.length; j++) expect(streamed.cell!(i, j)).toEqual(stored(whole.rows[i]![j]));
      }
      expect(streamed.locate(3, 1)).toBe(whole.locate(3, 1));
      expect(streamed.missingTarget('nope')).toBe(whole.missingTarget('nope'));
    });
  }

  it('gives the dataset of the whole-text reader (Auto MPG as published)', async () => {
    const p = path.join(ROOT, 'node_modules/vega-datasets/data/cars.json');
    const options = { target: 'Miles_per_Gallon', drop: ['Name'], missing: 'drop' as const };
    const streamed = await loadJsonRecordsStreaming(p, options);
    const whole = loadJsonRecords(p, options);
    expect(streamed.taskLine).toBe(whole.taskLine);
    expect(streamed.decisions).toEqual(whole.decisions);
    expect(streamed.featureNames).toEqual(whole.featureNames);
    expect(Array.from(streamed.x.data)).toEqual(Array.from(whole.x.data));
    expect(Array.from(streamed.y.data)).toEqual(Array.from(whole.y.data));
    await expect(loadJsonRecordsStreaming(p, { target: 'Miles_per_Gallon', missng: 'drop' } as never)).rejects.toThrow(/did you mean missing\?/);
  });

  it('keeps numbers of --categorical keys as written, text, booleans and null as they are', async () => {
    const p = file('kinds.json', '\uFEFF[{"k": 1.1, "t": "a", "b": true, "n": null, "big": 1e39},\n {"n": 2, "k": 2, "t": "é", "b": false, "big": -3}]');
    const { table } = await streamJsonTable(p, { textColumns: ['k'] });
    expect(table.columns).toEqual(['k', 't', 'b', 'n', 'big']);
    expect([0, 1, 2, 3, 4].map((j) => table.cell!(0, j))).toEqual([1.1, 'a', true, null, 1e39]);
    expect([0, 1, 2, 3, 4].map((j) => table.cell!(1, j))).toEqual([2, 'é', false, 2, -3]);
    const inspection = inspectTable(table, { target: 'b', categorical: ['k'], drop: ['big'], missing: 'mean' });
    expect(inspection.plan.columns[0]).toMatchObject({ name: 'k', kind: 'category', categories: ['1.1', '2'] });
  });

  it('reports records that are not flat objects with the same keys, as the whole-text reader does', async () => {
    const cases: [string, RegExp][] = [
      ['{"a": 1}', /expected an array of records \(\[\{\.\.\.\}, \{\.\.\.\}\]\), found an object at the top level/],
      ['"x"', /found a string at the top level/],
      ['[]', /the array holds no records; expected one object per sample/],
      ['[{"a": 1, "y": 0}, 5]', /record 1 is a number, expected an object of column: value pairs/],
      ['[{"a": 1, "y": 0}, [1, 0]]', /record 1 is an array, expected an object/],
      ['[{}]', /record 0 has no keys; the first record names the columns/],
      ['[{"a": 1, "y": 0}, {"a": {"b": 2}, "y": 1}]', /record 1, key 'a' holds an object; values must be numbers, strings or booleans/],
      ['[{"a": 1, "y": 0}, {"a": 2, "y": 1, "z": 3}]', /record 1 has key 'z', which record 0 does not; all records need the same keys/],
      ['[{"a": 1, "y": 0}, {"a": 2}]', /record 1 has no key 'y' \(record 0 has it\); all records need the same keys/],
    ];
    for (const [text, message] of cases) {
      const p = file('bad.json', text);
      await expect(streamJsonTable(p)).rejects.toThrow(message);
      expect(() => jsonTable(text, p)).toThrow(message);
    }
  });

  it('names the line and column of a syntax error, and the file', async () => {
    const p = file('syntax.json', '[{"a": 1, "y": 0},\n {"a": 2, "y": }]');
    await expect(streamJsonTable(p)).rejects.toThrow(`${p}: is not valid JSON (expected a value) at line 2, column 16`);
    const cut = file('cut.json', '[{"a": 1, "y": 0},\n {"a": 2');
    await expect(streamJsonTable(cut)).rejects.toThrow(new RegExp(`${cut.replace(/[.\\/]/g, '\\$&')}: is not valid JSON \\(.*\\) at line 2, column 9`));
    await expect(streamJsonTable(file('empty.json', ''))).rejects.toThrow(/empty\.json: the file is empty/);
    await expect(streamJsonTable(path.join(dir, 'none.json'))).rejects.toThrow(/none\.json: cannot read it \(no such file\)/);
    // An error far into a file of many pieces (64 KiB each) is placed exactly too.
    const rows = Array.from({ length: 60_000 }, (_, i) => `{"a": ${i}, "y": ${i % 2}}`);
    rows[55_000] = '{"a": 1, "y" 0}';
    const long = file('long.json', `[\n${rows.join(',\n')}\n]`);
    await expect(streamJsonTable(long)).rejects.toThrow(/is not valid JSON \(expected ':'\) at line 55002, column 14/);
  });

  it('keeps memory in proportion to the cells, not the text: a 12 MB file retains about records × keys × 4 bytes', () => {
    const p = path.join(dir, 'big.json');
    const records: string[] = [];
    for (let i = 0; i < 150_000; i++) records.push(JSON.stringify({ a: i * 0.25, b: Math.sin(i), c: (i * 7919) % 1000, d: i % 3 === 0 ? 'x' : 'y', e: null, y: i % 2 }));
    writeFileSync(p, `[${records.join(',\n')}]`);
    const node = path.join(buildOnce(), 'src/node.js');
    const script = `
      import { streamJsonTable } from ${JSON.stringify(node)};
      import { statSync } from 'node:fs';
      const used = () => { globalThis.gc(); globalThis.gc(); const m = process.memoryUsage(); return m.heapUsed + m.external; };
      const before = used();
      const { table } = await streamJsonTable(${JSON.stringify(p)});
      const after = used();
      console.log(JSON.stringify({ retained: after - before, rows: table.rowCount, columns: table.columns.length, text: statSync(${JSON.stringify(p)}).size, keep: table.cell(0, 0) }));`;
    const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(child.stderr).toBe('');
    const m = JSON.parse(child.stdout) as { retained: number; rows: number; columns: number; text: number };
    expect(m.rows).toBe(150_000);
    const cells = m.rows * m.columns * 4;
    // Float32 chunks for every column, plus codes (4 bytes a cell) for the two columns of text and null.
    expect(m.retained).toBeLessThan(1.05 * (cells + m.rows * 2 * 4) + 4e6);
    // The whole-text reader keeps the records as JS objects, more than the text.
    expect(m.retained).toBeLessThan(m.text);
  }, 180_000);
});
