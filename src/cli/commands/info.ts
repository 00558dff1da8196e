/** gradiente info: what this installation computes with. */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { getBackend, initNativeBackend, initWasmBackend, listBackends, nativeBackendInfo, nativeBackendStatus, wasmBackendInfo } from '../../node.js';
import { packageVersion, processConsole, type Console } from '../console.js';
import { useBackend } from '../session.js';
import { addCommonOptions, flagsGiven } from './common.js';

const EXAMPLES = `
Examples:
  $ gradiente info
  $ gradiente info --backend js
  $ gradiente info --json`;

export function registerInfo(program: Command): void {
  const cmd = program
    .command('info')
    .description('print the version, the backend in use, threads, BLAS and SIMD support')
    .option('--backend <name>', 'report on this backend: auto, native, wasm or js (default: auto, what train uses)')
    .option('--json', 'print one JSON object');
  addCommonOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (_opts: unknown, command: Command) => {
    process.exitCode = await info(flagsGiven(command), processConsole);
  });
}

export async function info(flags: Record<string, unknown>, console: Console): Promise<number> {
  const backend = await useBackend(typeof flags.backend === 'string' ? flags.backend : 'auto');
  // Look at every backend, not only the one chosen, so the report says what else is here and
  // why native is absent. Neither call changes the current backend (select: false).
  await initNativeBackend({ select: false });
  await initWasmBackend({ select: false });
  const wasm = wasmBackendInfo();
  const native = nativeBackendInfo();
  const status = nativeBackendStatus();
  const facts = {
    version: await packageVersion(),
    node: process.versions.node,
    platform: `${process.platform} ${process.arch}`,
    backend: getBackend(),
    backends: listBackends(),
    cpus: availableParallelism(),
    threads: backend === 'native' && native !== null ? native.threads : backend === 'wasm' && wasm !== null ? wasm.threads : 1,
    simd: wasm?.simd ?? null,
    sharedMemory: wasm?.sharedMemory ?? false,
    native: native !== null ? { available: true, threads: native.threads, threadsFrom: native.threadsFrom, blas: native.blas, blasCore: native.blasCore, path: native.path } : { available: false, reason: status?.available === false ? status.reason : 'not loaded' },
  };
  if (flags.json === true) {
    console.out(JSON.stringify(facts));
    return 0;
  }
  const simd = wasm === null ? 'not available (no WebAssembly SIMD in this engine): the js backend computes' : wasm.simd === 'relaxed-simd' ? 'WebAssembly relaxed SIMD (fused multiply-add)' : 'WebAssembly SIMD';
  const threadsFrom = native === null ? '' : native.threadsFrom === 'GRADIENTE_THREADS' ? ', set by GRADIENTE_THREADS' : native.threadsFrom === 'option' ? ', set by an option' : ', the default; GRADIENTE_THREADS=n overrides';
  console.out(`gradiente ${facts.version}`);
  console.out(`node       ${facts.node} (${facts.platform})`);
  console.out(`backend    ${facts.backend}   (available: ${facts.backends.join(', ')})`);
  console.out(`threads    ${facts.threads} for large matrix products (${facts.cpus} CPU cores${backend === 'native' ? threadsFrom : wasm !== null ? `; shared memory ${wasm.sharedMemory ? 'yes' : 'no'}` : ''})`);
  console.out(`native     ${native !== null ? `OpenBLAS (${native.blasCore}; ${native.blas})` : `absent: ${facts.native.reason}`}`);
  console.out(`simd       ${simd}`);
  return 0;
}
