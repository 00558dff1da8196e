import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFormatError, DEFAULT_FASHION_MNIST_DIR, loadFashionMnist, loadIdxDataset, parseIdx, readIdx } from '../../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'gradiente-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** IDX bytes: 00 00 type rank, big-endian dims, then the payload. */
function idx(type: number, dims: number[], payload: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  const out = new Uint8Array(header.length + payload.length);
  out.set(header);
  out.set(payload, header.length);
  return out;
}

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

// Three 2×2 "images" with pixels 0, 51, 102, 255 patterns, and their labels.
const pixels = Uint8Array.from([0, 51, 102, 255, 255, 0, 0, 255, 10, 20, 30, 40]);
const images = idx(0x08, [3, 2, 2], pixels);
const labels = idx(0x08, [3], Uint8Array.from([7, 0, 9]));

describe('readIdx / parseIdx', () => {
  it('reads a raw ubyte file: dims and values', () => {
    const parsed = readIdx(write('images-idx3-ubyte', images));
    expect(parsed.dims).toEqual([3, 2, 2]);
    expect(parsed.type).toBe('uint8');
    expect(Array.from(parsed.data)).toEqual(Array.from(pixels));
  });

  it('reads gzip by its magic bytes, whatever the file is called', () => {
    const gz = gzipSync(images);
    expect(Array.from(readIdx(write('images.gz', gz)).data)).toEqual(Array.from(pixels));
    expect(readIdx(write('no-extension', gz)).dims).toEqual([3, 2, 2]);
  });

  it('decodes the multi-byte big-endian types', () => {
    const payload = new Uint8Array(2 * 8);
    const view = new DataView(payload.buffer);
    view.setFloat64(0, -1.5, false);
    view.setFloat64(8, 1e-3, false);
    expect(Array.from(parseIdx(idx(0x0e, [2], payload)).data)).toEqual([-1.5, 1e-3]);
    const ints = new Uint8Array(8);
    new DataView(ints.buffer).setInt32(0, -70000, false);
    new DataView(ints.buffer).setInt32(4, 123456, false);
    expect(Array.from(parseIdx(idx(0x0c, [1, 2], ints)).data)).toEqual([-70000, 123456]);
    const shorts = new Uint8Array(4);
    new DataView(shorts.buffer).setInt16(0, -300, false);
    new DataView(shorts.buffer).setInt16(2, 300, false);
    expect(Array.from(parseIdx(idx(0x0b, [2], shorts)).data)).toEqual([-300, 300]);
    const floats = new Uint8Array(4);
    new DataView(floats.buffer).setFloat32(0, 0.25, false);
    expect(parseIdx(idx(0x0d, [1], floats)).type).toBe('float32');
    expect(Array.from(parseIdx(idx(0x09, [2], Uint8Array.from([0xff, 5]))).data)).toEqual([-1, 5]);
  });

  it('rejects a bad magic number, naming the file and the bytes', () => {
    const path = write('bad-magic', Uint8Array.from([0x00, 0x00, 0x07, 0x01, 0, 0, 0, 0]));
    expect(() => readIdx(path)).toThrow(DataFormatError);
    expect(() => readIdx(path)).toThrow(`${path}: bad magic number at byte 0 (00 00 07 01)`);
    expect(() => parseIdx(Uint8Array.from([0x50, 0x4b, 0x03, 0x04]), 'x.zip')).toThrow(/x.zip: bad magic number at byte 0 \(50 4b 03 04\)/);
    expect(() => parseIdx(Uint8Array.from([0, 0]), 'tiny')).toThrow(/tiny: only 2 bytes/);
  });

  it('rejects truncated files with the byte counts, raw and gzip', () => {
    const short = images.subarray(0, images.length - 5);
    const raw = write('short-idx3', short);
    expect(() => readIdx(raw)).toThrow(
      `${raw}: truncated: dimensions [3, 2, 2] declare 12 bytes of uint8 values from byte 16, but only 7 are there (28 bytes expected in all, found 23)`,
    );
    const gz = write('short-idx3.gz', gzipSync(short));
    expect(() => readIdx(gz)).toThrow(/short-idx3.gz: truncated/);
    expect(() => readIdx(write('short-header', images.subarray(0, 10)))).toThrow(/truncated in the header: 3 dimension sizes need bytes 4..15, the data ends at byte 10/);
    expect(() => readIdx(write('cut.gz', gzipSync(images).subarray(0, 20)))).toThrow(/cut.gz: starts like gzip \(1f 8b\) but does not decompress/);
  });

  it('rejects extra bytes after the data', () => {
    const long = new Uint8Array(images.length + 3);
    long.set(images);
    expect(() => parseIdx(long, 'long')).toThrow(/long: 3 unexpected bytes after the data, from byte 28/);
  });

  it('names the missing file', () => {
    const path = join(dir, 'nope-idx1-ubyte');
    expect(() => readIdx(path)).toThrow(`${path}: cannot read it (no such file)`);
  });
});

describe('loadIdxDataset', () => {
  it('gives x [N, rows·cols] scaled to [0, 1] and labels [N]', () => {
    const { x, labels: y } = loadIdxDataset(write('a-images', images), write('a-labels.gz', gzipSync(labels)));
    expect(x.shape).toEqual([3, 4]);
    expect(Array.from(x.data.subarray(0, 4))).toEqual(Array.from(Float32Array.of(0, 0.2, 0.4, 1)));
    expect(Array.from(y.data)).toEqual([7, 0, 9]);
    const unscaled = loadIdxDataset(join(dir, 'a-images'), join(dir, 'a-labels.gz'), { normalize: false });
    expect(unscaled.x.data[3]).toBe(255);
  });

  it('rejects images and labels of different counts, naming both files', () => {
    const four = write('four-labels', idx(0x08, [4], Uint8Array.from([1, 2, 3, 4])));
    const imagesPath = write('b-images', images);
    expect(() => loadIdxDataset(imagesPath, four)).toThrow(`${imagesPath} holds 3 images but ${four} holds 4 labels`);
  });

  it('rejects labels out of range, with the label index and byte offset', () => {
    const imagesPath = write('c-images', images);
    const bad = write('c-labels', idx(0x08, [3], Uint8Array.from([1, 12, 3])));
    expect(() => loadIdxDataset(imagesPath, bad, { numClasses: 10 })).toThrow(`${bad}: label 1 (at byte 9) is 12, outside 0..9`);
    const negative = write('c-neg', idx(0x09, [3], Uint8Array.from([1, 0xfe, 3])));
    expect(() => loadIdxDataset(imagesPath, negative)).toThrow(/label 1 \(at byte 9\) is -2, outside non-negative values/);
    const twoD = write('c-2d', idx(0x08, [3, 1], Uint8Array.from([1, 2, 3])));
    expect(() => loadIdxDataset(imagesPath, twoD)).toThrow(/labels must be one-dimensional/);
  });
});

describe('loadFashionMnist', () => {
  it('says which file is missing and how to get it', () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(() => loadFashionMnist(empty)).toThrow(DataFormatError);
    expect(() => loadFashionMnist(empty)).toThrow(
      `${join(empty, 'train-images-idx3-ubyte.gz')}: cannot read it (no such file); Debian's dataset-fashion-mnist package installs the files in /usr/share/datasets/fashion-mnist`,
    );
  });

  it('reads unpacked (non-gz) files too', () => {
    const unpacked = mkdtempSync(join(dir, 'unpacked-'));
    for (const prefix of ['train', 't10k']) {
      writeFileSync(join(unpacked, `${prefix}-images-idx3-ubyte`), images);
      writeFileSync(join(unpacked, `${prefix}-labels-idx1-ubyte`), labels);
    }
    const d = loadFashionMnist(unpacked);
    expect(d.xTrain.shape).toEqual([3, 4]);
    expect(Array.from(d.yTest.data)).toEqual([7, 0, 9]);
    expect(d.classNames[9]).toBe('Ankle boot');
  });

  it.skipIf(!existsSync(join(DEFAULT_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz')))(
    'loads the real Fashion-MNIST: 60,000 + 10,000 images of 784 pixels, 10 balanced classes',
    () => {
      const { xTrain, yTrain, xTest, yTest, classNames } = loadFashionMnist();
      expect(xTrain.shape).toEqual([60000, 784]);
      expect(yTrain.shape).toEqual([60000]);
      expect(xTest.shape).toEqual([10000, 784]);
      expect(yTest.shape).toEqual([10000]);
      expect(classNames).toHaveLength(10);
      const counts = new Array<number>(10).fill(0);
      for (const v of yTrain.data) counts[v]!++;
      expect(counts).toEqual(new Array(10).fill(6000)); // Fashion-MNIST is exactly balanced
      let max = 0;
      for (const v of xTest.data) if (v > max) max = v;
      expect(max).toBe(1);
    },
  );
});

describe('IDX labels are bounded', () => {
  it('a label of 2^31 - 1 is an error naming it (not a confusion matrix of billions of cells); maxClasses raises the bound', () => {
    const images = write('bound-images.idx', idx(0x08, [2, 1, 1], Uint8Array.of(0, 255)));
    const labelBytes = new Uint8Array(8);
    new DataView(labelBytes.buffer).setInt32(0, 1, false);
    new DataView(labelBytes.buffer).setInt32(4, 2 ** 31 - 1, false);
    const labels = write('bound-labels.idx', idx(0x0c, [2], labelBytes));
    expect(() => loadIdxDataset(images, labels)).toThrow(
      `${labels}: label 1 (at byte 12) is 2147483647, which would make 2147483648 classes, more than 1000; if the file really has that many classes raise maxClasses (--max-classes)`,
    );
    const small = new Uint8Array(8);
    new DataView(small.buffer).setInt32(0, 1, false);
    new DataView(small.buffer).setInt32(4, 1500, false);
    const moreLabels = write('bound-labels-1500.idx', idx(0x0c, [2], small));
    expect(() => loadIdxDataset(images, moreLabels)).toThrow(/is 1500, which would make 1501 classes, more than 1000/);
    expect(Array.from(loadIdxDataset(images, moreLabels, { maxClasses: 2000 }).labels.data)).toEqual([1, 1500]);
  });
});
