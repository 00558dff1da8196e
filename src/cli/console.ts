/**
 * Where the command writes: results to stdout, warnings and errors to stderr, so that
 * `gradiente train --json | jq` sees only JSON and a pipe never swallows a warning.
 */
export interface Console {
  out(line: string): void;
  warn(message: string): void;
  /** stdout is an interactive terminal (progress bars make sense). */
  readonly isTTY: boolean;
  readonly stdout: NodeJS.WritableStream;
}

export const processConsole: Console = {
  out: (line) => void process.stdout.write(`${line}\n`),
  warn: (message) => void process.stderr.write(`warning: ${message}\n`),
  get isTTY() {
    return process.stdout.isTTY === true;
  },
  stdout: process.stdout,
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
