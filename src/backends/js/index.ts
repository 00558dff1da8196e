/** The reference backend: plain TypeScript, the definition of correct for all others. */
import type { Backend } from '../backend.js';
import { binary, unary, unaryGrad } from './elementwise.js';
import { matmul } from './matmul.js';
import { reduce, softmax, softmaxGrad } from './reduce.js';

export const jsBackend: Backend = {
  name: 'js',
  float32Only: false,
  matmul,
  unary,
  unaryGrad,
  binary,
  reduce,
  softmax,
  softmaxGrad,
};
