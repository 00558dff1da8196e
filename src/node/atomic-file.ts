/** Writing files so that a crash never leaves a half-written one behind (Node only). */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { beforeFileWrite } from './test-hooks.js';

/**
 * Write `data` to `file` atomically: a temporary file in the same directory, flushed to
 * disk, then renamed over the target (atomic on POSIX and NTFS). Readers see the old
 * content or the new one, never a mix; on failure the temporary file is removed.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  beforeFileWrite(file);
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** Make a rename durable: flush the directory entry too (best effort: Windows cannot open a directory). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // The rename itself is still atomic where a directory cannot be flushed.
  } finally {
    await handle?.close();
  }
}
