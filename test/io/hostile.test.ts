/**
 * Hostile or broken model files: each gives a ModelFormatError that says what is wrong,
 * reads nothing outside the model directory, allocates nothing the files do not justify,
 * and damages nothing.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dense, ModelFormatError, Sequential, exportModel, importModel, loadModel, manualSeed, randn, saveModel } from '../../src/node.js';

const root = mkdtempSync(join(tmpdir(), 'gradiente-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

let nativeJson: Record<string, any>;
let nativeWeights: Buffer;
let tfjsJson: Record<string, any>;
let tfjsWeights: Buffer;

beforeAll(async () => {
  manualSeed(3);
  const model = new Sequential([new Dense(4, { activation: 'relu', inputDim: 3 }), new Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await model.fit(randn([8, 3]), randn([8, 2]).softmax(), { epochs: 1, batchSize: 4 });
  const native = join(root, 'native-template');
  await saveModel(model, native);
  nativeJson = JSON.parse(readFileSync(join(native, 'model.json'), 'utf8'));
  nativeWeights = readFileSync(join(native, 'weights.bin'));
  const tfjs = join(root, 'tfjs-template');
  await exportModel(model, { format: 'tfjs', out: tfjs });
  tfjsJson = JSON.parse(readFileSync(join(tfjs, 'model.json'), 'utf8'));
  tfjsWeights = readFileSync(join(tfjs, 'weights.bin'));
});

/** A fresh model directory with the given model.json (object or raw text) and weights.bin. */
function modelDir(json: unknown, weights: Uint8Array | null, extra: Record<string, Uint8Array | string> = {}): string {
  const dir = join(root, `case${counter++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'model.json'), typeof json === 'string' || json instanceof Uint8Array ? json : JSON.stringify(json));
  if (weights !== null) writeFileSync(join(dir, 'weights.bin'), weights);
  for (const [name, data] of Object.entries(extra)) writeFileSync(join(dir, name), data);
  return dir;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const setNativePath = (p: string) => ({ ...clone(nativeJson), weightsManifest: { ...clone(nativeJson.weightsManifest), path: p } });
const setTfjsPath = (p: string) => ({ ...clone(tfjsJson), weightsManifest: [{ ...clone(tfjsJson.weightsManifest[0]), paths: [p] }] });

async function refused(dir: string, pattern: RegExp, options = {}): Promise<void> {
  const error = await importModel(dir, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFormatError);
  expect((error as Error).message).toMatch(pattern);
}

describe('hostile model files', () => {
  it('both templates load (the cases below fail for the reason they name)', async () => {
    expect((await importModel(modelDir(nativeJson, nativeWeights))).format).toBe('gradiente');
    expect((await importModel(modelDir(tfjsJson, tfjsWeights))).format).toBe('tfjs');
  });

  describe('weight paths that leave the model directory', () => {
    // A file outside with exactly the right size: only the path check stands between it and a read.
    const outside = (): string => {
      const file = join(root, `outside${counter++}.bin`);
      writeFileSync(file, nativeWeights);
      return file;
    };

    it('../ traversal', async () => {
      const file = outside();
      const name = file.slice(root.length + 1);
      await refused(modelDir(setNativePath(`../${name}`), null), /"\.\.\/outside\d+\.bin" has an empty or "\.\." segment/);
      await refused(modelDir(setTfjsPath(`sub/../../${name}`), null), /segment/);
    });

    it('absolute paths (POSIX and Windows) and URLs', async () => {
      await refused(modelDir(setNativePath(outside()), null), /is absolute/);
      await refused(modelDir(setTfjsPath('C:\\models\\weights.bin'), null), /backslash|absolute/);
      await refused(modelDir(setTfjsPath('C:/weights.bin'), null), /absolute/);
      await refused(modelDir(setTfjsPath('file:///etc/passwd'), null), /is a URL/);
      await refused(modelDir(setTfjsPath('weights.bin\0.png'), null), /NUL/);
    });

    it('a symlink inside the directory that points out of it', async () => {
      const dir = modelDir(nativeJson, null);
      symlinkSync(outside(), join(dir, 'weights.bin'));
      await refused(dir, /outside the model directory/);
      // ... while a symlink that stays inside is fine.
      const ok = modelDir(setNativePath('link.bin'), nativeWeights);
      symlinkSync(join(ok, 'weights.bin'), join(ok, 'link.bin'));
      await expect(importModel(ok)).resolves.toBeDefined();
      // TF.js's browser downloads name weights './model.weights.bin': that stays inside, so it loads.
      await expect(importModel(modelDir(setTfjsPath('./weights.bin'), tfjsWeights))).resolves.toBeDefined();
    });

    it('a symlinked directory on the way out, and model.json itself linked out', async () => {
      const dir = modelDir(setTfjsPath('escape/weights.bin'), null);
      const elsewhere = join(root, `elsewhere${counter++}`);
      mkdirSync(elsewhere);
      writeFileSync(join(elsewhere, 'weights.bin'), tfjsWeights);
      symlinkSync(elsewhere, join(dir, 'escape'));
      await refused(dir, /outside the model directory/);
      const linked = join(root, `linked${counter++}`);
      mkdirSync(linked);
      const secret = join(root, `secret${counter++}.txt`);
      writeFileSync(secret, '-----BEGIN PRIVATE KEY-----');
      symlinkSync(secret, join(linked, 'model.json'));
      const error = await importModel(linked).catch((e: Error) => e);
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message).toMatch(/outside the model directory/);
      expect((error as Error).message).not.toMatch(/PRIVATE/);
    });

    it('a FIFO or a directory where a weights file should be: refused, not waited on', async () => {
      const dir = modelDir(nativeJson, null);
      mkdirSync(join(dir, 'weights.bin'));
      await refused(dir, /not a regular file|is a directory/);
      const fifoDir = modelDir(nativeJson, null);
      try {
        execFileSync('mkfifo', [join(fifoDir, 'weights.bin')]);
      } catch {
        return; // no mkfifo on this platform
      }
      await refused(fifoDir, /not a regular file/);
    });
  });

  describe('shapes', () => {
    const withShape = (shape: unknown, base = tfjsJson): Record<string, any> => {
      const json = clone(base);
      json.weightsManifest[0].weights[0].shape = shape;
      return json;
    };
    it('negative, fractional, non-numeric', async () => {
      await refused(modelDir(withShape([-3, 4]), tfjsWeights), /shape\[0\] must be an integer in \[0, 2147483647\], got -3/);
      await refused(modelDir(withShape([1.5, 4]), tfjsWeights), /must be an integer/);
      await refused(modelDir(withShape(['3', 4]), tfjsWeights), /must be an integer/);
      await refused(modelDir(withShape('3x4'), tfjsWeights), /must be an array/);
    });
    it('huge, and overflowing products: refused before any allocation', async () => {
      await refused(modelDir(withShape([2 ** 40, 4]), tfjsWeights), /must be an integer in \[0, 2147483647\]/);
      await refused(modelDir(withShape([2 ** 20, 2 ** 20, 2 ** 20]), tfjsWeights), /more than 2147483647 elements/);
      await refused(modelDir(withShape([65536, 32768]), tfjsWeights), /more than 2147483647 elements/);
      // Plausible size, but more than the weights file holds: the size check refuses it, nothing is allocated.
      const json = withShape([3, 100_000_000]);
      const started = Date.now();
      await refused(modelDir(json, tfjsWeights), /holds 104 bytes but the manifest declares 1200000056/);
      expect(Date.now() - started).toBeLessThan(2000);
    });
    it('a shape that disagrees with the layer', async () => {
      const json = clone(nativeJson);
      json.weightsManifest.weights[0].shape = [4, 3];
      await refused(modelDir(json, nativeWeights), /'0\.kernel' has shape \[4, 3\]; layer 0 is Dense\(4\), which needs \[D, 4\]/);
    });
  });

  describe('weight files of the wrong size', () => {
    it('shorter than the manifest', async () => {
      await refused(modelDir(nativeJson, nativeWeights.subarray(0, nativeWeights.length - 4)), /truncated/);
      await refused(modelDir(tfjsJson, tfjsWeights.subarray(0, 10)), /truncated/);
      await refused(modelDir(tfjsJson, new Uint8Array(0)), /truncated/);
    });
    it('longer than the manifest', async () => {
      await refused(modelDir(nativeJson, Buffer.concat([nativeWeights, Buffer.alloc(4)])), /longer than declared/);
    });
    it('missing', async () => {
      await refused(modelDir(nativeJson, null), /weight file 'weights\.bin' cannot be opened \(no such file or directory\)/);
    });
  });

  it('NaN and Inf weights: refused by default, loaded with allowNonFinite (documented choice)', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const weights = Buffer.from(tfjsWeights);
      weights.writeFloatLE(bad, 8);
      const dir = modelDir(tfjsJson, weights);
      await refused(dir, new RegExp(`holds ${bad} at index 2`));
      const { model } = await importModel(dir, { allowNonFinite: true });
      expect(Object.is(model.parameters()[0]!.data[2], bad)).toBe(true);
    }
  });

  it('unknown layer classes, activations and dtypes', async () => {
    const layer = clone(tfjsJson);
    layer.modelTopology.config.layers[1].class_name = 'Conv2D';
    await refused(modelDir(layer, tfjsWeights), /layers gradiente cannot import: Conv2D 'dense_2'/);
    const native = clone(nativeJson);
    native.layers[0].class = 'Attention';
    await refused(modelDir(native, nativeWeights), /layers\[0\]\.class is 'Attention', a layer gradiente does not have/);
    const activation = clone(tfjsJson);
    activation.modelTopology.config.layers[0].config.activation = 'hard_sigmoid';
    await refused(modelDir(activation, tfjsWeights), /'hard_sigmoid' \(in layer dense_1\)/);
    for (const dtype of ['int32', 'float16', 'string', 'complex64']) {
      const json = clone(tfjsJson);
      json.weightsManifest[0].weights[0].dtype = dtype;
      await refused(modelDir(json, tfjsWeights), /only float32 weights are supported/);
    }
    const quantized = clone(tfjsJson);
    quantized.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 0.1, min: 0 };
    await refused(modelDir(quantized, tfjsWeights), /quantized weights are not supported/);
    const functional = clone(tfjsJson);
    functional.modelTopology.class_name = 'Model';
    await refused(modelDir(functional, tfjsWeights), /only Sequential models can be imported/);
  });

  it('truncated or corrupted JSON', async () => {
    const text = JSON.stringify(nativeJson);
    for (const cut of [0, 1, Math.floor(text.length / 2), text.length - 1]) {
      await refused(modelDir(text.slice(0, cut), nativeWeights), /is not valid JSON.*truncated/);
    }
    await refused(modelDir(Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), nativeWeights), /not UTF-8/);
    await refused(modelDir('[1, 2, 3]', nativeWeights), /not a model file gradiente knows/);
  });

  it('a multi-gigabyte model.json is refused unread (a sparse file: nothing is written to disk)', async () => {
    const dir = join(root, `huge${counter++}`);
    mkdirSync(dir);
    const file = join(dir, 'model.json');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 5 * 1024 ** 3);
    closeSync(fd);
    expect(statSync(file).size).toBe(5 * 1024 ** 3);
    const started = Date.now();
    await refused(dir, /is 5368709120 bytes, more than the 16777216-byte limit/);
    await expect(loadModel(dir)).rejects.toThrow(/more than the 16777216-byte limit/);
    expect(Date.now() - started).toBeLessThan(2000);
    // The limit is the caller's to set.
    await refused(modelDir(nativeJson, nativeWeights), /more than the 100-byte limit/, { maxJsonBytes: 100 });
  });

  it('a failed load damages nothing', async () => {
    const dir = modelDir(nativeJson, Buffer.concat([nativeWeights, Buffer.alloc(8)]));
    const before = readFileSync(join(dir, 'weights.bin'));
    await refused(dir, /longer than declared/);
    expect(readFileSync(join(dir, 'weights.bin')).equals(before)).toBe(true);
  });
});
