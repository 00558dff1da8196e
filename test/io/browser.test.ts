/** Browser helpers, run in Node with its File/Blob and a stand-in for localStorage and document. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Dense,
  GradienteError,
  ModelFormatError,
  Sequential,
  Tensor,
  downloadModel,
  loadModelFromStorage,
  manualSeed,
  modelFromFiles,
  modelToFiles,
  randn,
  saveModelToStorage,
  type KeyValueStorage,
} from '../../src/index.js';

function bits(t: Tensor): number[] {
  return Array.from(new Uint32Array(Float32Array.from(t.data).buffer));
}

function model(): Sequential {
  manualSeed(4);
  const m = new Sequential([new Dense(6, { activation: 'tanh', inputDim: 3 }), new Dense(2, { activation: 'softmax' })]);
  m.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
  return m;
}

class MemoryStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  constructor(private readonly quota = Infinity) {}
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (value.length > this.quota) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('browser helpers', () => {
  for (const format of ['tfjs', 'gradiente'] as const) {
    it(`files for download (${format}) open again as uploaded files`, async () => {
      const m = model();
      const files = modelToFiles(m, { format, baseName: 'digits' });
      expect([files.jsonFileName, files.weightsFileName]).toEqual(['digits.json', 'digits.weights.bin']);
      const uploaded = [new File([files.weights], files.weightsFileName), new File([files.json], files.jsonFileName)];
      const back = await modelFromFiles(uploaded);
      expect(back.format).toBe(format);
      const x = randn([4, 3]);
      expect(bits(back.model.predict(x))).toEqual(bits(m.predict(x)));
      if (format === 'gradiente') expect(back.model.optimizer.type).toBe('rmsprop');
    });
  }

  it('uploads must include the weights file the manifest names, and one .json', async () => {
    const files = modelToFiles(model());
    await expect(modelFromFiles([new File([files.json], 'model.json')])).rejects.toThrow(/needs the weights file 'model\.weights\.bin'/);
    await expect(modelFromFiles([new File([files.weights], 'x.bin')])).rejects.toThrow(/exactly one model \.json/);
    await expect(modelFromFiles([new File(['{"format": "x"'], 'model.json')])).rejects.toThrow(ModelFormatError);
  });

  it('downloadModel clicks one link per file', () => {
    const clicks: string[] = [];
    vi.stubGlobal('document', { createElement: () => ({ href: '', download: '', click(this: { download: string }) { clicks.push(this.download); } }) });
    downloadModel(model(), { baseName: 'm' });
    expect(clicks).toEqual(['m.json', 'm.weights.bin']);
  });

  it('downloadModel outside a browser says what to use instead', () => {
    expect(() => downloadModel(model())).toThrow(/needs a browser.*saveModel or exportModel/);
  });

  it('localStorage: save, load, nothing stored, storage full, not our data', () => {
    const storage = new MemoryStorage();
    const m = model();
    const size = saveModelToStorage(m, 'my-model', { storage });
    expect(size).toBe(storage.items.get('my-model')!.length);
    const back = loadModelFromStorage('my-model', { storage })!;
    const x = randn([3, 3]);
    expect(bits(back.predict(x))).toEqual(bits(m.predict(x)));
    expect(loadModelFromStorage('other', { storage })).toBeNull();
    expect(() => saveModelToStorage(m, 'k', { storage: new MemoryStorage(10) })).toThrow(/storage is probably full/);
    storage.setItem('junk', '{"hello": 1}');
    expect(() => loadModelFromStorage('junk', { storage })).toThrow(/not a model saved by saveModelToStorage/);
    storage.setItem('cut', storage.items.get('my-model')!.slice(0, 100));
    expect(() => loadModelFromStorage('cut', { storage })).toThrow(ModelFormatError);
    expect(() => loadModelFromStorage('x')).toThrow(GradienteError);
  });
});
