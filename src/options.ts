/**
 * Options objects are checked, not trusted: a key the library does not read ({ lr: 0.1 },
 * { validation_split: 0.2 }, { inputShape: [4] }) is an error naming the key it meant,
 * never silently ignored while training goes on with the default. Browser-safe.
 */
import { ValueError } from './errors.js';
import { closest } from './suggest.js';

/** Names from other libraries (Keras, PyTorch) and short forms, to the key this library reads. */
const ALIASES: Readonly<Record<string, string>> = {
  lr: 'learningRate',
  learning_rate: 'learningRate',
  inputShape: 'inputDim',
  input_shape: 'inputDim',
  input_dim: 'inputDim',
  restore_best_weights: 'restoreBestWeights',
  min_delta: 'minDelta',
  from_logits: 'fromLogits',
};

/**
 * Throw a ValueError for the first key of `options` that is not in `known`, naming the key
 * to use ("did you mean learningRate?") and listing the known ones. `where` names the call,
 * e.g. "fit" or "compile"; `elsewhere` maps keys that belong in another object to a hint.
 */
export function checkOptionKeys(where: string, options: unknown, known: readonly string[], elsewhere: Readonly<Record<string, string>> = {}): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(`${where}: options must be an object like { ${known.slice(0, 2).map((k) => `${k}: ...`).join(', ')} }, got ${Array.isArray(options) ? 'an array' : String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const meant = ALIASES[key] ?? closest(key, [...known, ...Object.keys(elsewhere)]) ?? key;
    const hint = known.includes(meant) ? ` (did you mean ${meant}?)` : elsewhere[meant] !== undefined ? ` (${elsewhere[meant]})` : '';
    throw new ValueError(`${where}: unknown option '${key}'${hint}; the options are: ${known.join(', ')}`);
  }
}
