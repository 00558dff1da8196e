/**
 * What a registry install gets: the published files must hold what the install-time build
 * of the native addon needs, and the package's `install` script must run that build —
 * `prepare` does not run for a registry consumer, so without it such an install stays on wasm.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url);

describe('the published package', () => {
  it('carries the native addon source and its build script, and no machine-specific build', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toContain('native/gradiente.cc');
    expect(files).toContain('scripts/build-native.mjs');
    // Built with -march=native for the machine that compiled it: never shipped.
    expect(files.filter((f) => f.startsWith('native/build/'))).toEqual([]);
    // Every local file the build script and the addon source reference is published.
    const source = readFileSync(new URL('native/gradiente.cc', root), 'utf8');
    for (const [, header] of source.matchAll(/#include\s+"([^"]+)"/g)) expect(files).toContain(`native/${header}`);
  });

  it('builds the addon in its install script, which npm runs for a dependency', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.install).toBe('node scripts/build-native.mjs');
  });
});
