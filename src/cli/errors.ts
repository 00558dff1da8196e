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
