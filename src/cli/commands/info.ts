/** gradiente info: what this installation computes with. */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { getBackend, listBackends, wasmBackendInfo } from '../../node.js';
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
    .description('print the version, the backend in use, threads and SIMD support')
    .option('--backend <name>', 'report on this backend: auto, wasm or js (default: auto, what train uses)')
    .option('--json', 'print one JSON object');
  addCommonOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (_opts: unknown, command: Command) => {
    process.exitCode = await info(flagsGiven(command), processConsole);
  });
}

export async function info(flags: Record<string, unknown>, console: Console): Promise<number> {
  const backend = await useBackend(typeof flags.backend === 'string' ? flags.backend : 'auto');
  const wasm = wasmBackendInfo();
  const facts = {
    version: await packageVersion(),
    node: process.versions.node,
    platform: `${process.platform} ${process.arch}`,
    backend: getBackend(),
    backends: listBackends(),
    cpus: availableParallelism(),
    threads: backend === 'wasm' && wasm !== null ? wasm.threads : 1,
    simd: wasm?.simd ?? null,
    sharedMemory: wasm?.sharedMemory ?? false,
  };
  if (flags.json === true) {
    console.out(JSON.stringify(facts));
    return 0;
  }
  const simd = wasm === null ? 'not available (no WebAssembly SIMD in this engine): the js backend computes' : wasm.simd === 'relaxed-simd' ? 'WebAssembly relaxed SIMD (fused multiply-add)' : 'WebAssembly SIMD';
  console.out(`gradiente ${facts.version}`);
  console.out(`node       ${facts.node} (${facts.platform})`);
  console.out(`backend    ${facts.backend}   (available: ${facts.backends.join(', ')})`);
  console.out(`threads    ${facts.threads} for large matrix products (${facts.cpus} CPU cores${wasm !== null ? `; shared memory ${wasm.sharedMemory ? 'yes' : 'no'}` : ''})`);
  console.out(`simd       ${simd}`);
  return 0;
}
