/**
 * Weight initializers. Each draws from the seeded generator, so a seed fixes the network.
 * fanIn / fanOut are the input and output sizes of the layer (D and H of a Dense kernel).
 */
import { ValueError } from '../errors.js';
import { globalRandom, type Random } from '../tensor/random.js';

export type InitializerName = 'glorotUniform' | 'glorotNormal' | 'heNormal' | 'heUniform' | 'lecunNormal' | 'zeros' | 'ones';
export type InitializerSpec = InitializerName | { type: 'constant'; value: number };

export const initializerNames: readonly InitializerName[] = ['glorotUniform', 'glorotNormal', 'heNormal', 'heUniform', 'lecunNormal', 'zeros', 'ones'];

export function initialize(spec: InitializerSpec, size: number, fanIn: number, fanOut: number, random: Random = globalRandom): Float32Array {
  const out = new Float32Array(size);
  const uniform = (limit: number): Float32Array => out.map(() => (random.uniform() * 2 - 1) * limit);
  const normal = (std: number): Float32Array => out.map(() => random.normal() * std);
  if (typeof spec === 'object') {
    if (spec.type !== 'constant' || !Number.isFinite(spec.value)) throw new ValueError(`initializer: expected { type: 'constant', value: <number> }`);
    return out.fill(spec.value);
  }
  switch (spec) {
    // Glorot/Xavier keeps the variance of activations and gradients alike in both directions.
    case 'glorotUniform': return uniform(Math.sqrt(6 / (fanIn + fanOut)));
    case 'glorotNormal': return normal(Math.sqrt(2 / (fanIn + fanOut)));
    // He: ReLU zeroes half of its inputs, so twice the variance keeps the signal alive.
    case 'heNormal': return normal(Math.sqrt(2 / fanIn));
    case 'heUniform': return uniform(Math.sqrt(6 / fanIn));
    case 'lecunNormal': return normal(Math.sqrt(1 / fanIn));
    case 'zeros': return out;
    case 'ones': return out.fill(1);
    default:
      throw new ValueError(`unknown initializer '${String(spec)}'; choose one of: ${initializerNames.join(', ')} or { type: 'constant', value }`);
  }
}
