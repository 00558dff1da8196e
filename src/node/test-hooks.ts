/**
 * Failure injection for the run-lifecycle tests (Node only). Inert unless one of these
 * environment variables is set; they exist so that tests can stop a run at a chosen moment
 * deterministically instead of racing a signal against a fast machine:
 *
 *   GRADIENTE_TEST_KILL_AT=write:N         SIGKILL this process just before its Nth file write
 *                                          (every atomic file write and every model-folder
 *                                          write counts, 1-based)
 *   GRADIENTE_TEST_KILL_AT=MOMENT          SIGKILL at a named moment of `gradiente train`:
 *                                          start (before the first iteration), batch:E:B (after
 *                                          iteration B of epoch E, 1-based), epoch:E (after
 *                                          epoch E and its checkpoint), outputs (before the final
 *                                          writes), outputs:model|history|metrics|report|run
 *                                          (before that output is written)
 *   GRADIENTE_TEST_FAIL_WRITE=CODE:N       the Nth file write and every later one fail with the
 *                                          operating-system error CODE (ENOSPC: a full disk,
 *                                          EROFS, EACCES, EIO)
 *   GRADIENTE_TEST_FAIL_WRITE=CODE:MOMENT  every file write after that moment fails with CODE
 *   GRADIENTE_TEST_FAIL_REMOVE=CODE        removing an old checkpoint fails with CODE (EBUSY, EACCES)
 *
 * Documented in docs/CLI.md ("Test hooks"). Never set them outside tests.
 */

let writes = 0;
/** Set once the moment named by GRADIENTE_TEST_FAIL_WRITE=CODE:MOMENT has passed. */
let failing = false;

const cache = new Map<string, string | undefined>();

/** Read once: the hooks run on every iteration, and tests set them when they spawn the process. */
function env(name: string): string | undefined {
  if (!cache.has(name)) {
    const value = typeof process === 'undefined' ? undefined : process.env[name];
    cache.set(name, value === undefined || value === '' ? undefined : value);
  }
  return cache.get(name);
}

function killSelf(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered before kill() returns for the calling process; this is never reached.
  throw new Error('SIGKILL did not stop the process');
}

/** Called before every file write: counts it, and dies or fails there when a test asked for it. */
export function beforeFileWrite(file: string): void {
  const kill = env('GRADIENTE_TEST_KILL_AT');
  const fail = env('GRADIENTE_TEST_FAIL_WRITE');
  if (kill === undefined && fail === undefined) return;
  writes++;
  if (kill !== undefined && kill === `write:${writes}`) killSelf();
  if (fail !== undefined) {
    const match = /^(E[A-Z]+):(.+)$/.exec(fail);
    if (match !== null && (failing || (/^\d+$/.test(match[2]!) && writes >= Number(match[2])))) {
      const code = match[1]!;
      const error = new Error(`${code}: injected failure (GRADIENTE_TEST_FAIL_WRITE), write '${file}'`) as NodeJS.ErrnoException;
      error.code = code;
      error.path = file;
      error.syscall = 'write';
      throw error;
    }
  }
}


/** A named moment of the run: dies there, or starts failing writes, when a test asked for it. */
export function moment(name: string): void {
  if (env('GRADIENTE_TEST_KILL_AT') === name) killSelf();
  const fail = env('GRADIENTE_TEST_FAIL_WRITE');
  if (fail !== undefined && fail.slice(fail.indexOf(':') + 1) === name) failing = true;
}

/** Called before an old checkpoint is removed. */
export function beforeRemove(file: string): void {
  const code = env('GRADIENTE_TEST_FAIL_REMOVE');
  if (code !== undefined) throw Object.assign(new Error(`${code}: injected failure (GRADIENTE_TEST_FAIL_REMOVE), rm '${file}'`), { code, path: file, syscall: 'rm' });
}
