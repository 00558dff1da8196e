/**
 * Inputs that try to run the machine out: every file we read costs memory and time in
 * proportion to what it really holds, never to what it claims or repeats.
 *   - uploaded model files (modelFromFiles): sizes are checked against the manifest before a
 *     byte is read; a manifest naming one file 3,000 times reads nothing;
 *   - model loading is linear in the size of model.json: the time bound is a ratio between
 *     two sizes of the same worst case (no absolute timeouts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Dense, ModelFormatError, Sequential, loadModel, manualSeed, modelFromFiles, modelToFiles } from '../../src/node.js';

const root = mkdtempSync(join(tmpdir(), 'gradiente-hostile-inputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A File that counts how often its bytes are read. */
class CountingFile extends File {
  reads = 0;
  override arrayBuffer(): Promise<ArrayBuffer> {
    this.reads++;
    return super.arrayBuffer();
  }
}

function smallModel(): Sequential {
  manualSeed(1);
  return new Sequential([new Dense(3, { activation: 'relu', inputDim: 2 }), new Dense(1)]);
}

describe('uploaded model files (modelFromFiles)', () => {
  it('a manifest that names one weights file 3,000 times is refused before reading it', async () => {
    const files = modelToFiles(smallModel(), { format: 'tfjs' });
    const json = JSON.parse(await files.json.text()) as { weightsManifest: { paths: string[]; weights: unknown[] }[] };
    // Declare 3,000 times the weights too, so that the total size would match a 3,000-fold read.
    const group = json.weightsManifest[0]!;
    group.paths = Array.from({ length: 3000 }, () => group.paths[0]!);
    const weights = new CountingFile([files.weights], files.weightsFileName);
    const upload = [new File([JSON.stringify(json)], 'model.json'), weights];
    await expect(modelFromFiles(upload)).rejects.toThrow(/names the file 'model\.weights\.bin' more than once/);
    expect(weights.reads).toBe(0);
  });

  for (const format of ['tfjs', 'gradiente'] as const) {
    it(`declared sizes must match the picked files before anything is read (${format})`, async () => {
      const files = modelToFiles(smallModel(), { format });
      const longer = new CountingFile([files.weights, new Uint8Array(4)], files.weightsFileName);
      await expect(modelFromFiles([new File([files.json], files.jsonFileName), longer])).rejects.toThrow(
        new RegExp(`holds ${files.weights.size + 4} bytes but the manifest declares ${files.weights.size}; the weights are longer than declared`),
      );
      expect(longer.reads).toBe(0);
      const shorter = new CountingFile([(await files.weights.arrayBuffer()).slice(0, files.weights.size - 4)], files.weightsFileName);
      await expect(modelFromFiles([new File([files.json], files.jsonFileName), shorter])).rejects.toThrow(ModelFormatError);
      expect(shorter.reads).toBe(0);
    });
  }
});

/** A gradiente model.json of `n` layers of `kind` after one Dense(2) layer, with its weights. */
function layeredModel(n: number, kind: 'Activation' | 'Dense'): string {
  const dir = join(root, `${kind}-${n}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  const layers: unknown[] = [{ class: 'Dense', config: { units: 2, activation: 'linear', useBias: true, inputDim: 2 } }];
  const weights = [
    { name: '0.kernel', shape: [2, 2], dtype: 'float32' },
    { name: '0.bias', shape: [2], dtype: 'float32' },
  ];
  let bytes = 24;
  for (let i = 1; i <= n; i++) {
    if (kind === 'Activation') {
      layers.push({ class: 'Activation', config: { activation: 'linear' } });
    } else {
      layers.push({ class: 'Dense', config: { units: 1, activation: 'linear', useBias: false } });
      weights.push({ name: `${i}.kernel`, shape: [i === 1 ? 2 : 1, 1], dtype: 'float32' });
      bytes += i === 1 ? 8 : 4;
    }
  }
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'gradiente-model', version: 1, layers, weightsManifest: { path: 'weights.bin', weights } }));
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(bytes));
  return dir;
}

async function medianLoadMs(dir: string): Promise<number> {
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const start = performance.now();
    await loadModel(dir);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[1]!;
}

describe('model loading is linear in the size of the file', () => {
  it.each([
    ['Activation', 10_000, 40_000],
    ['Dense', 5_000, 20_000],
  ] as const)('%s layers: 4 times the layers take well under 16 times as long (quadratic would)', async (kind, small, large) => {
    const smallDir = layeredModel(small, kind);
    const largeDir = layeredModel(large, kind);
    const model = await loadModel(largeDir);
    expect(model.layers.length).toBe(large + 1);
    await medianLoadMs(smallDir); // warm up the JIT on the same code path
    const ratio = (await medianLoadMs(largeDir)) / (await medianLoadMs(smallDir));
    // Linear: about 4. Quadratic (the old add()-per-layer rebuild): about 16.
    expect(ratio).toBeLessThan(8);
  }, 120_000);
});

describe('TensorFlow.js files with scoped weight names', () => {
  /** n Dense(1) layers as TF.js files whose weights are named 'sequential/dense_i/kernel'. */
  async function scopedUpload(n: number): Promise<File[]> {
    manualSeed(2);
    const layers = [new Dense(1, { inputDim: 1, useBias: false })];
    for (let i = 1; i < n; i++) layers.push(new Dense(1, { useBias: false }));
    const files = modelToFiles(new Sequential(layers), { format: 'tfjs' });
    const json = JSON.parse(await files.json.text()) as { weightsManifest: { weights: { name: string }[] }[] };
    for (const w of json.weightsManifest[0]!.weights) w.name = `sequential/${w.name}`;
    return [new File([JSON.stringify(json)], 'model.json'), new File([files.weights], files.weightsFileName)];
  }

  async function medianImportMs(upload: File[]): Promise<number> {
    const times: number[] = [];
    for (let k = 0; k < 3; k++) {
      const start = performance.now();
      await modelFromFiles(upload);
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[1]!;
  }

  it('finding each layer\'s weights stays linear: 4 times the layers take well under 16 times as long', async () => {
    const small = await scopedUpload(2_000);
    const large = await scopedUpload(8_000);
    expect((await modelFromFiles(large)).model.layers.length).toBe(8_000);
    await medianImportMs(small);
    const ratio = (await medianImportMs(large)) / (await medianImportMs(small));
    expect(ratio).toBeLessThan(8);
  }, 120_000);
});
