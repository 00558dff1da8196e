/** Writing run outputs so that a crash never leaves a half-written file behind. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../node/atomic-file.js';

export { writeFileAtomic };

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 1)}\n`);
}

export async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** True when `dir` is missing or holds nothing. */
export async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/** `dir`, or dir-2, dir-3, ... when it already holds files (two runs started in the same second). */
export async function freeDirectory(dir: string): Promise<string> {
  for (let k = 1; ; k++) {
    const candidate = k === 1 ? dir : `${dir}-${k}`;
    if (await isEmptyOrMissing(candidate)) return candidate;
  }
}

/** runs/2025-01-31T10-22-05 (local time, sortable, safe in every file system). */
export function timestampedRunDir(base = 'runs', now = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())}`;
  return path.join(base, stamp);
}
