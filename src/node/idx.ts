/**
 * IDX files (MNIST, Fashion-MNIST) from disk, raw or gzip-compressed. Node-only: decoding
 * the bytes is browser-safe and lives in src/data/idx.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseIdx, idxToDataset, type IdxData, type IdxDataset, type IdxDatasetOptions } from '../data/idx.js';
import type { TrainTestSplit } from '../data/transforms.js';
import { DataFormatError } from '../errors.js';
import { readDataFile } from './files.js';

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

function gunzip(bytes: Uint8Array, path: string): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new DataFormatError(`${path}: starts like gzip (1f 8b) but does not decompress (${(error as Error).message}); the download may be incomplete`);
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
