/** Creation helpers: tensor, zeros, ones, full, randn, randu, arange. */
import { ValueError, formatShape } from '../errors.js';
import { globalRandom, type Random } from './random.js';
import { Tensor, allocate, checkShape, sizeOf, type DType, type FloatArray } from './tensor.js';

export interface CreateOptions {
  requiresGrad?: boolean;
  dtype?: DType;
}

export interface RandomOptions extends CreateOptions {
  /** Generator to draw from (default: the global one, seeded by manualSeed). */
  random?: Random;
}

export type NestedNumbers = number | readonly NestedNumbers[];

/**
 * A tensor from nested arrays, a flat array plus shape, or a typed array.
 * `tensor([[1, 2], [3, 4]])`, `tensor([1, 2, 3, 4], [2, 2])`, `tensor(5)`.
 */
export function tensor(
  values: NestedNumbers | ArrayLike<number>,
  shape?: readonly number[],
  options: CreateOptions = {},
): Tensor {
  const dtype = options.dtype ?? (values instanceof Float64Array ? 'float64' : 'float32');
  let flat: number[] | ArrayLike<number>;
  let inferred: number[];
  if (typeof values === 'number') {
    flat = [values];
    inferred = [];
  } else if (isTypedOrFlat(values)) {
    flat = values as ArrayLike<number>;
    inferred = [flat.length];
  } else {
    inferred = inferShape(values as NestedNumbers);
    flat = [];
    flatten(values as NestedNumbers, flat as number[], inferred, 0);
  }
  const finalShape = shape ?? inferred;
  checkShape(finalShape, 'tensor');
  if (sizeOf(finalShape) !== flat.length) {
    throw new ValueError(`tensor: ${flat.length} values cannot take shape ${formatShape(finalShape)} (${sizeOf(finalShape)} needed)`);
  }
  const data = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (typeof v !== 'number') throw new ValueError(`tensor: value at flat index ${i} is ${typeof v}, not a number`);
    data[i] = v;
  }
  return new Tensor(data, finalShape, options.requiresGrad ?? false);
}

function isTypedOrFlat(values: unknown): boolean {
  if (ArrayBuffer.isView(values)) return true;
  return Array.isArray(values) && (values.length === 0 || typeof values[0] === 'number');
}

function inferShape(values: NestedNumbers): number[] {
  const shape: number[] = [];
  let v: NestedNumbers = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0] as NestedNumbers;
  }
  return shape;
}

function flatten(values: NestedNumbers, out: number[], shape: number[], dim: number): void {
  if (dim === shape.length) {
    if (typeof values !== 'number') throw new ValueError(`tensor: nesting is deeper than the first element's (shape ${formatShape(shape)})`);
    out.push(values);
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new ValueError(
      `tensor: ragged nested array: dimension ${dim} should have ${shape[dim]} entries (from the first element), found ${Array.isArray(values) ? values.length : 'a number'}`,
    );
  }
  for (const v of values as readonly NestedNumbers[]) flatten(v, out, shape, dim + 1);
}

export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  checkShape(shape, 'full');
  const data = allocate(options.dtype ?? 'float32', sizeOf(shape));
  data.fill(value);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

export function zerosLike(t: Tensor): Tensor {
  return zeros(t.shape, { dtype: t.dtype });
}

/** Standard normal values (mean 0, std 1), scaled by `std` and shifted by `mean`. */
export function randn(shape: readonly number[], options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const { mean = 0, std = 1 } = options;
  return drawn('randn', shape, options, (random) => mean + std * random.normal());
}

/** Uniform values in [low, high) (default [0, 1)). */
export function randu(shape: readonly number[], options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const { low = 0, high = 1 } = options;
  return drawn('randu', shape, options, (random) => low + (high - low) * random.uniform());
}

/** A tensor of `shape` filled element by element with `draw(generator)`. */
function drawn(where: string, shape: readonly number[], options: RandomOptions, draw: (random: Random) => number): Tensor {
  checkShape(shape, where);
  const random = options.random ?? globalRandom;
  const data = allocate(options.dtype ?? 'float32', sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(random);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/** 0, 1, ..., n-1 (or start..stop by step). */
export function arange(start: number, stop?: number, step = 1, options: CreateOptions = {}): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0) throw new ValueError('arange: step must not be 0');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocate(options.dtype ?? 'float32', n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n], options.requiresGrad ?? false);
}

/** A tensor viewing the same data with a new dtype (copy when the dtype changes). */
export function cast(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  const data: FloatArray = allocate(dtype, t.size);
  data.set(t.data);
  return new Tensor(data, t.shape, t.requiresGrad);
}
