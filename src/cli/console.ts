/**
 * Where the command writes: results to stdout, warnings and errors to stderr, so that
 * `gradiente train --json | jq` sees only JSON and a pipe never swallows a warning.
 */
import { Writable } from 'node:stream';

export interface Console {
  out(line: string): void;
  warn(message: string): void;
  /** A line that says what the command is doing but is not its result (stderr): keeps --json's stdout pure JSON. */
  note(line: string): void;
  /** stdout is an interactive terminal (progress bars make sense). */
  readonly isTTY: boolean;
  readonly stdout: NodeJS.WritableStream;
}

/**
 * stdout that a closed reader cannot break: `gradiente train | head` closes the pipe after ten
 * lines, and the next write fails with EPIPE. That stops the printing, never the training:
 * the error is caught once and every later write is dropped.
 */
let stdoutClosed = false;
let guarded: Writable | null = null;

function guardedStdout(): Writable {
  if (guarded !== null) return guarded;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') stdoutClosed = true;
    else throw error;
  });
  guarded = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (stdoutClosed) return done();
      process.stdout.write(chunk, () => done());
    },
  });
  return guarded;
}

export const processConsole: Console = {
  out: (line) => void guardedStdout().write(`${line}\n`),
  warn: (message) => void process.stderr.write(`warning: ${message}\n`),
  note: (line) => void process.stderr.write(`${line}\n`),
  get isTTY() {
    return process.stdout.isTTY === true;
  },
  // The progress bar needs the terminal itself (cursor, width); a terminal is never an EPIPE.
  get stdout() {
    return process.stdout.isTTY === true ? process.stdout : guardedStdout();
  },
};

/** The version in gradiente's own package.json, found by walking up from this file. */
export async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  let url = new URL('./package.json', import.meta.url);
  for (let depth = 0; depth < 8; depth++) {
    try {
      const json = JSON.parse(await readFile(url, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'gradiente' && typeof json.version === 'string') return json.version;
    } catch {
      // No package.json at this level (src/cli in a checkout, dist/src/cli when installed): go up.
    }
    url = new URL('../package.json', url);
  }
  return 'unknown';
}
