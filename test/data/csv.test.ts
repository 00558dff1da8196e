import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFormatError, ValueError, loadCsv, parseCsv } from '../../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'gradiente-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const iris = `sepal_length,sepal_width,species
5.1,3.5,setosa
7.0,3.2,versicolor
6.3,3.3,virginica
4.9,3.0,setosa
`;

describe('loadCsv / parseCsv', () => {
  it('reads a file: features in column order, text targets as sorted class names', () => {
    const d = loadCsv(file('iris.csv', iris), { target: 'species' });
    expect(d.featureNames).toEqual(['sepal_length', 'sepal_width']);
    expect(d.targetName).toBe('species');
    expect(d.x.shape).toEqual([4, 2]);
    expect(Array.from(d.x.data)).toEqual(Array.from(Float32Array.of(5.1, 3.5, 7.0, 3.2, 6.3, 3.3, 4.9, 3.0)));
    expect(d.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(d.task).toBe('classification');
    expect(d.numClasses).toBe(3);
    expect(d.y.shape).toEqual([4]);
    expect(Array.from(d.y.data)).toEqual([0, 1, 2, 0]);
  });

  it('a numeric target is a regression target [N, 1]; the target can be any column', () => {
    const d = parseCsv('price,rooms,area\n100,2,50\n250.5,4,1.2e2\n', { target: 'price' });
    expect(d.task).toBe('regression');
    expect(d.numClasses).toBe(0);
    expect(d.classNames).toBeUndefined();
    expect(d.featureNames).toEqual(['rooms', 'area']);
    expect(d.y.shape).toEqual([2, 1]);
    expect(Array.from(d.y.data)).toEqual([100, 250.5]);
    expect(Array.from(d.x.data)).toEqual([2, 50, 4, 120]);
  });

  it("task 'classification' makes the different numbers the classes, in numeric order (1..K without an empty class 0)", () => {
    const d = parseCsv('a,label\n0.5,2\n0.1,0\n0.3,2\n', { target: 'label', task: 'classification' });
    expect(Array.from(d.y.data)).toEqual([1, 0, 1]);
    expect(d.numClasses).toBe(2);
    expect(d.classNames).toEqual(['0', '2']);
    const named = parseCsv('a,label\n0.5,1.5\n0.1,-1\n0.2,10\n', { target: 'label', task: 'classification' });
    expect(named.classNames).toEqual(['-1', '1.5', '10']);
    expect(Array.from(named.y.data)).toEqual([1, 0, 2]);
    const oneToThree = parseCsv('a,label\n1,3\n2,1\n3,2\n4,1.0\n', { target: 'label' });
    expect(oneToThree.task).toBe('classification');
    expect(oneToThree.classNames).toEqual(['1', '2', '3']);
    expect(Array.from(oneToThree.y.data)).toEqual([2, 0, 1, 0]);
    expect(oneToThree.taskLine).toBe("classification, 3 classes from column 'label' (whole numbers with 3 different values; task: 'regression' predicts them as numbers; labels 1, 2, 3 are classes 0..2)");
  });

  it('handles quotes, a byte-order mark, blank lines, CRLF, spaces and other delimiters', () => {
    const d = parseCsv('\uFEFF"x 1";"label"\r\n 1.5 ;"a;b"\r\n\r\n2;"c ""quoted"""\r\n', { target: 'label', delimiter: ';' });
    expect(d.featureNames).toEqual(['x 1']);
    expect(Array.from(d.x.data)).toEqual([1.5, 2]);
    expect(d.classNames).toEqual(['a;b', 'c "quoted"']);
    const noHeader = parseCsv('1,2,0\n3,4,1\n', { target: 'column3', header: false });
    expect(noHeader.featureNames).toEqual(['column1', 'column2']);
    expect(Array.from(noHeader.y.data)).toEqual([0, 1]);
  });

  it('names the file, line and column of a non-numeric feature cell', () => {
    const path = file('bad-cell.csv', 'a,b,y\n1,2,0\n3,abc,1\n');
    expect(() => loadCsv(path, { target: 'y' })).toThrow(DataFormatError);
    expect(() => loadCsv(path, { target: 'y' })).toThrow(
      `${path}: line 3, column 2 ('b') is "abc", not a number, though the column holds numbers; fix the cell, write it as missing (NA), or one-hot encode the column with categorical: 'b'`,
    );
    expect(() => parseCsv('a,y\n1,0\n0x10,1\n', { target: 'y' }, 'hex.csv')).toThrow(/hex.csv: line 3, column 1 \('a'\) is "0x10", not a number/);
  });

  it('counts lines past blank lines and multi-line quoted fields', () => {
    // A quoted field spanning lines 2-3 and a blank line 4: the bad cell is on line 5.
    expect(() => parseCsv('a,y\n1,"two\nlines"\n\nq,1\n', { target: 'y' }, 't.csv')).toThrow(/t.csv: line 5, column 1 \('a'\) is "q"/);
    // A bad record that itself spans lines is reported at the line it starts on.
    expect(() => parseCsv('a,note,y\n1,2,0\n2,"two\nlines",0\n', { target: 'y' }, 't.csv')).toThrow(/t.csv: line 3, column 2 \('note'\) is "two\\nlines"/);
    expect(() => parseCsv('a,y\n1,0\n\n\nq,1\n', { target: 'y' }, 't.csv')).toThrow(/t.csv: line 5, column 1 \('a'\) is "q"/);
  });

  it('reports empty cells and missing targets as such', () => {
    expect(() => parseCsv('a,b,y\n1,,0\n', { target: 'y' }, 'e.csv')).toThrow(/e.csv: line 2, column 2 \('b'\) is missing \(empty\); it is a feature, so choose missing: 'drop'/);
    expect(() => parseCsv('a,y\n1,0\n2,\n', { target: 'y' }, 'e.csv')).toThrow(/e.csv: line 3, column 2 \('y'\) is missing \(empty\); it is the target/);
    expect(() => parseCsv('a,y\n1,0\n2,x\n', { target: 'y', task: 'regression' }, 'r.csv')).toThrow(/r.csv: line 3, column 2 \('y'\) is "x", not a number; a regression target must be numeric/);
  });

  it('rejects ragged rows with the line and the expected field count', () => {
    const path = file('ragged.csv', 'a,b,y\n1,2,0\n3,4\n');
    expect(() => loadCsv(path, { target: 'y' })).toThrow(
      `${path}: line 3 has 2 fields but the header (line 1) has 3; every row needs one value per column (check for a stray or missing ',')`,
    );
    expect(() => parseCsv('a,y\n1,0,9\n', { target: 'y' }, 'r.csv')).toThrow(/r.csv: line 2 has 3 fields/);
  });

  it('lists the columns when the target is absent', () => {
    expect(() => parseCsv(iris, { target: 'label' }, 'iris.csv')).toThrow(
      new DataFormatError("iris.csv: no column named 'label' to use as the target; the columns are: 'sepal_length', 'sepal_width', 'species'"),
    );
  });

  it('rejects empty files, header-only files, bad headers and broken quoting', () => {
    expect(() => loadCsv(file('empty.csv', ''), { target: 'y' })).toThrow(/empty.csv: the file is empty/);
    expect(() => parseCsv('  \n\n', { target: 'y' }, 'blank.csv')).toThrow(/blank.csv: the file is empty/);
    expect(() => parseCsv('a,y\n', { target: 'y' }, 'h.csv')).toThrow(/h.csv: has a header \(line 1\) but no data rows/);
    expect(() => parseCsv('a,a,y\n1,2,3\n', { target: 'y' }, 'd.csv')).toThrow(/d.csv: line 1 \(header\) names column 1 and column 2 both 'a'/);
    expect(() => parseCsv(',a,y\n0,1,2\n', { target: 'y' }, 'i.csv')).toThrow(/i.csv: line 1 \(header\), column 1 has no name/);
    expect(() => parseCsv('a,y\n"1,0\n', { target: 'y' }, 'q.csv')).toThrow(/q.csv: Quote Not Closed.*line 2/);
    expect(() => parseCsv('a,y\n1,0\n', { target: 'y', delimiter: '' })).toThrow(ValueError);
  });

  it('names the missing file', () => {
    const path = join(dir, 'missing.csv');
    expect(() => loadCsv(path, { target: 'y' })).toThrow(`${path}: cannot read it (no such file)`);
  });
});
