#!/usr/bin/env node
/**
 * Builds the 'native' backend (native/gradiente.cc → native/build/gradiente.node) with the
 * C++ compiler and the Node headers already on this machine: no download of any kind (no
 * node-gyp, no prebuilt binaries). It runs as the package's `install` script — in a clone on
 * `npm ci`, and in a project that installs gradiente from the registry — and again through
 * `prepare` → `build` (then it finds the addon up to date), so it must never fail an install: whatever goes wrong — no compiler, no OpenBLAS, no Node
 * headers, a compile error — it prints exactly one line saying why and how to get native
 * speed, and exits 0. gradiente then runs on 'wasm', as it would without this script.
 *
 * Usage: node scripts/build-native.mjs [--force]   (rebuilds only when a source is newer)
 * Environment: CXX (compiler, default c++ then g++), GRADIENTE_NATIVE_CFLAGS (extra flags),
 * GRADIENTE_NATIVE=0 (skip the build).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'gradiente.cc');
const outDir = join(root, 'native', 'build');
const target = join(outDir, 'gradiente.node');
const HINT = 'for native speed: apt-get install build-essential libopenblas-dev';

class Skip extends Error {}

/** Where node_api.h is: Debian's nodejs puts it in /usr/include/node; a tarball Node in <prefix>/include/node. */
function nodeHeaderDir() {
  const prefix = process.config?.variables?.node_prefix;
  const candidates = [
    prefix ? join(prefix, 'include', 'node') : null,
    join(dirname(dirname(process.execPath)), 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter((d) => d !== null);
  const found = candidates.find((d) => existsSync(join(d, 'node_api.h')));
  if (found === undefined) throw new Skip(`the Node headers (node_api.h) are not in ${candidates.join(' or ')}`);
  return found;
}

function findCompiler() {
  const wanted = process.env.CXX ? [process.env.CXX] : ['c++', 'g++', 'clang++'];
  for (const cxx of wanted) {
    const r = spawnSync(cxx, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return cxx;
  }
  throw new Skip(`no C++ compiler found (tried ${wanted.join(', ')})`);
}

/** True when the built addon is newer than everything it is made from. */
function upToDate() {
  if (!existsSync(target)) return false;
  const built = statSync(target).mtimeMs;
  return [source, fileURLToPath(import.meta.url)].every((f) => statSync(f).mtimeMs <= built);
}

/** The compiler's last error line, short enough for one line of output. */
function firstError(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /fatal error|error:|cannot find -l/.test(l)) ?? lines[lines.length - 1] ?? 'unknown error';
  if (/cblas\.h/.test(line)) return 'OpenBLAS headers (cblas.h) not found';
  if (/cannot find -lopenblas/.test(line)) return 'the OpenBLAS library (libopenblas) not found';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function build() {
  if (process.env.GRADIENTE_NATIVE === '0') throw new Skip('GRADIENTE_NATIVE=0');
  if (process.platform === 'win32') throw new Skip('building on Windows is not supported yet');
  if (!process.argv.includes('--force') && upToDate()) return 'up to date';
  const headers = nodeHeaderDir();
  const cxx = findCompiler();
  mkdirSync(outDir, { recursive: true });
  // Compile to a temporary name and rename: an interrupted build never leaves a half-written addon.
  const partial = `${target}.partial-${process.pid}`;
  const flags = [
    '-std=c++17',
    '-O3',
    '-march=native', // built on the machine that runs it: use all of its vector instructions
    // No contraction of a*b+c into fused multiply-adds: the scalar kernels must round exactly
    // as the JavaScript reference does (the BLAS products are unaffected; OpenBLAS is its own library).
    '-ffp-contract=off',
    // sqrt() need not set errno (nothing reads it): without this gcc keeps a call to libm
    // for negative inputs in every sqrt, which leaves the Adam and RMSprop passes scalar
    // (~4× slower). The result is the same IEEE square root either way; exp, tanh, erf and
    // the other libm functions stay the scalar calls they were (libmvec's vector versions
    // round differently and would no longer match the reference).
    '-fno-math-errno',
    '-fPIC',
    '-shared',
    '-fvisibility=hidden',
    '-DNAPI_VERSION=8',
    '-DNODE_GYP_MODULE_NAME=gradiente',
    `-I${headers}`,
    ...(process.env.GRADIENTE_NATIVE_CFLAGS ?? '').split(/\s+/).filter(Boolean),
    source,
    '-o',
    partial,
    '-lopenblas',
    '-lm',
  ];
  const r = spawnSync(cxx, flags, { encoding: 'utf8' });
  if (r.error) throw new Skip(`${cxx} could not run (${r.error.message})`);
  if (r.status !== 0) {
    rmSync(partial, { force: true });
    throw new Skip(`${cxx} failed: ${firstError(r.stderr ?? '')}`);
  }
  renameSync(partial, target);
  return 'built';
}

try {
  const what = build();
  if (what === 'built') console.log(`native backend built: ${target.slice(root.length + 1)}`);
} catch (e) {
  const reason = e instanceof Skip ? e.message : `unexpected error (${e instanceof Error ? e.message : String(e)})`;
  console.log(`native backend not built: ${reason}; ${HINT}`);
}
process.exitCode = 0;
