/**
 * The table rules of src/data/table-plan.ts: what a column is, what to do with missing cells,
 * the task and its reason, fills measured on training rows only, and new rows read by name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DataFormatError,
  csvTable,
  encodeRows,
  encodedFeatureNames,
  fitFills,
  inspectTable,
  parseCsv,
  readCsvCells,
  recordsToDataset,
  MISSING_SPELLINGS,
  type CellTable,
} from '../../src/index.js';

function table(text: string, delimiter = ','): CellTable {
  return csvTable(readCsvCells(text, { delimiter }, 't.csv'), 't.csv');
}

describe('column roles', () => {
  it('features by name, drop, and names that are not columns get "did you mean"', () => {
    const t = table('id,a,b,y\n1,0.5,x,0\n2,0.7,z,1\n');
    const only = inspectTable(t, { target: 'y', features: ['b', 'a'] });
    expect(only.plan.columns.map((c) => c.name)).toEqual(['b', 'a']);
    expect(only.plan.ignored).toEqual(['id']);
    expect(inspectTable(t, { target: 'y', drop: ['id'] }).plan.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(() => inspectTable(t, { target: 'y', drop: ['ID '] })).toThrow(/t.csv: no column named 'ID ' \(drop: 'ID '\) \(did you mean 'id'\?\)/);
    expect(() => inspectTable(t, { target: 'y', features: ['a', 'y'] })).toThrow(/'y' is the target; it cannot also be a feature/);
    expect(() => inspectTable(t, { target: 'Y' })).toThrow(/no column named 'Y' to use as the target.*\(did you mean 'y'\?\)/);
  });

  it('text columns are one-hot categories (sorted), numbers stay numbers, dates become years; each decision is said', () => {
    const d = parseCsv('when,colour,size,y\n2019-05-01,red,1.5,0\n2021-01-31,blue,2,1\n2020-07-04T10:00:00Z,red,3,0\n', { target: 'y' });
    expect(d.featureNames).toEqual(['when', 'colour=blue', 'colour=red', 'size']);
    expect(Array.from(d.x.data)).toEqual([2019, 0, 1, 1.5, 2021, 1, 0, 2, 2020, 0, 1, 3]);
    expect(d.decisions).toEqual([
      `column 'when': dates (e.g. "2019-05-01"), used as the year; drop: 'when' leaves them out`,
      "column 'colour': text, one-hot encoded as 2 columns (blue, red)",
    ]);
    // --categorical: numbers as categories ("1.0" and "1" are one).
    const coded = parseCsv('code,y\n1,0\n2.0,1\n1.0,0\n', { target: 'y', categorical: ['code'] });
    expect(coded.featureNames).toEqual(['code=1', 'code=2']);
  });

  it('a numeric column that counts the rows is said (it is an ID, not a measurement)', () => {
    const d = parseCsv('row,a,y\n1,0.5,0\n2,0.7,1\n3,0.1,0\n4,0.3,1\n', { target: 'y' });
    expect(d.decisions).toEqual([`column 'row' counts the rows (1, 2, …): it is used as a feature like any number, though an ID predicts nothing; drop: 'row' leaves it out`]);
    expect(parseCsv('row,a,y\n1,0.5,0\n3,0.7,1\n2,0.1,0\n4,0.3,1\n', { target: 'y' }).decisions).toEqual([]);
  });

  it('a text column with many different values is an ID or free text: an error with both ways out', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `name${i},${i % 2}`).join('\n');
    expect(() => parseCsv(`name,y\n${rows}\n`, { target: 'y' }, 'n.csv')).toThrow(
      "n.csv: column 'name' holds text with 60 different values in 60 rows (an ID or free text?); leave it out with drop: 'name', or one-hot encode it anyway with categorical: 'name'",
    );
    expect(parseCsv(`name,y\n${rows}\n`, { target: 'y', maxCategories: 60 }).featureNames).toHaveLength(60);
  });
});

describe('missing values', () => {
  it('every spelling is missing; the default is an error naming the cell, the count and the choices', () => {
    for (const spelling of MISSING_SPELLINGS) {
      expect(() => parseCsv(`a,y\n1,0\n${spelling === '' ? '' : spelling},1\n2,1\n`, { target: 'y' }, 'm.csv')).toThrow(/m.csv: line 3, column 1 \('a'\) is missing/);
    }
    expect(() => parseCsv('a,y\nNA,0\n?,1\n2,1\n', { target: 'y' }, 'm.csv')).toThrow(
      "m.csv: line 2, column 1 ('a') is missing (\"NA\"), as are 1 more cell of that column; it is a feature, so choose missing: 'drop' (leave those rows out), missing: 'mean' or missing: 'median' (fill features in, leave out rows without a target)",
    );
  });

  it("'drop' leaves rows out and says how many per column; 'mean'/'median' fill and leave out rows without a target", () => {
    const text = 'a,b,y\n1,NA,0\n2,4,1\n3,6,\n,8,1\n5,10,0\n';
    const dropped = parseCsv(text, { target: 'y', missing: 'drop' });
    expect(dropped.rows).toEqual([1, 4]);
    expect(dropped.decisions).toEqual(["left out 3 of 5 rows with missing values (y: 1, a: 1, b: 1) as missing: 'drop' asks"]);
    const mean = parseCsv(text, { target: 'y', missing: 'mean' });
    expect(mean.rows).toEqual([0, 1, 3, 4]);
    // Means of the rows kept (the row without a target is not one of them): a = (1+2+5)/3, b = (4+8+10)/3.
    expect(Array.from(mean.x.data)).toEqual(Array.from(Float32Array.of(1, 22 / 3, 2, 4, 8 / 3, 8, 5, 10)));
    const median = parseCsv(text, { target: 'y', missing: 'median' });
    expect(Array.from(median.x.data)).toEqual([1, 8, 2, 4, 2, 8, 5, 10]);
    expect(median.decisions).toContain("column 'a': 1 missing cell filled with the median of the training rows, 2");
  });

  it('fills come from the training rows only: a test row with an extreme value changes nothing', () => {
    const t = table('a,y\n1,0\n2,1\n3,0\n1000,1\nNA,0\n');
    const inspection = inspectTable(t, { target: 'y', missing: 'mean' });
    const { plan } = fitFills(inspection.plan, t, [0, 1, 2]);
    expect(plan.columns[0]).toEqual({ name: 'a', kind: 'number', fill: 2 });
    expect(Array.from(encodeRows(plan, t, [4]).x.data)).toEqual([2]);
  });
});

describe('the task, said with its reason', () => {
  it('text is classes; a 0/1 or small-integer column is classes; other numbers are regression', () => {
    expect(parseCsv('a,y\n1,cat\n2,dog\n', { target: 'y' }).taskLine).toBe(`classification, 2 classes from column 'y' (it holds text, e.g. "cat")`);
    expect(parseCsv('a,y\n1,0\n2,1\n', { target: 'y' }).taskLine).toBe("classification, 2 classes from column 'y' (whole numbers with 2 different values; task: 'regression' predicts them as numbers)");
    const many = Array.from({ length: 12 }, (_, i) => `${i},${i}`).join('\n');
    expect(parseCsv(`a,y\n${many}\n`, { target: 'y' }).taskLine).toBe(
      "regression on column 'y' (numbers, 12 different values (whole numbers, but more than 10; task: 'classification' reads them as classes))",
    );
    expect(parseCsv('a,y\n1,0.5\n2,1\n', { target: 'y' }).taskLine).toBe("regression on column 'y' (numbers, 2 different values)");
  });

  it('one NA in a numeric target never makes it classes: it is a missing value', () => {
    expect(() => parseCsv('a,y\n1,2.5\n2,NA\n', { target: 'y' }, 'r.csv')).toThrow(/r.csv: line 3, column 2 \('y'\) is missing \("NA"\).*it is the target/);
    const d = parseCsv('a,y\n1,2.5\n2,NA\n3,4.5\n', { target: 'y', missing: 'drop' });
    expect(d.task).toBe('regression');
  });

  it('more classes than maxClasses is an error naming the label and its row', () => {
    const rows = Array.from({ length: 5 }, (_, i) => `${i},c${i}`).join('\n');
    expect(() => parseCsv(`a,y\n${rows}\n`, { target: 'y', maxClasses: 3 }, 'k.csv')).toThrow(
      `k.csv: line 5, column 2 ('y') is "c3", the target's class number 4: 5 classes in all, more than 3; if the target holds quantities use task: 'regression', if it really has that many classes raise maxClasses: 5`,
    );
    // A huge label is one class among others, not a billion of them.
    const d = parseCsv('a,y\n1,1000000000\n2,1\n', { target: 'y', task: 'classification' });
    expect(d.classNames).toEqual(['1', '1000000000']);
  });
});

describe('numbers as spreadsheets write them', () => {
  it("decimal ',' reads 3,5 as 3.5 (with ';' as the delimiter); 'auto' detects it and says so", () => {
    const text = 'a;b;y\n3,5;1;0\n-0,25;2;1\n';
    expect(Array.from(parseCsv(text, { target: 'y', delimiter: ';', decimal: ',' }).x.data)).toEqual([3.5, 1, -0.25, 2]);
    const auto = parseCsv(text, { target: 'y', delimiter: ';', decimal: 'auto' });
    expect(Array.from(auto.x.data)).toEqual([3.5, 1, -0.25, 2]);
    expect(auto.decisions).toContain("numbers use a decimal comma (e.g. '3,5' is 3.5); decimal: '.' reads them as text");
    expect(() => parseCsv(text, { target: 'y', delimiter: ';' }, 'c.csv')).toThrow(/c.csv: line 2, column 1 \('a'\) is "3,5", not a number with a decimal point; for decimal commas use decimal: ','/);
  });

  it('a value beyond float32 (1e39) or a written infinity is a data error naming the cell, not a NaN loss later', () => {
    expect(() => parseCsv('a,y\n1,0\n1e39,1\n', { target: 'y' }, 'o.csv')).toThrow(
      "o.csv: line 3, column 1 ('a') is \"1e39\", beyond the largest number a float32 holds (±3.4e38); rescale the column (e.g. other units) or fix the value",
    );
    expect(() => parseCsv('a,y\n1,0\n2,-1e300\n', { target: 'y', task: 'regression' }, 'o.csv')).toThrow(/o.csv: line 3, column 2 \('y'\) is "-1e300", beyond the largest number a float32 holds/);
    expect(() => recordsToDataset([{ a: 1, y: 0 }, { a: 3e38, y: 1 }, { a: 4e38, y: 1 }], { target: 'y' }, 'r')).toThrow(/r: record 2, key 'a' is 4e\+38, beyond/);
  });

  it('an error line stays short: long cells and column names are elided', () => {
    const long = 'x'.repeat(5000);
    let message = '';
    try {
      parseCsv(`${long},y\n1,0\n${long},1\n`, { target: 'y' }, 'long.csv');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^long.csv: line 3, column 1 \('x{39}…'\) is "x{39}…", not a number/);
    expect(message.length).toBeLessThanOrEqual(300);
  });
});

describe('new rows with a stored plan', () => {
  it('columns are found by name; a missing or unknown column is named; unseen categories are an error or zeros', () => {
    const train = table('colour,size,y\nred,1,0\nblue,2,1\n');
    const d = inspectTable(train, { target: 'y' });
    const plan = fitFills(d.plan, train, d.rows).plan;
    expect(encodedFeatureNames(plan)).toEqual(['colour=blue', 'colour=red', 'size']);
    const swapped = table('size,colour\n2,blue\n5,green\n');
    expect(Array.from(encodeRows(plan, swapped, [0]).x.data)).toEqual([1, 0, 2]);
    expect(() => encodeRows(plan, swapped, [1])).toThrow(/t.csv: line 3, column 2 \('colour'\) is "green", a category the model never saw \(it knows blue, red\)/);
    expect(Array.from(encodeRows(plan, swapped, [1], { unknownCategory: 'zeros' }).x.data)).toEqual([0, 0, 5]);
    expect(() => encodeRows(plan, table('colour\nred\n'))).toThrow(/t.csv: no column named 'size', which the model needs as a feature/);
    expect(() => encodeRows(plan, table('colour,size,weight\nred,1,3\n'))).toThrow(/t.csv: column 'weight' is neither one of the model's features/);
    expect(() => encodeRows(plan, table('colour,size,y\nred,1,7\n'), undefined, { target: true })).toThrow(/is "7", a class the model does not know \(0, 1\)/);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});

describe('CSV reader property: what is written is read back', () => {
  const cell = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', ';', '\t', '"', '\n', '\r\n', 'é', 'x') }),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }).map(String),
    fc.constantFrom(...MISSING_SPELLINGS),
  );
  const quote = (text: string, delimiter: string, always: boolean): string =>
    always || text.includes(delimiter) || /["\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;

  it('random tables with random delimiters, quoting, line endings and missing spellings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(',', ';', '\t', '|'),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        (width, delimiter, eol, quoteAll, rows) => {
          const columns = Array.from({ length: width }, (_, j) => `col ${j}`);
          // The reader trims unquoted spaces; a cell that is only spaces is written quoted, and read back trimmed (csv-parse trims outside quotes only).
          const body = rows.map((r) => r.slice(0, width));
          // In a one-column table an empty cell would be a blank line (skipped): writers quote it ("" as pandas does).
          const text = [columns, ...body].map((r) => r.map((c) => quote(c, delimiter, quoteAll || (width === 1 && c === ''))).join(delimiter)).join(eol) + eol;
          const read = readCsvCells(text, { delimiter }, 'p.csv');
          expect(read.columns).toEqual(columns);
          expect(read.rows).toEqual(body);
        },
      ),
      { numRuns: 300 },
    );
  });

  // Line breaks before a point of the text: "\r\n" is one, as are "\n" and "\r".
  const breaks = (text: string): number => (text.match(/\r\n|\n|\r/g) ?? []).length;

  it('mixed line endings and blank lines: every row is read, and named by the line it starts on', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.array(cell, { minLength: 4, maxLength: 4 }), fc.constantFrom('\n', '\r\n'), fc.boolean()), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        (width, rows, headerEol) => {
          const columns = Array.from({ length: width }, (_, j) => `c${j}`);
          let text = columns.join(',') + headerEol;
          const lines: number[] = [];
          for (const [cells, eol, blankBefore] of rows) {
            if (blankBefore) text += eol;
            lines.push(1 + breaks(text));
            text += cells.slice(0, width).map((c) => quote(c, ',', width === 1 && c === '')).join(',') + eol;
          }
          const read = readCsvCells(text, { delimiter: ',' }, 'm.csv');
          expect(read.rows).toEqual(rows.map(([cells]) => cells.slice(0, width)));
          expect(read.lines).toEqual(lines);
          const table = csvTable(read, 'm.csv');
          expect(table.locate(rows.length - 1, 0)).toBe(`m.csv: line ${lines.at(-1)}, column 1 ('c0')`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a file that switches from "\n" to "\r\n" (or back) names the right line of a bad row', () => {
    expect(() => readCsvCells('a,b\n1,2\r\n3,4\n5\r\n', {}, 'x.csv')).toThrow(/x\.csv: line 4 has 1 field but the header \(line 1\) has 2/);
    expect(() => readCsvCells('a,b\r\n1,2\n3,4\r\n5\n', {}, 'x.csv')).toThrow(/x\.csv: line 4 has 1 field but the header \(line 1\) has 2/);
    expect(readCsvCells('a,b\r\n1,"x\r\ny"\n\n3,4\r\n', {}, 'x.csv').lines).toEqual([2, 5]);
  });
});

describe('table options are checked like every options object', () => {
  it('a misspelt option is an error naming the right one, not a silent default', () => {
    expect(() => parseCsv('a;y\n1;0\n', { target: 'y', delimeter: ';' } as never)).toThrow(/parseCsv: unknown option 'delimeter' \(did you mean delimiter\?\)/);
    expect(() => parseCsv('a,y\n1,0\n', { target: 'y', missng: 'drop' } as never)).toThrow(/did you mean missing\?/);
    expect(() => recordsToDataset([{ a: 1, y: 0 }], { target: 'y', categorial: ['a'] } as never)).toThrow(/table options: unknown option 'categorial' \(did you mean categorical\?\)/);
  });
});
