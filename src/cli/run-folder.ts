/**
 * The run folder of `gradiente train` as a whole: claiming a fresh one, telling a gradiente
 * run from any other folder, and run.json, the record that the final outputs (model/,
 * history.json, metrics.json, report.html) are all in place.
 *
 * The outputs are written one by one, each atomically; run.json is removed before the first
 * and written after the last, so it exists only when the set is complete and consistent. A
 * run whose training ended but has no run.json had its final writes cut short: --resume
 * writes them again from the last checkpoint.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CHECKPOINT_DIR } from './checkpoint.js';
import { readJson, writeJsonAtomic } from './files.js';
import { LOCK_FILE } from './run-lock.js';

export const RUN_RECORD = 'run.json';
const FORMAT = 'gradiente-run';

export interface RunRecord {
  format: typeof FORMAT;
  version: 1;
  /** 'completed': training ended (all epochs, early stopping, divergence); 'interrupted': stopped by a signal, resumable. */
  status: 'completed' | 'interrupted';
  /** Complete epochs behind these outputs (the checkpoint they match). */
  epochsDone: number;
  files: string[];
  weightsChecksum: string;
}

/** Folder entries that do not make a folder "hold files": our lock and its leftovers. */
function isLockEntry(name: string): boolean {
  return name === LOCK_FILE || name.startsWith(`${LOCK_FILE}.`);
}

export type FolderKind = 'missing' | 'empty' | 'run' | 'other';

/** What `dir` is: missing, empty (but for a lock), a gradiente run folder, or something else. */
export async function folderKind(dir: string): Promise<FolderKind> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  const names = entries.filter((e) => !isLockEntry(e));
  if (names.length === 0) return 'empty';
  // config.json is the first file a run writes; the checkpoint folder or run.json follow it.
  return names.includes('config.json') && (names.includes(CHECKPOINT_DIR) || names.includes(RUN_RECORD) || entries.includes(LOCK_FILE)) ? 'run' : 'other';
}

/**
 * mkdir -p without `recursive: true`, which in Node 20 spins forever on a path it cannot
 * create such as /proc/x: the missing folders are made one by one, so any failure (ENOENT
 * under /proc, ENOTDIR under a file, EACCES, EROFS) comes back at once.
 */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    try {
      const stat = await fs.stat(current);
      if (stat.isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), { code: 'ENOTDIR', path: current });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(current);
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const folder of missing.reverse()) {
    try {
      await fs.mkdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // made by another run meanwhile: fine
    }
  }
}

/**
 * Create a fresh folder `dir`, or dir-2, dir-3, ... when that one exists: mkdir either
 * creates the folder or fails, so two runs started in the same second never share one.
 */
export async function claimNewFolder(dir: string): Promise<string> {
  await makeFolder(path.dirname(dir));
  for (let k = 1; k < 10_000; k++) {
    const candidate = k === 1 ? dir : `${dir}-${k}`;
    try {
      await fs.mkdir(candidate);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`${dir}: 10,000 run folders of that name already exist; pass --out`);
}

/** The run record of `dir`, or null when missing or unreadable (the outputs are then not known to be complete). */
export async function readRunRecord(dir: string): Promise<RunRecord | null> {
  try {
    const record = (await readJson(path.join(dir, RUN_RECORD))) as Partial<RunRecord>;
    if (record.format !== FORMAT || record.version !== 1 || typeof record.epochsDone !== 'number') return null;
    return record as RunRecord;
  } catch {
    return null;
  }
}

/** Before the first final output is written: from now on the set is incomplete until writeRunRecord. */
export async function clearRunRecord(dir: string): Promise<void> {
  await fs.rm(path.join(dir, RUN_RECORD), { force: true });
}

export async function writeRunRecord(dir: string, record: Omit<RunRecord, 'format' | 'version'>): Promise<void> {
  await writeJsonAtomic(path.join(dir, RUN_RECORD), { format: FORMAT, version: 1, ...record });
}
