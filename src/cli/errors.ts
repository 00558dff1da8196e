/**
 * How the command line reports failure. Bad input (a flag, a file, a value) is a
 * GradienteError: one line `error: ...` and a non-zero exit. Anything else is a bug and
 * says so; either way the stack is printed only under --debug.
 */
import { GradienteError } from '../errors.js';

/** A bad command-line input the library never sees (an unknown --data source, two flags that clash). */
export class CliError extends GradienteError {}

/** Exit status for a run stopped by Ctrl-C, as shells report SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130;

/** The single line a user sees for an error; `debug` adds the stack below it. */
export function formatError(error: unknown, debug: boolean): string {
  const err = error instanceof Error ? error : new Error(String(error));
  const expected = err instanceof GradienteError || isFileSystemError(err);
  const line = `error: ${oneLine(err.message)}`;
  if (debug) return `${line}\n${err.stack ?? ''}`;
  return expected ? line : `${line} (an internal error: run again with --debug for the stack and report it)`;
}

/** Messages spread over lines (commander's "Did you mean", JSON parser notes) become one line. */
export function oneLine(message: string): string {
  return message
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join(' ');
}

function isFileSystemError(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/** A temporary name our atomic writers use (.history.json.<hex>.tmp, weights.<hex>.bin, model.json.<hex>.1.tmp): the file it stands for. */
function intendedFile(file: string): string {
  const slash = file.lastIndexOf('/');
  const dir = slash < 0 ? '' : file.slice(0, slash + 1);
  const base = file.slice(slash + 1);
  const atomic = /^\.(.+)\.[0-9a-f]{16}\.tmp$/.exec(base);
  if (atomic !== null) return dir + atomic[1]!;
  if (/^(weights\.[0-9a-f]{16}\.bin|model\.json\.[0-9a-f]{16}\.[12]\.tmp|.+\.bin\.[0-9a-f]{16}\.tmp)$/.test(base)) return dir.replace(/\/$/, '') || base;
  return file;
}

/**
 * An operating-system error (disk full, read-only, permission denied, a file where a folder
 * should be) as one line naming the path and what to do; null for anything else.
 * `resume` is the run folder to continue once the cause is fixed, when there is one.
 */
export function explainFileSystemError(error: unknown, options: { path?: string; resume?: string } = {}): CliError | null {
  if (!(error instanceof Error)) return null;
  const err = error as NodeJS.ErrnoException;
  if (typeof err.code !== 'string' || !/^E[A-Z]+$/.test(err.code)) return null;
  const where = intendedFile(err.path ?? options.path ?? '');
  const then = options.resume !== undefined ? `, then run \`gradiente train --resume ${options.resume}\`` : '';
  const elsewhere = options.resume !== undefined ? `${then}` : ', or choose another folder with --out';
  const cause: Record<string, string> = {
    ENOSPC: `no space left on the device; free some space${then || ' and try again'}`,
    EDQUOT: `the disk quota is used up; free some space${then || ' and try again'}`,
    EACCES: `permission denied; make it writable for you${elsewhere}`,
    EPERM: `operation not permitted; make it writable for you${elsewhere}`,
    EROFS: `the file system is read-only; use a writable place${options.resume !== undefined ? ` (copy the run folder there and resume it)` : ' with --out'}`,
    ENOTDIR: `a part of this path is a file, not a folder; choose another path`,
    EISDIR: `is a folder where a file was expected; choose another path`,
    ENOENT: `no such file or folder (it cannot be created there); choose another path`,
    EEXIST: `already exists; choose another path`,
    EMFILE: `too many open files; close other programs or raise the limit (ulimit -n)${then}`,
    EIO: `input/output error from the device; check the disk${then}`,
  };
  const text = cause[err.code] ?? `${err.code} (${oneLine(err.message)})`;
  const fixed = new CliError(`${where === '' ? '' : `${where}: `}${text}`);
  (fixed as { cause?: unknown }).cause = error;
  return fixed;
}
