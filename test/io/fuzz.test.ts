/**
 * Property-based fuzzing of the model loaders: start from valid files, mutate them (values
 * replaced or deleted anywhere in model.json, text cut or corrupted, weights cut, grown or
 * overwritten), and require that the only errors escaping are gradiente's own.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Activation,
  Dense,
  Dropout,
  GradienteError,
  Sequential,
  Tensor,
  importModel,
  manualSeed,
  modelFromArtifacts,
  modelFromTfjsArtifacts,
  modelToArtifacts,
  modelToTfjsArtifacts,
  randn,
  zeros,
} from '../../src/node.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

let nativeJson: Json;
let nativeWeights: Uint8Array;
let tfjsJson: Json;
let tfjsWeights: Uint8Array;

beforeAll(async () => {
  manualSeed(9);
  const model = new Sequential([
    new Dense(5, { activation: 'leakyRelu', activationAlpha: 0.1, inputDim: 3 }),
    new Dropout(0.2),
    new Activation('elu'),
    new Dense(2, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: { type: 'adam', learningRate: 0.01 }, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(randn([6, 3]), randn([6, 2]).softmax(), { epochs: 1, batchSize: 3 });
  const native = modelToArtifacts(model, { includeRandomState: true, trainingConfig: { epochs: 1 } });
  nativeJson = JSON.parse(JSON.stringify(native.modelJson)) as Json;
  nativeWeights = new Uint8Array(native.weights);
  const tfjs = modelToTfjsArtifacts(model);
  tfjsJson = JSON.parse(JSON.stringify(tfjs.modelJson)) as Json;
  tfjsWeights = new Uint8Array(tfjs.weightsBin);
});

/** Every path to a value inside `value` (the root included), down to a depth of 12 (model files are shallower). */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (prefix.length >= 12) return out;
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

type Mutation = { kind: 'set'; at: number; value: Json } | { kind: 'delete'; at: number };

function applyMutation(root: Json, m: Mutation): Json {
  const all = paths(root);
  const path = all[m.at % all.length]!;
  if (path.length === 0) return m.kind === 'set' ? m.value : null;
  const copy = JSON.parse(JSON.stringify(root)) as Json;
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (m.kind === 'set') parent[last] = m.value;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return copy;
}

/** Values that hit edges: signs, sizes, types, deep nesting. */
const nastyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue() as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(-1, 0, 1, 0.5, 2 ** 31, 2 ** 32 - 1, 2 ** 53, 1e308, -1e308, '', 'float16', 'int32', '../x', '/etc/passwd', null, [], {}, [-1], [2 ** 20, 2 ** 20, 2 ** 20], true),
  fc.integer({ min: 1, max: 500 }).map((depth) => {
    let v: Json = 1;
    for (let i = 0; i < depth; i++) v = { after: v, type: 'warmup', warmupSteps: 1 };
    return v;
  }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: nastyValue }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
);

const weightsMutation = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('grow' as const), extra: fc.uint8Array({ maxLength: 16 }) }),
  fc.record({ kind: fc.constant('poke' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.constant({ kind: 'none' as const }),
);

function mutateWeights(bytes: Uint8Array, m: fc.Arbitrary<unknown> extends never ? never : { kind: string; at?: number; extra?: Uint8Array; byte?: number }): Uint8Array {
  switch (m.kind) {
    case 'cut': return bytes.slice(0, (m.at ?? 0) % (bytes.length + 1));
    case 'grow': {
      const out = new Uint8Array(bytes.length + m.extra!.length);
      out.set(bytes);
      out.set(m.extra!, bytes.length);
      return out;
    }
    case 'poke': {
      const out = bytes.slice();
      if (out.length > 0) out[(m.at ?? 0) % out.length] = m.byte!;
      return out;
    }
    default: return bytes;
  }
}

/** Load, and if it loads, predict: anything thrown must be one of our errors. */
function onlyOurErrors(load: () => Sequential): void {
  let model: Sequential;
  try {
    model = load();
  } catch (error) {
    if (!(error instanceof GradienteError)) throw error;
    return;
  }
  try {
    const first = model.layers.find((l): l is Dense => l instanceof Dense);
    const x: Tensor = zeros([2, first?.inputDim ?? 3]);
    model.predict(x);
  } catch (error) {
    if (!(error instanceof GradienteError)) throw error;
  }
}

describe('fuzzing the loaders with mutated valid files: only gradiente errors escape', () => {
  it('native artifacts: mutated model.json', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), weightsMutation, (mutations, wm) => {
        const json = mutations.reduce(applyMutation, nativeJson);
        onlyOurErrors(() => modelFromArtifacts({ modelJson: json, weights: mutateWeights(nativeWeights, wm) }));
      }),
      { numRuns: 1500, seed: 1 },
    );
  });

  it('TensorFlow.js artifacts: mutated model.json', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), weightsMutation, (mutations, wm) => {
        const json = mutations.reduce(applyMutation, tfjsJson);
        onlyOurErrors(() => modelFromTfjsArtifacts({ modelJson: json, weightsBin: mutateWeights(tfjsWeights, wm) }));
      }),
      { numRuns: 1500, seed: 2 },
    );
  });

  it('the mutations do reach deep: a fair share of mutated files still load', () => {
    let loaded = 0;
    fc.assert(
      fc.property(mutation, (m) => {
        try {
          modelFromArtifacts({ modelJson: applyMutation(nativeJson, m), weights: nativeWeights });
          loaded++;
        } catch (error) {
          if (!(error instanceof GradienteError)) throw error;
        }
      }),
      { numRuns: 300, seed: 3 },
    );
    // Mutations of optional or free-form fields (trainingConfig, names) load; most others must not.
    expect(loaded).toBeGreaterThan(10);
    expect(loaded).toBeLessThan(300);
  });

  describe('through files (importModel): mutated text, cut and corrupted', () => {
    const root = mkdtempSync(join(tmpdir(), 'gradiente-fuzz-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    let n = 0;

    it('byte-level corruption of model.json and weights.bin', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.boolean(),
          fc.oneof(
            fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
            fc.record({ kind: fc.constant('poke' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
            fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
          ),
          weightsMutation,
          async (tfjs, textMutation, wm) => {
            const text = JSON.stringify(tfjs ? tfjsJson : nativeJson);
            const bytes = new TextEncoder().encode(text);
            let mutated: Uint8Array;
            if (textMutation.kind === 'cut') mutated = bytes.slice(0, textMutation.at % (bytes.length + 1));
            else if (textMutation.kind === 'poke') {
              mutated = bytes.slice();
              mutated[textMutation.at % mutated.length] = textMutation.byte;
            } else {
              const at = textMutation.at % (text.length + 1);
              mutated = new TextEncoder().encode(text.slice(0, at) + textMutation.text + text.slice(at));
            }
            const dir = join(root, `d${n++}`);
            mkdirSync(dir);
            writeFileSync(join(dir, 'model.json'), mutated);
            writeFileSync(join(dir, 'weights.bin'), mutateWeights(tfjs ? tfjsWeights : nativeWeights, wm));
            try {
              await importModel(dir);
            } catch (error) {
              if (!(error instanceof GradienteError)) throw error;
            }
          },
        ),
        { numRuns: 300, seed: 4 },
      );
    });
  });
});
