/** model.save(destination) and loadModelFrom(source): folders in Node, localStorage by URL. */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Dense, Sequential, loadModelFrom, manualSeed, randn, GradienteError } from '../../src/node.js';

function smallModel(): Sequential {
  manualSeed(4);
  const model = new Sequential([new Dense(5, { activation: 'tanh', inputDim: 3 }), new Dense(2)]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  return model;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('model.save / loadModelFrom', () => {
  it('a plain folder path and file:// both round-trip the predictions exactly', async () => {
    const model = smallModel();
    const x = randn([4, 3]);
    for (const prefix of ['', 'file://']) {
      const dir = mkdtempSync(join(tmpdir(), 'gradiente-store-'));
      dirs.push(dir);
      await model.save(prefix + join(dir, 'm'));
      expect(existsSync(join(dir, 'm', 'model.json'))).toBe(true);
      const loaded = await loadModelFrom(prefix + join(dir, 'm'));
      expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(model.predict(x).data));
    }
  });

  it('localstorage:// keeps the model under its key', async () => {
    const items = new Map<string, string>();
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
    const model = smallModel();
    await model.save('localstorage://digits');
    expect(items.has('digits')).toBe(true);
    const x = randn([2, 3]);
    const loaded = await loadModelFrom('localstorage://digits');
    expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(model.predict(x).data));
    await expect(loadModelFrom('localstorage://missing')).rejects.toThrow(/no model is stored under 'missing'/);
  });

  it('an unknown scheme names the ones available', async () => {
    await expect(smallModel().save('ftp://somewhere')).rejects.toThrow(/no model store for 'ftp:\/\/somewhere'; available here: .*file:\/\//);
    await expect(loadModelFrom('downloads://x')).rejects.toBeInstanceOf(GradienteError);
  });
});
