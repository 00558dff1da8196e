/**
 * One process per run folder. `gradiente train` (new run or --resume) holds RUN/.lock while it
 * works there: a JSON file {pid, host, started} created exclusively, so a second process
 * trying the same folder is refused with a line naming the first one. A lock whose process
 * is gone (killed with -9, machine rebooted) is stale: it is replaced, with a warning.
 */
import { hostname } from 'node:os';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CliError } from './errors.js';

export const LOCK_FILE = '.lock';

interface LockContent {
  pid: number;
  host: string;
  started: string;
}

export interface RunLock {
  readonly file: string;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else: it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(file: string): Promise<LockContent | null> {
  try {
    const value = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LockContent>;
    if (typeof value.pid === 'number' && Number.isInteger(value.pid) && value.pid > 0 && typeof value.host === 'string') {
      return { pid: value.pid, host: value.host, started: String(value.started ?? '') };
    }
  } catch {
    // Unreadable or half-written (a crash between create and write): treated as stale below.
  }
  return null;
}

/** Create `file` holding `content`, failing with EEXIST if it is there: write a temporary, then link it. */
async function createExclusive(file: string, content: string): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(temp, content, { flag: 'wx' });
  try {
    await fs.link(temp, file); // atomic, and fails if `file` exists: the lock appears complete or not at all
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/**
 * Take the lock of run folder `dir` (which must exist), or throw a CliError naming the process
 * that holds it. `warn` hears about a stale lock that was replaced.
 */
export async function acquireRunLock(dir: string, warn: (message: string) => void): Promise<RunLock> {
  const file = path.join(dir, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await createExclusive(file, `${JSON.stringify(mine)}\n`);
      return { file, release: () => releaseLock(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const other = await readLock(file);
    if (other !== null && other.pid === process.pid && other.host === mine.host) {
      throw new CliError(`${dir} is already in use by this very process`);
    }
    if (other !== null && other.host !== mine.host) {
      throw new CliError(
        `${dir} is in use by process ${other.pid} on ${other.host} (since ${other.started}); wait for it to finish, ` +
          `or, if that process is gone, delete ${file} and try again`,
      );
    }
    if (other !== null && alive(other.pid)) {
      throw new CliError(`${dir} is in use by process ${other.pid} (gradiente train, since ${other.started}); wait for it to finish or stop it, then try again`);
    }
    // Stale: move it aside under a unique name (only one process can), then check what was moved.
    const aside = `${file}.${randomBytes(6).toString('hex')}.stale`;
    try {
      await fs.rename(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else moved it: try again
      throw error;
    }
    const moved = await readLock(aside);
    if (moved !== null && moved.pid !== other?.pid && alive(moved.pid)) {
      // Another process replaced the stale lock between our read and our rename: give it back.
      await fs.link(aside, file).catch(() => undefined);
      await fs.rm(aside, { force: true });
      throw new CliError(`${dir} is in use by process ${moved.pid} (gradiente train, since ${moved.started}); wait for it to finish or stop it, then try again`);
    }
    await fs.rm(aside, { force: true });
    warn(other === null ? `${file} was unreadable (left by a process that stopped while taking it); replacing it` : `${file} was left by process ${other.pid}, which is no longer running; taking over the run folder`);
  }
  throw new CliError(`${dir}: could not take its lock ${file} (other processes keep replacing it); try again`);
}

async function releaseLock(file: string): Promise<void> {
  const content = await readLock(file);
  // Only our own lock is removed: never one a later process took after ours was judged stale.
  if (content !== null && content.pid === process.pid) await fs.rm(file, { force: true });
}

/** The process holding `dir`'s lock when it is alive, else null (no lock, or a stale one). */
export async function lockHolder(dir: string): Promise<number | null> {
  const content = await readLock(path.join(dir, LOCK_FILE));
  return content !== null && content.host === hostname() && alive(content.pid) ? content.pid : null;
}
