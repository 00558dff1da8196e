/**
 * IDX files (MNIST, Fashion-MNIST) from disk, raw or gzip-compressed. Node-only: decoding
 * the bytes is browser-safe and lives in src/data/idx.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { parseIdx, idxToDataset, type IdxData, type IdxDataset, type IdxDatasetOptions } from '../data/idx.js';
import type { TrainTestSplit } from '../data/transforms.js';
import { DataFormatError } from '../errors.js';
import { MAX_DATA_FILE_BYTES, readDataFile } from './files.js';

/** Where Debian's `dataset-fashion-mnist` package installs the four files. */
export const DEFAULT_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Label k of Fashion-MNIST is FASHION_MNIST_CLASSES[k]. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** One IDX file; gzip is recognised by its magic bytes (1f 8b), not by the file name. */
export function readIdx(path: string, hint?: string): IdxData {
  const bytes = readDataFile(path, hint);
  return parseIdx(isGzip(bytes) ? gunzip(bytes, path) : bytes, path);
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Bytes per value of each IDX type code. */
const VALUE_BYTES: Record<number, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };

/**
 * The first bytes a gzip stream decompresses to (at least `want`, if the stream has them),
 * from a small prefix of it: at most 16 KiB of input, so at most ~16 MiB of output even for
 * a crafted stream. Used to read the IDX header before deciding how much to decompress.
 */
function gunzipPrefix(bytes: Uint8Array, want: number): Uint8Array {
  let out: Uint8Array = new Uint8Array(0);
  for (const inputBytes of [1024, 16 * 1024]) {
    // Z_SYNC_FLUSH: decompress a cut-off stream without complaining that it ends early.
    out = gunzipSync(bytes.subarray(0, Math.min(bytes.length, inputBytes)), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    if (out.length >= want || inputBytes >= bytes.length) break;
  }
  return out;
}

/**
 * Decompress an IDX file streamed against a cap: the header's dimensions say how many bytes
 * the data has, and decompression stops one byte past that (and never past the absolute
 * ceiling of a data file), so a small crafted file (a "zip bomb") cannot fill the memory.
 */
function gunzip(bytes: Uint8Array, path: string): Uint8Array {
  const broken = (error: unknown): DataFormatError =>
    new DataFormatError(`${path}: starts like gzip (1f 8b) but does not decompress (${(error as Error).message}); the download may be incomplete`);
  let head: Uint8Array;
  try {
    head = gunzipPrefix(bytes, 4);
    if (head.length >= 4) head = gunzipPrefix(bytes, 4 + 4 * head[3]!);
  } catch (error) {
    throw broken(error);
  }
  const rank = head[3] ?? 0;
  const valueBytes = VALUE_BYTES[head[2] ?? -1];
  const headerBytes = 4 + 4 * rank;
  // Not an IDX header, or cut short: parseIdx names what is wrong with it.
  if (head.length < headerBytes || head[0] !== 0 || head[1] !== 0 || valueBytes === undefined || rank === 0) {
    // A stream cut short says so (small input, so bounded output): the download may be incomplete.
    if (bytes.length <= 16 * 1024) {
      try {
        gunzipSync(bytes);
      } catch (error) {
        throw broken(error);
      }
    }
    parseIdx(head, path);
    throw new DataFormatError(`${path}: does not start with an IDX header once decompressed`);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims: number[] = [];
  for (let k = 0; k < rank; k++) dims.push(view.getUint32(4 + 4 * k, false));
  const declared = headerBytes + dims.reduce((a, b) => a * b, 1) * valueBytes;
  if (declared > MAX_DATA_FILE_BYTES) {
    throw new DataFormatError(
      `${path}: its header declares dimensions [${dims.join(', ')}], ${declared} bytes once decompressed, more than the ${MAX_DATA_FILE_BYTES} a data file may have; it is not a data set gradiente can hold in memory (or not a real IDX file)`,
    );
  }
  try {
    // One byte more than declared: enough to tell "longer than its header says" from "exact".
    return gunzipSync(bytes, { maxOutputLength: declared + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new DataFormatError(
        `${path}: decompresses to more than the ${declared} bytes its header declares (dimensions [${dims.join(', ')}]); decompression stopped there. ` +
          'It is not a valid IDX file (two files joined, or a file built to fill the memory)',
      );
    }
    throw broken(error);
  }
}

/** An images file and a labels file as x [N, rows·cols] (in [0, 1] when normalized) and labels [N]. */
export function loadIdxDataset(imagesPath: string, labelsPath: string, options: IdxDatasetOptions = {}): IdxDataset {
  return idxToDataset(readIdx(imagesPath), readIdx(labelsPath), { images: imagesPath, labels: labelsPath }, options);
}

export interface FashionMnist extends TrainTestSplit {
  classNames: string[];
}

/**
 * Fashion-MNIST (60,000 training and 10,000 test images of clothes, 28×28, 10 classes)
 * from `dir`, which holds train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz),
 * t10k-images-idx3-ubyte(.gz) and t10k-labels-idx1-ubyte(.gz). x is [N, 784] in [0, 1],
 * labels are [N] integers 0..9 (see classNames).
 */
export function loadFashionMnist(dir: string = DEFAULT_FASHION_MNIST_DIR): FashionMnist {
  const hint = `Debian's dataset-fashion-mnist package installs the files in ${DEFAULT_FASHION_MNIST_DIR} (apt install dataset-fashion-mnist), or pass the directory that holds them`;
  const file = (name: string): string => {
    const gz = join(dir, `${name}.gz`);
    const raw = join(dir, name);
    // Prefer whatever is there: Debian ships .gz, a manual download may have been unpacked.
    return existsSync(gz) || !existsSync(raw) ? gz : raw;
  };
  const part = (prefix: 'train' | 't10k'): IdxDataset => {
    const imagesPath = file(`${prefix}-images-idx3-ubyte`);
    const labelsPath = file(`${prefix}-labels-idx1-ubyte`);
    const images = readIdx(imagesPath, hint);
    const labels = readIdx(labelsPath, hint);
    return idxToDataset(images, labels, { images: imagesPath, labels: labelsPath }, { numClasses: FASHION_MNIST_CLASSES.length });
  };
  const train = part('train');
  const test = part('t10k');
  return { xTrain: train.x, yTrain: train.labels, xTest: test.x, yTest: test.labels, classNames: [...FASHION_MNIST_CLASSES] };
}
