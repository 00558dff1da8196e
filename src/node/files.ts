/** Reading a data file, with errors that say which file and what to do. Node-only. */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { DataFormatError } from '../errors.js';

/**
 * The most bytes a data file may have: tables and IDX files are read whole into memory, and
 * a table's text takes several times its size once parsed. Far above any course data set
 * (Fashion-MNIST's images are 47 MB).
 */
export const MAX_DATA_FILE_BYTES = 1024 * 1024 * 1024;

function why(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
}

/**
 * Open `path` for reading after the checks every data file gets: a regular file (a FIFO, a
 * device such as /dev/zero or /dev/stdin, or a socket would block or never end: refused
 * before a byte is read) of at most `maxBytes`. Readers that stream a file (large tables)
 * call this first, or checkDataFile, so they refuse exactly what readDataFile refuses.
 */
export function openDataFile(path: string, hint = '', maxBytes = MAX_DATA_FILE_BYTES): { fd: number; size: number } {
  const fail = (reason: string): never => {
    throw new DataFormatError(`${path}: cannot read it (${reason})${hint ? `; ${hint}` : ''}`);
  };
  let fd: number;
  try {
    // Non-blocking: opening a FIFO must not wait for a writer (it is refused below).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return fail(why(error));
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) fail('is a directory, not a file');
    if (!stat.isFile()) fail('not a regular file but a pipe, device or socket; only regular files are read');
    if (stat.size > maxBytes) fail(`it is ${stat.size} bytes, more than the ${maxBytes} a data file may have; use a smaller file`);
    return { fd, size: stat.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** The checks of openDataFile without keeping the file open: its size in bytes. */
export function checkDataFile(path: string, hint = '', maxBytes = MAX_DATA_FILE_BYTES): number {
  const { fd, size } = openDataFile(path, hint, maxBytes);
  closeSync(fd);
  return size;
}

/**
 * The bytes of `path`; a missing or unreadable file is a DataFormatError naming the path.
 * Only regular files are read: a FIFO, a device (/dev/zero, /dev/stdin) or a socket would
 * block or never end, so it is refused before a byte is read, as is a file over `maxBytes`.
 * Paths a saved run recorded go through here exactly like the ones a user types.
 */
export function readDataFile(path: string, hint = '', maxBytes = MAX_DATA_FILE_BYTES): Buffer {
  const fail = (reason: string): never => {
    throw new DataFormatError(`${path}: cannot read it (${reason})${hint ? `; ${hint}` : ''}`);
  };
  const { fd, size } = openDataFile(path, hint, maxBytes);
  try {
    // Read at most maxBytes + 1 even if the file grows meanwhile: the limit holds regardless.
    const buffer = Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (n === 0) break;
      filled += n;
      if (filled === buffer.length) break;
    }
    if (filled > maxBytes) fail(`it grew past the ${maxBytes} bytes a data file may have while being read`);
    return buffer.subarray(0, filled);
  } catch (error) {
    if (error instanceof DataFormatError) throw error;
    return fail(why(error));
  } finally {
    closeSync(fd);
  }
}

/** The text of `path` as UTF-8. */
export function readTextFile(path: string): string {
  return readDataFile(path).toString('utf8');
}
