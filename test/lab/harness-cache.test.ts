/**
 * The lab's test build is shared between test files and runs under the hash of its inputs
 * (harness.ts labBuild): the hash must change with any byte, name or file of the inputs, and
 * with nothing else, or a test would run against a build of other sources.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { labInputsHash } from './harness.js';

let root = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gradiente-lab-hash-'));
  await mkdir(join(root, 'lab/src/playground'), { recursive: true });
  await mkdir(join(root, 'src/nn'), { recursive: true });
  await mkdir(join(root, 'test'), { recursive: true });
  await writeFile(join(root, 'lab/playground.html'), '<main></main>');
  await writeFile(join(root, 'lab/src/playground/app.ts'), 'export const a = 1;');
  await writeFile(join(root, 'src/nn/dense.ts'), 'export const d = 1;');
  await writeFile(join(root, 'package.json'), '{"name":"x"}');
  await writeFile(join(root, 'package-lock.json'), '{}');
  await writeFile(join(root, 'tsconfig.json'), '{}');
  await writeFile(join(root, 'test/a.test.ts'), 'test');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

test('the build key changes with every input and only with the inputs', async () => {
  const seen = new Set<string>();
  const key = async (): Promise<string> => labInputsHash(root);
  const first = await key();
  expect(await key()).toBe(first);
  seen.add(first);
  const changed = async (what: string, change: () => Promise<void>): Promise<void> => {
    await change();
    const next = await key();
    expect(seen.has(next), `${what} gave a key seen before`).toBe(false);
    seen.add(next);
  };
  await changed('a lab source edited', () => writeFile(join(root, 'lab/src/playground/app.ts'), 'export const a = 2;'));
  await changed('a library source edited', () => writeFile(join(root, 'src/nn/dense.ts'), 'export const d = 2;'));
  await changed('a file added', () => writeFile(join(root, 'lab/src/playground/new.ts'), ''));
  await changed('a file renamed', () => rename(join(root, 'lab/src/playground/new.ts'), join(root, 'lab/src/playground/other.ts')));
  await changed('a dependency changed', () => writeFile(join(root, 'package-lock.json'), '{"v":2}'));
  await changed('the TypeScript settings changed', () => writeFile(join(root, 'tsconfig.json'), '{"strict":true}'));
  // Content moved between two files is another build, not the same bytes hashed together.
  await changed('bytes moved across a file boundary', async () => {
    await writeFile(join(root, 'lab/src/playground/app.ts'), 'export const a = 2');
    await writeFile(join(root, 'lab/src/playground/other.ts'), ';');
  });
  // Tests and docs are not inputs of the build: changing them reuses it.
  const before = await key();
  await writeFile(join(root, 'test/a.test.ts'), 'another test');
  await writeFile(join(root, 'README.md'), 'docs');
  expect(await key()).toBe(before);
});
