/**
 * A model directory on disk: `model.json` + the weight files it names. Node-only.
 *
 * Reading treats the directory as hostile: model.json is read with a size limit, every
 * weight path must stay inside the directory (no `..`, no absolute path, no symlink out),
 * and file sizes are checked against the manifest before a single weight byte is read.
 *
 * Writing is atomic: model.json is the commit point. New weights go to a fresh file that
 * nothing references, then model.json is replaced by rename (atomic on POSIX and NTFS), so
 * at every instant the directory holds either the complete old model or the complete new
 * one; a crash or a failed save never leaves a half-written or mixed model.
 */
import { syncDirectory } from './atomic-file.js';
import { beforeFileWrite } from './test-hooks.js';
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ModelFormatError } from '../errors.js';

export const MODEL_JSON = 'model.json';
/** model.json holds topology and manifest, never weights: 16 MiB is far above any real one. */
export const DEFAULT_MAX_JSON_BYTES = 16 * 1024 * 1024;

/**
 * Where the model is: a directory holding model.json, or the path of the model.json itself.
 * model.json must resolve (through symlinks) to a file inside that directory, like every
 * weight file: a planted symlink must not make us read, and echo in an error, a file elsewhere.
 */
export async function locateModelJson(location: string): Promise<{ dir: string; jsonPath: string }> {
  let stat;
  try {
    stat = await fs.stat(location);
  } catch (error) {
    throw new ModelFormatError(`${location}: cannot open the model (${describeFsError(error)})`);
  }
  const dir = stat.isDirectory() ? location : path.dirname(location);
  const jsonPath = stat.isDirectory() ? path.join(location, MODEL_JSON) : location;
  let realDir: string;
  let realJson: string;
  try {
    [realDir, realJson] = await Promise.all([fs.realpath(dir), fs.realpath(jsonPath)]);
  } catch (error) {
    throw new ModelFormatError(`${jsonPath}: cannot read it (${describeFsError(error)})`);
  }
  if (!realJson.startsWith(realDir + path.sep)) {
    throw new ModelFormatError(`${jsonPath} is a symbolic link to ${realJson}, outside the model directory; refusing to read it`);
  }
  return { dir, jsonPath };
}

/**
 * Where an open file really is, from the kernel (Linux: /proc/self/fd/N), or null where the
 * system cannot say. Checking this after open() closes the race of checking a path first and
 * opening it later: a folder swapped for a symbolic link in between is caught.
 */
async function openedPath(handle: fs.FileHandle): Promise<string | null> {
  try {
    return await fs.readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return null;
  }
}

/** Refuse an opened file that is not inside `realDir` (resolved before opening). */
async function checkOpenedInside(handle: fs.FileHandle, realDir: string, describe: () => string): Promise<void> {
  const where = await openedPath(handle);
  if (where !== null && !where.startsWith(realDir + path.sep)) {
    throw new ModelFormatError(`${describe()} turned out to be ${where}, outside the model directory, once opened (the folder changed while the model was loading); refusing to read it`);
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory, not a file';
    case 'ELOOP': return 'a symbolic link where none is allowed';
    default: return (error as Error).message;
  }
}

/**
 * The text of model.json, refused unread when larger than maxBytes. With `insideDir`, the
 * opened file must lie inside that directory (checked on the open file, not on its path).
 */
export async function readModelJsonText(jsonPath: string, maxBytes = DEFAULT_MAX_JSON_BYTES, insideDir?: string): Promise<string> {
  let realDir: string | undefined;
  try {
    if (insideDir !== undefined) realDir = await fs.realpath(insideDir);
  } catch (error) {
    throw new ModelFormatError(`${insideDir}: cannot open the model directory (${describeFsError(error)})`);
  }
  let handle;
  try {
    // Non-blocking: a FIFO planted as model.json must not hang the loader (it is refused below as not a file).
    handle = await fs.open(jsonPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new ModelFormatError(`${jsonPath}: cannot read it (${describeFsError(error)})`);
  }
  try {
    if (realDir !== undefined) await checkOpenedInside(handle, realDir, () => jsonPath);
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ModelFormatError(`${jsonPath} is not a regular file`);
    if (stat.size > maxBytes) {
      throw new ModelFormatError(
        `${jsonPath} is ${stat.size} bytes, more than the ${maxBytes}-byte limit for a model.json (which holds no weights); ` +
          'it is not a model file, or pass a larger maxJsonBytes if you trust it',
      );
    }
    // Read at most maxBytes + 1, even if the file grew after stat: the limit holds regardless.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) break;
    }
    if (filled > maxBytes) throw new ModelFormatError(`${jsonPath} grew past the ${maxBytes}-byte limit while being read`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, filled));
    } catch {
      throw new ModelFormatError(`${jsonPath} is not UTF-8 text; it is not a model.json`);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Check a weight path from a manifest and return the absolute path inside `dir`. Refuses
 * absolute paths, drive letters, backslashes, URLs, `..` segments and empty names.
 */
export function weightPathInside(dir: string, relative: string, jsonPath: string): string {
  const refuse = (why: string): never => {
    throw new ModelFormatError(`${jsonPath}: weight path ${JSON.stringify(relative)} ${why}; weight files must sit inside the model directory`);
  };
  if (relative.length === 0 || relative.length > 255) refuse('is empty or too long');
  if (relative.includes('\0')) refuse('contains a NUL character');
  if (relative.includes('\\')) refuse('contains a backslash');
  if (path.posix.isAbsolute(relative) || path.win32.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative)) refuse('is absolute');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(relative)) refuse('is a URL');
  // TF.js's browser downloads write './model.weights.bin': '.' segments stay where they are, so they pass.
  const segments = relative.split('/').filter((s) => s !== '.');
  if (segments.length === 0 || segments.some((s) => s === '..' || s === '')) refuse('has an empty or ".." segment');
  return path.join(dir, ...segments);
}

/**
 * Read the weight files (in order, concatenated) after checking that each one resolves,
 * through any symlinks, to a regular file inside `dir`, and that together they hold
 * exactly `expectedBytes`. Nothing is allocated before the sizes agree.
 */
export async function readWeightFiles(
  dir: string,
  relativePaths: readonly string[],
  expectedBytes: number,
  jsonPath: string,
  /** Tests only: runs between checking a weight file's path and opening it (where a race would strike). */
  seam: { beforeOpen?: (resolved: string) => Promise<void> } = {},
): Promise<Uint8Array> {
  let realDir: string;
  try {
    realDir = await fs.realpath(dir);
  } catch (error) {
    throw new ModelFormatError(`${dir}: cannot open the model directory (${describeFsError(error)})`);
  }
  const handles: { handle: fs.FileHandle; size: number; rel: string }[] = [];
  try {
    for (const rel of relativePaths) {
      const full = weightPathInside(dir, rel, jsonPath);
      let real: string;
      try {
        real = await fs.realpath(full);
      } catch (error) {
        throw new ModelFormatError(`${jsonPath}: weight file '${rel}' cannot be opened (${describeFsError(error)})`);
      }
      if (!real.startsWith(realDir + path.sep)) {
        throw new ModelFormatError(`${jsonPath}: weight file '${rel}' resolves to ${real}, outside the model directory (a symbolic link out of it); refusing to read it`);
      }
      await seam.beforeOpen?.(real);
      // Open the resolved path without following links, then make sure it is the file we checked.
      const handle = await fs.open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch((error: unknown) => {
        throw new ModelFormatError(`${jsonPath}: weight file '${rel}' cannot be opened (${describeFsError(error)})`);
      });
      handles.push({ handle, size: 0, rel });
      await checkOpenedInside(handle, realDir, () => `${jsonPath}: weight file '${rel}'`);
      const [opened, checked] = await Promise.all([handle.stat(), fs.stat(real).catch(() => null)]);
      if (!opened.isFile()) throw new ModelFormatError(`${jsonPath}: weight file '${rel}' is not a regular file`);
      if (checked === null || opened.ino !== checked.ino || opened.dev !== checked.dev) throw new ModelFormatError(`${jsonPath}: weight file '${rel}' changed while it was being opened`);
      handles[handles.length - 1]!.size = opened.size;
    }
    const total = handles.reduce((n, h) => n + h.size, 0);
    if (total !== expectedBytes) {
      const names = relativePaths.join(', ');
      throw new ModelFormatError(
        `${jsonPath}: the weight file${relativePaths.length > 1 ? 's' : ''} (${names}) hold${relativePaths.length > 1 ? '' : 's'} ${total} bytes but the manifest declares ${expectedBytes}; ` +
          `the weights are ${total < expectedBytes ? 'truncated' : 'longer than declared'} or belong to another model`,
      );
    }
    const out = new Uint8Array(expectedBytes);
    let offset = 0;
    for (const { handle, size, rel } of handles) {
      let done = 0;
      while (done < size) {
        const { bytesRead } = await handle.read(out, offset + done, size - done, done);
        if (bytesRead === 0) throw new ModelFormatError(`${jsonPath}: weight file '${rel}' shrank while being read`);
        done += bytesRead;
      }
      offset += size;
    }
    return out;
  } finally {
    await Promise.all(handles.map((h) => h.handle.close()));
  }
}

/** The file operations a save uses: an interface so tests can make any one of them fail. */
export interface ModelDirIo {
  /** Create `file` with `data` and flush it to disk (it must not exist). */
  writeDurably(file: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Make `to` a second name for `from` (a hard link, or a durable copy where links are not supported). */
  linkOrCopy(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  /** Flush the directory itself, so renames survive a power cut. */
  syncDir(dir: string): Promise<void>;
}

export const nodeModelDirIo: ModelDirIo = {
  async writeDurably(file, data) {
    beforeFileWrite(file);
    const handle = await fs.open(file, 'wx');
    try {
      let done = 0;
      while (done < data.byteLength) done += (await handle.write(data, done, data.byteLength - done)).bytesWritten;
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fs.rename(from, to),
  async linkOrCopy(from, to) {
    try {
      await fs.link(from, to);
    } catch {
      await fs.copyFile(from, to, constants.COPYFILE_EXCL);
      const handle = await fs.open(to, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  },
  unlink: (file) => fs.unlink(file),
  syncDir: syncDirectory,
};

/**
 * Names of files this module creates for a moment during a save (staged weights, temporary
 * copies). Only these are ever removed; one save per directory at a time is assumed.
 */
const LEFTOVER = /^(weights\.[0-9a-f]{16}\.bin|model\.json\.[0-9a-f]{16}\.[12]\.tmp|.+\.bin\.[0-9a-f]{16}\.tmp)$/;

async function quietly(operation: () => Promise<void>): Promise<void> {
  try {
    await operation();
  } catch {
    // best effort: a file that cannot be removed is left behind, the model is fine
  }
}

/**
 * Write `model.json` (made by `render(weightsFileName)`) and its single weights file into
 * `dir`, atomically, ending with the weights named `weightsName` (e.g. weights.bin).
 *
 * Steps, each leaving a complete model behind:
 *   1. write the weights to weights.<id>.bin (no model.json references it yet)
 *   2. replace model.json with one that references weights.<id>.bin      (commit: new model)
 *   3. give that file its final name as well: link → weights.bin.<id>.tmp → rename to weights.bin
 *   4. replace model.json with one that references weights.bin          (same model, final names)
 *   5. remove weights.<id>.bin and the leftovers of any earlier save that crashed
 */
export async function writeModelDir(
  dir: string,
  render: (weightsFileName: string) => string,
  weights: Uint8Array,
  options: { weightsName?: string; io?: ModelDirIo } = {},
): Promise<{ jsonPath: string; weightsPath: string }> {
  const io = options.io ?? nodeModelDirIo;
  const weightsName = options.weightsName ?? 'weights.bin';
  await fs.mkdir(dir, { recursive: true });
  const id = randomBytes(8).toString('hex');
  const jsonPath = path.join(dir, MODEL_JSON);
  const staged = `weights.${id}.bin`;
  const stagedPath = path.join(dir, staged);
  const finalPath = path.join(dir, weightsName);
  const temporaries: string[] = [];
  // Set the moment model.json references the staged weights: from then on they must stay.
  let committed = false;
  const writeJson = async (weightsFile: string): Promise<void> => {
    const tmp = path.join(dir, `${MODEL_JSON}.${id}.${weightsFile === staged ? 1 : 2}.tmp`);
    temporaries.push(tmp);
    await io.writeDurably(tmp, new TextEncoder().encode(render(weightsFile)));
    await io.rename(tmp, jsonPath);
    committed = true;
    await io.syncDir(dir);
  };
  try {
    await io.writeDurably(stagedPath, weights);
    await writeJson(staged);
    const tmpWeights = path.join(dir, `${weightsName}.${id}.tmp`);
    temporaries.push(tmpWeights);
    await io.linkOrCopy(stagedPath, tmpWeights);
    await io.rename(tmpWeights, finalPath);
    await io.syncDir(dir);
    await writeJson(weightsName);
  } catch (error) {
    // Remove what this save created and nothing references; model.json is intact either way.
    for (const file of temporaries) await quietly(() => io.unlink(file));
    if (!committed) await quietly(() => io.unlink(stagedPath));
    throw error;
  }
  // Committed. Leftovers of this save, or of an earlier one that crashed, go now (best effort).
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (name !== weightsName && LEFTOVER.test(name)) await quietly(() => io.unlink(path.join(dir, name)));
  }
  return { jsonPath, weightsPath: finalPath };
}
