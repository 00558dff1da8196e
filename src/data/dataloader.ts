/**
 * DataLoader: cuts a data set into batches, one epoch per iteration over the loader.
 *
 * Vocabulary (the course's): one *iteration* is one weight update on one batch; one
 * *epoch* is one pass over all N samples, so an epoch has `iterationsPerEpoch =
 * ceil(N / batchSize)` iterations. `batchSize: 'full'` (= N) is batch gradient descent,
 * `batchSize: 1` is stochastic gradient descent, anything between is mini-batch.
 *
 * Shape letters: N samples, D features per sample (x is [N, ...], y is [N, ...]).
 */
import { ShapeError, ValueError, formatShape } from '../errors.js';
import { generatorFor, type Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptionKeys } from '../options.js';
import { numRows, takeRange, takeRows, viewRows } from './rows.js';

export interface DataLoaderOptions {
  /** Samples per batch: a positive integer, or 'full' for all N at once. Default 32. */
  batchSize?: number | 'full';
  /** Draw a new random order at the start of every epoch. Default true. */
  shuffle?: boolean;
  /** Skip the last batch of an epoch when it is smaller than batchSize. Default false. */
  dropLast?: boolean;
  /** Seed a generator owned by this loader: the same seed gives the same orders, epoch after epoch. */
  seed?: number;
  /** Generator to shuffle with when no seed is given (default: the global one, see manualSeed). */
  random?: Random;
  /**
   * Unshuffled batches as views onto x and y (their rows are one contiguous block) instead of
   * copies: for a loop that only reads its batches, as fit does. A change to a batch's values
   * then shows in x or y. Shuffled batches are always gathered copies. Default false.
   */
  views?: boolean;
}

export interface Batch {
  /** Inputs of this batch, [B, ...] with B = batchSize (or fewer for the last batch). */
  x: Tensor;
  /** Targets aligned row by row with x, or null when the loader has no targets. */
  y: Tensor | null;
  /** Which samples (rows of the loader's x) this batch holds, in batch order. */
  indices: Int32Array;
  /** 0-based position of this batch within the epoch. */
  iteration: number;
}

export class DataLoader implements Iterable<Batch> {
  readonly x: Tensor;
  readonly y: Tensor | null;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly views: boolean;
  private readonly resolvedBatchSize: number;
  private readonly random: Random;

  constructor(x: Tensor, y: Tensor | null, options: DataLoaderOptions = {}) {
    // A misspelt key (batch_size, suffle) would otherwise train silently with the default.
    checkOptionKeys('DataLoader', options, ['batchSize', 'shuffle', 'dropLast', 'seed', 'random', 'views']);
    const { batchSize = 32, shuffle = true, dropLast = false, seed, random, views = false } = options;
    const n = numRows(x, 'DataLoader', 'x');
    if (y !== null && numRows(y, 'DataLoader', 'y') !== n) {
      throw new ShapeError(
        `DataLoader: x has ${n} samples (shape ${formatShape(x.shape)}) but y has ${y.shape[0]} (shape ${formatShape(y.shape)}); every input row needs exactly one target row`,
      );
    }
    if (n === 0) throw new ValueError('DataLoader: x has no samples (shape ' + formatShape(x.shape) + '); pass at least one row');
    if (batchSize !== 'full' && !(Number.isInteger(batchSize) && batchSize > 0)) {
      throw new ValueError(`DataLoader: batchSize must be a positive integer or 'full', got ${String(batchSize)}`);
    }
    if (seed !== undefined && random !== undefined) {
      throw new ValueError('DataLoader: pass either seed or random, not both (seed creates a generator of its own)');
    }
    if (seed !== undefined && !Number.isFinite(seed)) {
      throw new ValueError(`DataLoader: seed must be a finite number, got ${seed}`);
    }
    const resolved = batchSize === 'full' ? n : batchSize;
    if (dropLast && resolved > n) {
      throw new ValueError(
        `DataLoader: batchSize ${resolved} with dropLast would drop all ${n} samples every epoch; use a batchSize of at most ${n} or dropLast: false`,
      );
    }
    this.x = x;
    this.y = y;
    this.shuffle = shuffle;
    this.views = views;
    this.dropLast = dropLast;
    this.resolvedBatchSize = resolved;
    this.random = generatorFor(seed, random);
  }

  /** N, the number of samples in one epoch (before dropLast). */
  get numSamples(): number {
    return this.x.shape[0]!;
  }

  /** Samples per batch as a number ('full' resolved to N). */
  get batchSize(): number {
    return this.resolvedBatchSize;
  }

  /** Batches (= weight updates) per epoch: ceil(N / batchSize), or floor with dropLast. */
  get iterationsPerEpoch(): number {
    const ratio = this.numSamples / this.resolvedBatchSize;
    return this.dropLast ? Math.floor(ratio) : Math.ceil(ratio);
  }

  /**
   * One epoch. The sample order is drawn here, when the epoch starts (not lazily at the
   * first batch), so the generator's state does not depend on how far a loop got.
   */
  [Symbol.iterator](): Iterator<Batch> {
    const order = this.shuffle ? this.random.permutation(this.numSamples) : null;
    return this.batches(order);
  }

  private *batches(order: Int32Array | null): Generator<Batch> {
    const size = this.resolvedBatchSize;
    for (let iteration = 0; iteration < this.iterationsPerEpoch; iteration++) {
      const start = iteration * size;
      const end = Math.min(start + size, this.numSamples);
      if (order === null) {
        // Unshuffled batches are contiguous rows: a view (or one memory copy) replaces the gather.
        const indices = new Int32Array(end - start);
        for (let i = 0; i < indices.length; i++) indices[i] = start + i;
        const take = this.views ? viewRows : takeRange;
        yield {
          x: take(this.x, start, end),
          y: this.y === null ? null : take(this.y, start, end),
          indices,
          iteration,
        };
      } else {
        const indices = order.slice(start, end);
        yield {
          x: takeRows(this.x, indices),
          y: this.y === null ? null : takeRows(this.y, indices),
          indices,
          iteration,
        };
      }
    }
  }
}
