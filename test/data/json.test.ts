import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFormatError, loadJsonRecords, parseJsonRecords, recordsToDataset } from '../../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'gradiente-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const records = [
  { x1: 0.5, x2: true, label: 'dog' },
  { x1: -1, x2: false, label: 'cat' },
  { x1: '2.5', x2: 1, label: 'dog' },
];

describe('loadJsonRecords / parseJsonRecords', () => {
  it('reads an array of flat records; keys of record 0 fix the columns', () => {
    const path = join(dir, 'pets.json');
    writeFileSync(path, JSON.stringify(records));
    const d = loadJsonRecords(path, { target: 'label' });
    expect(d.featureNames).toEqual(['x1', 'x2']);
    expect(Array.from(d.x.data)).toEqual([0.5, 1, -1, 0, 2.5, 1]);
    expect(d.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(d.y.data)).toEqual([1, 0, 1]);
    expect(d.task).toBe('classification');
  });

  it('a numeric target is a regression target [N, 1], key order of later records does not matter', () => {
    const d = parseJsonRecords('[{"a": 1, "y": 0.5}, {"y": 1.5, "a": 2}]', { target: 'y' });
    expect(d.task).toBe('regression');
    expect(d.y.shape).toEqual([2, 1]);
    expect(Array.from(d.y.data)).toEqual([0.5, 1.5]);
    expect(Array.from(d.x.data)).toEqual([1, 2]);
  });

  it('names the record index and key of a bad value', () => {
    expect(() => parseJsonRecords('[{"a": 1, "y": 0}, {"a": "big", "y": 1}]', { target: 'y' }, 'd.json')).toThrow(
      new DataFormatError(
        'd.json: record 1, key \'a\' is "big", not a number, though the column holds numbers; fix the cell, write it as missing (NA), or one-hot encode the column with categorical: \'a\'',
      ),
    );
    expect(() => parseJsonRecords('[{"a": null, "y": 0}]', { target: 'y' }, 'd.json')).toThrow(/d.json: record 0, key 'a' is missing \(null\); it is a feature, so choose missing: 'drop'/);
    expect(() => parseJsonRecords('[{"a": [1, 2], "y": 0}]', { target: 'y' }, 'd.json')).toThrow(/d.json: record 0, key 'a' holds an array/);
    expect(() => parseJsonRecords('[{"a": 1, "y": null}]', { target: 'y' }, 'd.json')).toThrow(/d.json: record 0, key 'y' is missing \(null\); it is the target, so choose missing: 'drop'/);
  });

  it('rejects records with missing or extra keys', () => {
    expect(() => parseJsonRecords('[{"a": 1, "y": 0}, {"a": 2, "y": 1}, {"y": 1}]', { target: 'y' }, 'k.json')).toThrow(
      /k.json: record 2 has no key 'a' \(record 0 has it\)/,
    );
    expect(() => parseJsonRecords('[{"a": 1, "y": 0}, {"a": 2, "b": 3, "y": 1}]', { target: 'y' }, 'k.json')).toThrow(
      /k.json: record 1 has key 'b', which record 0 does not/,
    );
  });

  it('lists the keys when the target is absent', () => {
    expect(() => recordsToDataset(records, { target: 'species' }, 'pets')).toThrow(
      "pets: record 0 has no key 'species' to use as the target; its keys are: 'x1', 'x2', 'label'",
    );
  });

  it('rejects invalid JSON, a non-array, an empty array and non-object records', () => {
    expect(() => parseJsonRecords('[{"a": 1,}]', { target: 'y' }, 'bad.json')).toThrow(/bad.json: is not valid JSON \(.*position/);
    expect(() => parseJsonRecords('{"a": 1}', { target: 'y' }, 'o.json')).toThrow(/o.json: expected an array of records .* found an object/);
    expect(() => parseJsonRecords('[]', { target: 'y' }, 'e.json')).toThrow(/e.json: the array holds no records/);
    expect(() => parseJsonRecords('[{"y": 1}, 5]', { target: 'y' }, 'n.json')).toThrow(/n.json: record 1 is a number, expected an object/);
    const path = join(dir, 'missing.json');
    expect(() => loadJsonRecords(path, { target: 'y' })).toThrow(`${path}: cannot read it (no such file)`);
  });
});
