/**
 * MNIST digits as compact bytes: one byte per pixel (0..255, as the original MNIST files store
 * them) and one per label, instead of the `mnist` package's ~21 MB of JSON numbers. A browser
 * fetches 7.9 MB and turns it into tensors in milliseconds, where parsing the JSON takes seconds.
 *
 * Layout (little-endian): the 4 ASCII bytes "MNB1", the number of digits N as a uint32, N label
 * bytes, then N × 784 pixel bytes, row-major 28 × 28 per digit.
 * The package's values are the bytes divided by 255 and rounded to three decimals, so
 * round(v × 255) recovers each byte exactly; decoding gives byte / 255 (within 5 × 10⁻⁴ of
 * the JSON's rounded value).
 */
import { DataFormatError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';

const MAGIC = 'MNB1';
const HEADER = 8;
const PIXELS = 784;

/** Pack images [N, 784] in [0, 1] and labels [N] (0..9) into the compact layout. */
export function mnistToBytes(x: Tensor, labels: Tensor): Uint8Array {
  const n = labels.shape[0]!;
  if (x.shape.length !== 2 || x.shape[0] !== n || x.shape[1] !== PIXELS) {
    throw new DataFormatError(`mnistToBytes: images must be [${n}, ${PIXELS}] to match ${n} labels, got [${x.shape.join(', ')}]`);
  }
  const bytes = new Uint8Array(HEADER + n + n * PIXELS);
  for (let i = 0; i < 4; i++) bytes[i] = MAGIC.charCodeAt(i);
  new DataView(bytes.buffer).setUint32(4, n, true);
  for (let i = 0; i < n; i++) {
    const label = labels.data[i]!;
    if (!Number.isInteger(label) || label < 0 || label > 9) throw new DataFormatError(`mnistToBytes: label ${i} is ${label}, not a digit 0..9`);
    bytes[HEADER + i] = label;
  }
  const pixels = bytes.subarray(HEADER + n);
  for (let k = 0; k < n * PIXELS; k++) pixels[k] = Math.round(Math.min(1, Math.max(0, x.data[k]!)) * 255);
  return bytes;
}

/** Unpack the compact layout into images [N, 784] (values byte / 255) and labels [N]. */
export function mnistFromBytes(data: ArrayBuffer | Uint8Array, sourceName = 'MNIST bytes'): { x: Tensor; labels: Tensor } {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length < HEADER || magic !== MAGIC) {
    throw new DataFormatError(`${sourceName}: not compact MNIST digits (expected the bytes to start with '${MAGIC}', got '${magic.replace(/[^\x20-\x7e]/g, '?')}'); was it served as something else, an HTML error page perhaps?`);
  }
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  const expected = HEADER + n + n * PIXELS;
  if (bytes.length !== expected) {
    throw new DataFormatError(`${sourceName}: the header announces ${n} digits (${expected} bytes) but there are ${bytes.length} bytes; the file is truncated or padded`);
  }
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const label = bytes[HEADER + i]!;
    if (label > 9) throw new DataFormatError(`${sourceName}: label ${i} is ${label}, not a digit 0..9`);
    labels[i] = label;
  }
  const x = new Float32Array(n * PIXELS);
  const pixels = bytes.subarray(HEADER + n);
  for (let k = 0; k < x.length; k++) x[k] = pixels[k]! / 255;
  return { x: new Tensor(x, [n, PIXELS]), labels: new Tensor(labels, [n]) };
}
