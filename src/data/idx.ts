/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/), decoded
 * from bytes, browser-safe. Reading files and gunzipping them is Node's job (src/node/idx.ts).
 *
 * Layout: two zero bytes; a type code; the number of dimensions k; k big-endian uint32
 * sizes; then the values, row-major, big-endian for multi-byte types.
 *
 * Shape letters: N samples, D values per sample (rows·cols for images).
 */
import { DataFormatError, ValueError } from '../errors.js';
import { DEFAULT_MAX_CLASSES } from './table-plan.js';
import { Tensor } from '../tensor/tensor.js';

export type IdxArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export interface IdxData {
  dims: number[];
  type: IdxType;
  data: IdxArray;
}

const TYPES: Record<number, { type: IdxType; bytes: number }> = {
  0x08: { type: 'uint8', bytes: 1 },
  0x09: { type: 'int8', bytes: 1 },
  0x0b: { type: 'int16', bytes: 2 },
  0x0c: { type: 'int32', bytes: 4 },
  0x0d: { type: 'float32', bytes: 4 },
  0x0e: { type: 'float64', bytes: 8 },
};

/** Decode IDX bytes (already decompressed); `sourceName` names them in error messages. */
export function parseIdx(bytes: Uint8Array, sourceName = 'IDX data'): IdxData {
  if (bytes.length < 4) {
    throw new DataFormatError(`${sourceName}: only ${bytes.length} bytes; an IDX file starts with a 4-byte magic number (truncated or not IDX)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const code = bytes[2]!;
  const rank = bytes[3]!;
  const kind = TYPES[code];
  if (bytes[0] !== 0 || bytes[1] !== 0 || kind === undefined || rank === 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DataFormatError(
      `${sourceName}: bad magic number at byte 0 (${magic}); an IDX file starts with 00 00, a type code (08 ubyte, 09 byte, 0b short, 0c int, 0d float, 0e double) and the number of dimensions (at least 1)`,
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new DataFormatError(`${sourceName}: truncated in the header: ${rank} dimension sizes need bytes 4..${headerBytes - 1}, the data ends at byte ${bytes.length}`);
  }
  const dims: number[] = [];
  for (let k = 0; k < rank; k++) dims.push(view.getUint32(4 + 4 * k, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * kind.bytes;
  if (bytes.length < expected) {
    throw new DataFormatError(
      `${sourceName}: truncated: dimensions [${dims.join(', ')}] declare ${count * kind.bytes} bytes of ${kind.type} values from byte ${headerBytes}, but only ${bytes.length - headerBytes} are there (${expected} bytes expected in all, found ${bytes.length})`,
    );
  }
  if (bytes.length > expected) {
    throw new DataFormatError(
      `${sourceName}: ${bytes.length - expected} unexpected bytes after the data, from byte ${expected}; dimensions [${dims.join(', ')}] account for ${expected} bytes (wrong dimensions, or two files joined?)`,
    );
  }
  return { dims, type: kind.type, data: decode(view, headerBytes, count, kind.type) };
}

function decode(view: DataView, offset: number, count: number, type: IdxType): IdxArray {
  switch (type) {
    case 'uint8':
      return new Uint8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 'int8':
      return new Int8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

export interface IdxDatasetOptions {
  /** Divide 8-bit pixel values by 255, into [0, 1]. Default true. */
  normalize?: boolean;
  /** When given, every label must be below it (e.g. 10 for the digits). */
  numClasses?: number;
  /**
   * Without numClasses, the most classes the labels may imply (largest label + 1; default
   * 1000): a corrupt label such as 2^31 - 1 is an error naming it, not billions of classes.
   */
  maxClasses?: number;
}

export interface IdxDataset {
  /** [N, D]: each sample's values flattened (rows·cols for images). */
  x: Tensor;
  /** [N] integer labels. */
  labels: Tensor;
}

/** An images IDX and a labels IDX as x [N, D] and labels [N], checked against each other. */
export function idxToDataset(
  images: IdxData,
  labels: IdxData,
  names: { images: string; labels: string },
  options: IdxDatasetOptions = {},
): IdxDataset {
  const { normalize = true, numClasses, maxClasses = DEFAULT_MAX_CLASSES } = options;
  if (numClasses !== undefined && !(Number.isInteger(numClasses) && numClasses > 0)) {
    throw new ValueError(`numClasses must be a positive integer, got ${numClasses}`);
  }
  if (labels.dims.length !== 1) {
    throw new DataFormatError(`${names.labels}: labels must be one-dimensional [N], the header declares [${labels.dims.join(', ')}]`);
  }
  if (labels.type === 'float32' || labels.type === 'float64') {
    throw new DataFormatError(`${names.labels}: labels must be integers, the header declares ${labels.type} values (type code at byte 2)`);
  }
  const n = images.dims[0]!;
  if (labels.dims[0] !== n) {
    throw new DataFormatError(
      `${names.images} holds ${n} images but ${names.labels} holds ${labels.dims[0]} labels; the files do not belong together (train with train, t10k with t10k)`,
    );
  }
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels.data[i]!;
    if (label < 0 || (numClasses !== undefined && label >= numClasses)) {
      const range = numClasses !== undefined ? `0..${numClasses - 1}` : 'non-negative values';
      throw new DataFormatError(`${names.labels}: label ${i} (at byte ${labelOffset(labels, i)}) is ${label}, outside ${range}`);
    }
    if (numClasses === undefined && label >= maxClasses) {
      throw new DataFormatError(
        `${names.labels}: label ${i} (at byte ${labelOffset(labels, i)}) is ${label}, which would make ${label + 1} classes, more than ${maxClasses}; if the file really has that many classes raise maxClasses (--max-classes)`,
      );
    }
    y[i] = label;
  }
  if (normalize && images.type !== 'uint8') {
    throw new ValueError(`${names.images}: normalize divides 8-bit pixels by 255, but this file holds ${images.type} values; pass normalize: false`);
  }
  const d = n === 0 ? 0 : images.data.length / n;
  const x = new Float32Array(images.data.length);
  if (normalize) for (let i = 0; i < x.length; i++) x[i] = images.data[i]! / 255;
  else x.set(images.data);
  return { x: new Tensor(x, [n, d]), labels: new Tensor(y, [n]) };
}

function labelOffset(labels: IdxData, i: number): number {
  return 4 + 4 * labels.dims.length + i * labels.data.BYTES_PER_ELEMENT;
}
