import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Dense, ModelFormatError, Sequential, Tensor, loadModel, manualSeed, randn, saveModel } from '../../src/node.js';
import { nodeModelDirIo, type ModelDirIo } from '../../src/node/model-dir.js';

const root = mkdtempSync(join(tmpdir(), 'gradiente-model-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = (): string => join(root, `m${counter++}`);

function bits(t: Tensor): number[] {
  return Array.from(new Uint32Array(Float32Array.from(t.data).buffer));
}

function model(seed: number, hidden = 5): Sequential {
  manualSeed(seed);
  const m = new Sequential([new Dense(hidden, { activation: 'tanh', inputDim: 3 }), new Dense(2, { activation: 'sigmoid' })]);
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  return m;
}

describe('saveModel / loadModel', () => {
  it('writes model.json + weights.bin and loads the same model', async () => {
    const dir = freshDir();
    const m = model(1);
    const x = randn([4, 3]);
    await m.fit(x, randn([4, 2]).sigmoid(), { epochs: 2, batchSize: 2 });
    const written = await saveModel(m, dir);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    expect(written.weightsBytes).toBe(readFileSync(join(dir, 'weights.bin')).length);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest.path).toBe('weights.bin');
    for (const location of [dir, join(dir, 'model.json')]) {
      const loaded = await loadModel(location);
      expect(bits(loaded.predict(x))).toEqual(bits(m.predict(x)));
      expect(loaded.optimizer.iterations).toBe(4);
    }
  });

  it('replacing a model leaves only the new one, under the usual names', async () => {
    const dir = freshDir();
    await saveModel(model(1), dir);
    const second = model(2, 7);
    await saveModel(second, dir);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const x = randn([3, 3]);
    expect(bits((await loadModel(dir)).predict(x))).toEqual(bits(second.predict(x)));
  });

  it('a model that cannot be saved leaves the existing one untouched', async () => {
    const dir = freshDir();
    const good = model(1);
    await saveModel(good, dir);
    const before = readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]);
    const bad = model(2);
    bad.parameters()[0]!.data[0] = Number.POSITIVE_INFINITY;
    await expect(saveModel(bad, dir)).rejects.toThrow(ModelFormatError);
    expect(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')])).toEqual(before);
  });

  it('a crash at any step of a save leaves the old model or the new one, complete', async () => {
    const x = randn([3, 3]);
    const oldModel = model(1);
    const newModel = model(2, 4);
    const oldOut = bits(oldModel.predict(x));
    const newOut = bits(newModel.predict(x));
    const outcomes = new Set<string>();
    // Count the file operations of one save, then fail each of them in turn.
    let total = 0;
    const counting: ModelDirIo = Object.fromEntries(
      Object.entries(nodeModelDirIo).map(([k, f]) => [k, (...args: unknown[]) => (total++, f(...args))]),
    ) as unknown as ModelDirIo;
    await saveModel(newModel, freshDir(), {}, counting);
    expect(total).toBeGreaterThanOrEqual(8);
    for (let failAt = 0; failAt < total; failAt++) {
      const dir = freshDir();
      await saveModel(oldModel, dir);
      let calls = 0;
      const crashing: ModelDirIo = Object.fromEntries(
        Object.entries(nodeModelDirIo).map(([k, f]) => [
          k,
          (...args: unknown[]) => {
            if (calls++ === failAt) throw new Error(`simulated crash in ${k}`);
            return f(...args);
          },
        ]),
      ) as unknown as ModelDirIo;
      // Failing before the commit rejects; failing in the clean-up after it may not: both are fine.
      await saveModel(newModel, dir, {}, crashing).catch((error: Error) => expect(error.message).toMatch(/simulated crash/));
      const out = bits((await loadModel(dir)).predict(x));
      expect([oldOut, newOut]).toContainEqual(out);
      outcomes.add(JSON.stringify(out) === JSON.stringify(oldOut) ? 'old' : 'new');
      // A later save cleans up whatever the crash left behind.
      await saveModel(newModel, dir);
      expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    }
    expect([...outcomes].sort()).toEqual(['new', 'old']);
  });

  it('refuses a directory without a model, naming the path', async () => {
    const dir = freshDir();
    await expect(loadModel(dir)).rejects.toThrow(/cannot open the model|cannot read it/);
    writeFileSync(join(root, 'not-a-model.json'), '{"modelTopology": {}}');
    await expect(loadModel(join(root, 'not-a-model.json'))).rejects.toThrow(/not a gradiente model file/);
  });
});
