/**
 * Preparing a large table keeps one copy of the features: standardize can scale in place, and
 * fit's validation split views the training matrix instead of copying it. Same values as the
 * copying versions, and the sharing is what is promised (no more, no less).
 */
import { describe, expect, it } from 'vitest';
import { Dense, manualSeed, Sequential, standardize, takeRows, Tensor, ValueError } from '../../src/index.js';
import { takeRange, viewRows } from '../../src/data/rows.js';

const x = new Tensor(Float32Array.from({ length: 12 }, (_, i) => (i * 7) % 5), [6, 2]);

describe('standardize in place', () => {
  it('gives the values of the copying version, in the same tensor', () => {
    const copy = standardize(x);
    const mine = new Tensor(x.data.slice(), x.shape);
    const inPlace = standardize(mine, undefined, { inPlace: true });
    expect(inPlace.x).toBe(mine);
    expect(Array.from(mine.data)).toEqual(Array.from(copy.x.data));
    expect(Array.from(inPlace.mean)).toEqual(Array.from(copy.mean));
    // With given stats (the test part scaled like the training part).
    const other = new Tensor(Float32Array.of(1, 2, 3, 4), [2, 2]);
    const expected = standardize(other, copy).x.data;
    standardize(other, copy, { inPlace: true });
    expect(Array.from(other.data)).toEqual(Array.from(expected));
  });

  it('leaves x alone without the option, and names a misspelt one', () => {
    const before = Array.from(x.data);
    standardize(x);
    expect(Array.from(x.data)).toEqual(before);
    expect(() => standardize(x, undefined, { in_place: true } as never)).toThrow(ValueError);
    expect(() => standardize(x, undefined, { inplace: true } as never)).toThrow(/did you mean inPlace\?/);
  });
});

describe('viewRows', () => {
  it('holds the rows takeRange copies, over the same memory', () => {
    for (const [start, end] of [[0, 6], [0, 4], [4, 6], [2, 2]] as const) {
      const view = viewRows(x, start, end);
      expect(view.shape).toEqual([end - start, 2]);
      expect(Array.from(view.data)).toEqual(Array.from(takeRange(x, start, end).data));
      expect(view.data.buffer).toBe(x.data.buffer);
    }
  });

  it('refuses a bad range as takeRange does', () => {
    expect(() => viewRows(x, 4, 9)).toThrow();
    expect(() => viewRows(x, 3, 1)).toThrow();
  });

  it('fit with a validation split learns exactly as with the split made by copying', async () => {
    const n = 40;
    const xs = new Tensor(Float32Array.from({ length: n * 3 }, (_, i) => Math.sin(i)), [n, 3]);
    const ys = new Tensor(Float32Array.from({ length: n }, (_, i) => Math.cos(i)), [n, 1]);
    const train = async (split: boolean): Promise<number[]> => {
      manualSeed(9);
      const model = new Sequential([new Dense(4, { inputDim: 3, activation: 'relu' }), new Dense(1)]);
      model.compile({ optimizer: 'adam', loss: 'mse' });
      const options = { epochs: 3, batchSize: 8, seed: 5 };
      const history = split
        ? await model.fit(xs, ys, { ...options, validationSplit: 0.25 })
        : await model.fit(takeRows(xs, Array.from({ length: 30 }, (_, i) => i)), takeRows(ys, Array.from({ length: 30 }, (_, i) => i)), {
            ...options,
            validationData: [takeRange(xs, 30, 40), takeRange(ys, 30, 40)],
          });
      expect(history.history.val_loss).toHaveLength(3);
      return [...history.iterationLoss, ...history.history.val_loss!];
    };
    const before = Array.from(xs.data);
    const viaSplit = await train(true);
    expect(Array.from(xs.data)).toEqual(before); // training read the views, never wrote them
    expect(viaSplit).toEqual(await train(false));
  });
});
