/**
 * The MNIST page's compact digits (issue 13): one byte per pixel instead of 21 MB of JSON.
 * The bytes must hold the same digits as the `mnist` package, give the same split as
 * loadMnist, and refuse anything that is not such a file with a message saying what it is.
 */
import { describe, expect, test } from 'vitest';
import { DataFormatError, loadMnist, loadMnistDigits, mnistFromBytes, mnistToBytes, splitMnist, tensor } from '../../src/index.js';

describe('MNIST digits as compact bytes', () => {
  test('round trip: 10,000 digits in 7.85 MB, every pixel within 5e-4 of the package’s value, every label the same', async () => {
    const digits = await loadMnistDigits();
    const bytes = mnistToBytes(digits.x, digits.labels);
    expect(bytes.length).toBe(8 + 10_000 + 10_000 * 784);
    const back = mnistFromBytes(bytes);
    expect(back.x.shape).toEqual([10_000, 784]);
    expect(Array.from(back.labels.data)).toEqual(Array.from(digits.labels.data));
    let worst = 0;
    for (let k = 0; k < back.x.data.length; k++) worst = Math.max(worst, Math.abs(back.x.data[k]! - digits.x.data[k]!));
    // The package stores byte/255 rounded to three decimals; the bytes are the originals.
    expect(worst).toBeLessThanOrEqual(5e-4 + 1e-7);
  });

  test('splitMnist of the decoded bytes is loadMnist’s split (same digits, same order)', async () => {
    const digits = await loadMnistDigits();
    const fromBytes = splitMnist(mnistFromBytes(mnistToBytes(digits.x, digits.labels)), { trainSize: 800, testSize: 200, seed: 3 });
    const fromPackage = await loadMnist({ trainSize: 800, testSize: 200, seed: 3 });
    expect(Array.from(fromBytes.yTrain.data)).toEqual(Array.from(fromPackage.yTrain.data));
    expect(Array.from(fromBytes.yTest.data)).toEqual(Array.from(fromPackage.yTest.data));
    for (let k = 0; k < fromBytes.xTest.data.length; k += 97) expect(fromBytes.xTest.data[k]).toBeCloseTo(fromPackage.xTest.data[k]!, 3);
    expect(() => splitMnist(mnistFromBytes(mnistToBytes(digits.x, digits.labels)), { trainSize: 9000, testSize: 2000 })).toThrow(/11000 is more than the 10000 digits are given/);
  });

  test('anything else is refused with what it is: an HTML page, a truncated file, a bad label', () => {
    const page = new TextEncoder().encode('<!doctype html><p>not found</p>');
    expect(() => mnistFromBytes(page, 'mnist-digits.bin')).toThrow(DataFormatError);
    expect(() => mnistFromBytes(page, 'mnist-digits.bin')).toThrow(/mnist-digits\.bin: not compact MNIST digits \(expected the bytes to start with 'MNB1', got '<!do'\)/);
    const x = tensor(new Float32Array(2 * 784).fill(0.5), [2, 784]);
    const good = mnistToBytes(x, tensor([3, 7], [2]));
    expect(() => mnistFromBytes(good.subarray(0, good.length - 1))).toThrow(/announces 2 digits \(1578 bytes\) but there are 1577 bytes/);
    const bad = good.slice();
    bad[9] = 12;
    expect(() => mnistFromBytes(bad)).toThrow(/label 1 is 12, not a digit 0\.\.9/);
    expect(() => mnistToBytes(x, tensor([3], [1]))).toThrow(/images must be \[1, 784\]/);
    expect(Array.from(mnistFromBytes(good).x.data.subarray(0, 3))).toEqual(Array.from(new Float32Array([128 / 255, 128 / 255, 128 / 255])));
  });
});
