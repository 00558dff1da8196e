/** Reading a text file with an error that names the path and the reason. */
import { readFileSync } from 'node:fs';
import { DataFormatError } from '../node.js';

export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new DataFormatError(`${file}: cannot read it (${why})`);
  }
}
