/**
 * NumPy's `.npy` format (version 1.0), written: the arrays an exported PyTorch project
 * loads with `numpy.load`. A magic string, a header (a Python dict literal with the dtype,
 * the order and the shape) padded so the data starts on a 64-byte boundary, then the raw
 * little-endian values. Browser-safe (bytes in, bytes out).
 */
import { ValueError } from '../errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An array for `.npy`: float32 data, int32 (sample orders), or uint8 (codes into a table of values). */
export type NpyData = Float32Array | Int32Array | Uint8Array;

/** The bytes of a `.npy` file holding `data` with `shape` (row-major, as every tensor here). */
export function encodeNpy(data: NpyData, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((d) => !Number.isInteger(d) || d < 0) || count !== data.length) {
    throw new ValueError(`encodeNpy: shape [${shape.join(', ')}] does not fit ${data.length} values`);
  }
  if (!littleEndianHost) throw new ValueError('encodeNpy: needs a little-endian machine (every browser and Node platform is)');
  const descr = data instanceof Float32Array ? '<f4' : data instanceof Int32Array ? '<i4' : '|u1';
  // A one-element shape needs the trailing comma of a Python tuple: (5,).
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  // magic (6) + version (2) + header length (2) + header + '\n' must be a multiple of 64.
  const unpadded = MAGIC.length + 4 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  if (header.length > 0xffff) throw new ValueError('encodeNpy: the shape is too long for a version 1.0 header');
  const out = new Uint8Array(MAGIC.length + 4 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; // version 1.0
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
