/**
 * Inputs that try to run the machine out: every file we read costs memory and time in
 * proportion to what it really holds, never to what it claims or repeats.
 *   - uploaded model files (modelFromFiles): sizes are checked against the manifest before a
 *     byte is read; a manifest naming one file 3,000 times reads nothing;
 *   - model loading is linear in the size of model.json: the time bound is a ratio between
 *     two sizes of the same worst case (no absolute timeouts);
 *   - data files: only regular files (a FIFO or a device is refused unread), gzip decompressed
 *     against a cap from the IDX header, so a 3 MB bomb stops with a clear error and little memory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../cli/cli-harness.js';
import { DataFormatError, Dense, ModelFormatError, Sequential, loadCsv, loadModel, manualSeed, modelFromFiles, modelToFiles, readIdx } from '../../src/node.js';
import { readWeightFiles } from '../../src/node/model-dir.js';

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

/** The fastest of a few loads: the least disturbed by other work on the machine. */
async function fastestLoadMs(dir: string): Promise<number> {
  let best = Infinity;
  for (let k = 0; k < 5; k++) {
    const start = performance.now();
    await loadModel(dir);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

describe('model loading is linear in the size of the file', () => {
  it.each([
    ['Activation', 5_000, 20_000],
    ['Dense', 2_500, 10_000],
  ] as const)('%s layers: 4 times the layers take well under 16 times as long (quadratic would)', async (kind, small, large) => {
    const smallDir = layeredModel(small, kind);
    const largeDir = layeredModel(large, kind);
    const model = await loadModel(largeDir);
    expect(model.layers.length).toBe(large + 1);
    await fastestLoadMs(smallDir); // warm up the JIT on the same code path
    const ratio = (await fastestLoadMs(largeDir)) / (await fastestLoadMs(smallDir));
    // Linear: about 4 (5 with the garbage collector). Quadratic (the old add()-per-layer rebuild): 16 and more.
    expect(ratio, `loading ${large} layers took ${ratio.toFixed(1)} times as long as ${small}`).toBeLessThan(11);
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

  async function fastestImportMs(upload: File[]): Promise<number> {
    let best = Infinity;
    for (let k = 0; k < 5; k++) {
      const start = performance.now();
      await modelFromFiles(upload);
      best = Math.min(best, performance.now() - start);
    }
    return best;
  }

  it('finding each layer\'s weights stays linear: 4 times the layers take well under 16 times as long', async () => {
    const small = await scopedUpload(2_000);
    const large = await scopedUpload(8_000);
    expect((await modelFromFiles(large)).model.layers.length).toBe(8_000);
    await fastestImportMs(small);
    const ratio = (await fastestImportMs(large)) / (await fastestImportMs(small));
    // Linear: about 4. A scan of every weight per layer: 16 and more.
    expect(ratio, `importing 8,000 layers took ${ratio.toFixed(1)} times as long as 2,000`).toBeLessThan(11);
  }, 120_000);
});

/** An IDX header: ubyte values with these dimensions. */
function idxHeader(dims: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header.set([0, 0, 0x08, dims.length]);
  const view = new DataView(header.buffer);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  return header;
}

/**
 * A gzip file of about 3 MB that decompresses to about 3 GB: an IDX header for 1,000 28×28
 * images, then zeros. Built from one member of 64 MiB of zeros repeated (gzip allows
 * concatenated members), so the test does not compress gigabytes itself.
 */
function gzipBomb(): Uint8Array {
  const head = gzipSync(idxHeader([1000, 28, 28]));
  const zeros = gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
  const members = Math.ceil((3 * 1024 * 1024) / zeros.length);
  const out = new Uint8Array(head.length + members * zeros.length);
  out.set(head, 0);
  for (let k = 0; k < members; k++) out.set(zeros, head.length + k * zeros.length);
  return out;
}

describe('data files', () => {
  it('a gzip bomb stops at the size its IDX header declares, with a clear error and under 100 MB more memory', () => {
    const bomb = join(root, 'bomb-idx3-ubyte.gz');
    const data = gzipBomb();
    expect(data.length).toBeGreaterThan(2.5e6);
    expect(data.length).toBeLessThan(4e6);
    writeFileSync(bomb, data);
    expect(() => readIdx(bomb)).toThrow(new RegExp(`${bomb}: decompresses to more than the 784016 bytes its header declares \\(dimensions \\[1000, 28, 28\\]\\); decompression stopped there`));
    // Peak memory in a fresh process, against the same process reading a normal small file.
    const normal = join(root, 'normal-idx3-ubyte.gz');
    writeFileSync(normal, gzipSync(new Uint8Array([...idxHeader([1000, 28, 28]), ...new Uint8Array(784000)])));
    const library = pathToFileURL(join(buildOnce(), 'src', 'node.js')).href;
    const script = (file: string): string =>
      `const { readIdx } = await import(${JSON.stringify(library)}); ` +
      `try { readIdx(${JSON.stringify(file)}); } catch {} console.log(process.resourceUsage().maxRSS);`;
    const peakKb = (file: string): number => {
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script(file)], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      return Number(result.stdout.trim());
    };
    const extraMb = (peakKb(bomb) - peakKb(normal)) / 1024;
    expect(extraMb).toBeLessThan(100);
  }, 60_000);

  it('a header that declares more than a data file may hold is refused before decompressing', () => {
    const file = join(root, 'huge-idx3-ubyte.gz');
    writeFileSync(file, gzipSync(idxHeader([60000, 100000, 1000])));
    expect(() => readIdx(file)).toThrow(/its header declares dimensions \[60000, 100000, 1000\], 6000000000016 bytes once decompressed, more than the 1073741824 a data file may have/);
  });

  it('a FIFO or a device is refused unread, as a file the user named or one a saved run recorded', () => {
    const fifo = join(root, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    // Nothing ever writes to the FIFO: reading it would block forever; it is refused at once.
    expect(() => loadCsv(fifo, { target: 'y' })).toThrow(DataFormatError);
    expect(() => loadCsv(fifo, { target: 'y' })).toThrow(`${fifo}: cannot read it (not a regular file but a pipe, device or socket; only regular files are read)`);
    expect(() => readIdx('/dev/zero')).toThrow('/dev/zero: cannot read it (not a regular file but a pipe, device or socket; only regular files are read)');
    expect(() => loadCsv(root, { target: 'y' })).toThrow(`${root}: cannot read it (is a directory, not a file)`);
  });
});

describe('weights path check under a race', () => {
  it('a folder swapped for a symbolic link between the path check and the open reads nothing outside', async () => {
    // model/ holds model.json naming 'w/weights.bin'. Right after the loader has checked that
    // path, w/ is swapped for a symbolic link to outside/, whose weights.bin has the same size.
    manualSeed(5);
    const base = join(root, 'race');
    const dir = join(base, 'model');
    const outside = join(base, 'outside');
    mkdirSync(join(dir, 'w'), { recursive: true });
    mkdirSync(outside);
    const weights = new Uint8Array(24).fill(1);
    writeFileSync(join(dir, 'w', 'weights.bin'), weights);
    writeFileSync(join(outside, 'weights.bin'), new Uint8Array(24).fill(0x3f));
    const swap = async (): Promise<void> => {
      renameSync(join(dir, 'w'), join(dir, 'w.real'));
      symlinkSync(outside, join(dir, 'w'));
    };
    await expect(readWeightFiles(dir, ['w/weights.bin'], 24, join(dir, 'model.json'), { beforeOpen: swap })).rejects.toThrow(
      new RegExp(`weight file 'w/weights.bin' turned out to be ${outside}/weights.bin, outside the model directory, once opened`),
    );
    // Put back, the same call reads the file inside.
    rmSync(join(dir, 'w'));
    renameSync(join(dir, 'w.real'), join(dir, 'w'));
    expect(await readWeightFiles(dir, ['w/weights.bin'], 24, join(dir, 'model.json'))).toEqual(weights);
  });
});
