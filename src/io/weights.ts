/**
 * Binary weights: named float32 tensors laid end to end, little-endian (as TensorFlow.js
 * writes `weights.bin`). Decoding checks the whole manifest against the buffer BEFORE
 * allocating anything, so a hostile manifest can never make us allocate more than the
 * buffer already holds, nor read past it.
 */
import { ModelFormatError, formatShape } from '../errors.js';
import { JsonPath, asArray, asInteger, asObject, asString } from './validate.js';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

export interface NamedWeight {
  name: string;
  shape: readonly number[];
  data: Float32Array;
}

/** What to do with NaN or ±Infinity in weights: reject (the default) or accept. */
export interface NonFinitePolicy {
  /**
   * Accept NaN / ±Infinity weights. Off by default: such weights come from a diverged
   * training or a corrupted file, and every prediction made with them is NaN.
   */
  allowNonFinite?: boolean;
}

/** More elements than this in one tensor is refused (2^31 − 1: the longest typed array everywhere). */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The element count of a declared shape, refusing negative, fractional, huge or overflowing shapes. */
export function elementCount(shape: unknown, at: JsonPath): number {
  const dims = asArray(shape, at);
  if (dims.length > 8) at.fail(`has ${dims.length} dimensions; at most 8 are supported`);
  let n = 1;
  dims.forEach((d, i) => {
    const dim = asInteger(d, at.index(i), 0, MAX_TENSOR_ELEMENTS);
    // Checked at every step so the product can never overflow into a plausible number.
    n *= dim;
    if (n > MAX_TENSOR_ELEMENTS) at.fail(`shape [${dims.map(String).join(', ')}] has more than ${MAX_TENSOR_ELEMENTS} elements`);
  });
  return n;
}

/** Parse a list of { name, shape, dtype } entries (dtype must be float32). */
export function parseWeightSpecs(value: unknown, at: JsonPath): WeightSpec[] {
  const seen = new Set<string>();
  return asArray(value, at).map((raw, i) => {
    const entryAt = at.index(i);
    const entry = asObject(raw, entryAt);
    const name = asString(entry.name, entryAt.key('name'));
    if (seen.has(name)) entryAt.key('name').fail(`repeats the weight name '${name}'`);
    seen.add(name);
    const dtype = entry.dtype ?? 'float32';
    if (dtype !== 'float32') {
      entryAt.key('dtype').fail(`is ${JSON.stringify(dtype)} for weight '${name}'; only float32 weights are supported (quantized or integer weights are not)`);
    }
    elementCount(entry.shape, entryAt.key('shape'));
    return { name, shape: (entry.shape as number[]).slice(), dtype: 'float32' };
  });
}

/** Bytes the specs need, or an error when the buffer is shorter or longer. */
export function checkWeightBytes(specs: readonly WeightSpec[], byteLength: number, file: string): void {
  let needed = 0;
  for (const spec of specs) needed += spec.shape.reduce((a, b) => a * b, 1) * 4;
  if (byteLength !== needed) {
    throw new ModelFormatError(
      `${file} holds ${byteLength} bytes but the manifest declares ${needed} (${specs.length} float32 tensors); ` +
        `the weights file is ${byteLength < needed ? 'truncated' : 'longer than declared'} or belongs to another model`,
    );
  }
}

function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return data instanceof Uint8Array ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** Split `data` into the tensors the specs declare (sizes are checked first; see checkWeightBytes). */
export function decodeWeights(specs: readonly WeightSpec[], data: ArrayBuffer | ArrayBufferView, file: string, policy: NonFinitePolicy = {}): Map<string, NamedWeight> {
  const bytes = toBytes(data);
  checkWeightBytes(specs, bytes.byteLength, file);
  const out = new Map<string, NamedWeight>();
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    // Copy (not a view): the source may be unaligned (a Node Buffer) or big-endian hosts may read it.
    if (littleEndianHost) {
      new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + size * 4));
    } else {
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size * 4);
      for (let i = 0; i < size; i++) values[i] = view.getFloat32(i * 4, true);
    }
    if (!policy.allowNonFinite) {
      const bad = firstNonFinite(values);
      if (bad >= 0) {
        throw new ModelFormatError(
          `${file}: weight '${spec.name}' ${formatShape(spec.shape)} holds ${values[bad]} at index ${bad}; ` +
            'a model with NaN or infinite weights only predicts NaN (it diverged in training or the file is corrupted). ' +
            'Pass { allowNonFinite: true } to load it anyway',
        );
      }
    }
    out.set(spec.name, { name: spec.name, shape: spec.shape, data: values });
    offset += size * 4;
  }
  return out;
}

/** Lay tensors end to end, little-endian; returns the specs in the same order. */
export function encodeWeights(weights: readonly NamedWeight[], policy: NonFinitePolicy = {}): { specs: WeightSpec[]; buffer: ArrayBuffer } {
  let total = 0;
  for (const w of weights) total += w.data.length;
  const buffer = new ArrayBuffer(total * 4);
  const view = new DataView(buffer);
  const specs: WeightSpec[] = [];
  let offset = 0;
  for (const w of weights) {
    assertFiniteForSave(w.name, w.data, policy);
    if (littleEndianHost) new Float32Array(buffer, offset, w.data.length).set(w.data);
    else for (let i = 0; i < w.data.length; i++) view.setFloat32(offset + i * 4, w.data[i]!, true);
    specs.push({ name: w.name, shape: [...w.shape], dtype: 'float32' });
    offset += w.data.length * 4;
  }
  return { specs, buffer };
}

/** Throw (unless the policy allows it) when `values` holds NaN or ±Infinity: the message names the weight. */
export function assertFiniteForSave(name: string, values: ArrayLike<number>, policy: NonFinitePolicy = {}): void {
  if (policy.allowNonFinite) return;
  const bad = firstNonFinite(values);
  if (bad >= 0) {
    throw new ModelFormatError(
      `cannot save weight '${name}': it holds ${values[bad]} at index ${bad} (the training diverged); ` +
        'lower the learning rate and train again, or pass { allowNonFinite: true } to save it anyway',
    );
  }
}

function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}
