/** Reading a data file, with errors that say which file and what to do. Node-only. */
import { readFileSync } from 'node:fs';
import { DataFormatError } from '../errors.js';

/** The bytes of `path`; a missing or unreadable file is a DataFormatError naming the path. */
export function readDataFile(path: string, hint = ''): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new DataFormatError(`${path}: cannot read it (${why})${hint ? `; ${hint}` : ''}`);
  }
}

/** The text of `path` as UTF-8. */
export function readTextFile(path: string): string {
  return readDataFile(path).toString('utf8');
}
