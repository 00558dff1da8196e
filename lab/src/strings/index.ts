/**
 * Every message of the lab in both languages. Each page's file types its English table as
 * Record<keyof Spanish, string>, so a key missing in either language is a type error.
 */
import * as activations from './activations.js';
import * as backprop from './backprop.js';
import * as common from './common.js';
import * as gradientDescent from './gradient-descent.js';
import * as home from './home.js';
import * as lossFunctions from './loss-functions.js';
import * as mnist from './mnist.js';
import * as playground from './playground.js';
import * as tradeoff from './tradeoff.js';

const tables = [common, home, gradientDescent, lossFunctions, activations, backprop, playground, mnist, tradeoff] as const;

type Union<T> = T extends readonly (infer U)[] ? U : never;
type Table = Union<typeof tables>['es'];
type KeysOf<T> = T extends unknown ? keyof T : never;
export type MessageKey = KeysOf<Table>;

function merge(lang: 'es' | 'en'): Record<MessageKey, string> {
  const out: Record<string, string> = {};
  for (const table of tables) {
    for (const [key, value] of Object.entries(table[lang])) {
      if (key in out) throw new Error(`lab i18n: key '${key}' is defined twice`);
      out[key] = value;
    }
  }
  return out as Record<MessageKey, string>;
}

export const messages = { es: merge('es'), en: merge('en') };
