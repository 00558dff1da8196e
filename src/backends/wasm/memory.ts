/**
 * The kernels' linear memory and how it is laid out:
 *
 *   [static data | control block | GEMM workspace × threads | arena ...]
 *
 * Operands are copied into the arena for each kernel call and results copied out (the copy
 * costs ~nothing next to a matrix product, and it keeps tensors ordinary Float32Arrays that
 * the garbage collector owns). The arena is reused by every call, so memory grows only to
 * the largest call seen and then stays flat, however long training runs.
 */
import { MAXIMUM_PAGES } from './generated/kernels.js';

const PAGE_BYTES = 65536;
/** Int32 slots of the control block threads use to hand out work (see pool.ts). */
export const CONTROL_INTS = 256;
const ALIGN = 64;

function alignUp(bytes: number, to: number): number {
  return Math.ceil(bytes / to) * to;
}

/**
 * A WebAssembly.Memory the kernel module can import. Shared memory must declare a maximum
 * no larger than the module's; if the engine refuses to reserve that much address space,
 * smaller maxima are tried.
 */
export function createMemory(shared: boolean): WebAssembly.Memory {
  let maximum = MAXIMUM_PAGES;
  for (;;) {
    try {
      return new WebAssembly.Memory({ initial: 1, maximum, shared });
    } catch (error) {
      if (maximum <= 1024) throw error;
      maximum >>= 1;
    }
  }
}

export class KernelMemory {
  readonly memory: WebAssembly.Memory;
  /** Byte address of the control block (CONTROL_INTS int32 slots). */
  readonly control: number;
  /** Byte address of each thread's GEMM workspace. */
  readonly workspaces: readonly number[];
  private readonly arenaStart: number;
  private top: number;
  private f32: Float32Array;

  constructor(memory: WebAssembly.Memory, heapBase: number, workspaceBytes: number, threads: number) {
    this.memory = memory;
    this.control = alignUp(heapBase, ALIGN);
    const spaces: number[] = [];
    let at = this.control + CONTROL_INTS * 4;
    for (let t = 0; t < threads; t++) {
      at = alignUp(at, ALIGN);
      spaces.push(at);
      at += workspaceBytes;
    }
    this.workspaces = spaces;
    this.arenaStart = alignUp(at, ALIGN);
    this.top = this.arenaStart;
    this.f32 = new Float32Array(memory.buffer);
    if (!this.ensure(this.arenaStart)) throw new Error('wasm backend: cannot allocate the kernel workspaces');
  }

  /** Current float view of the whole memory (recreated after every growth). */
  get heap(): Float32Array {
    return this.f32;
  }

  /** Int32 view of the control block. */
  controlView(): Int32Array {
    return new Int32Array(this.memory.buffer, this.control, CONTROL_INTS);
  }

  /**
   * Start a kernel call that needs `floats` floats of operands in `buffers` separate buffers.
   * False when memory cannot grow that far (the caller then uses the reference kernels).
   */
  begin(floats: number, buffers: number): boolean {
    this.top = this.arenaStart;
    return this.ensure(this.arenaStart + (floats + buffers * 4) * 4);
  }

  /** Room for `floats` floats in the arena (16-byte aligned for v128 access); its byte address. */
  take(floats: number): number {
    const at = this.top;
    this.top = alignUp(at + floats * 4, 16);
    return at;
  }

  /** Copy `src` into the arena; its byte address. */
  put(src: Float32Array): number {
    const at = this.take(src.length);
    this.f32.set(src, at >> 2);
    return at;
  }

  /** Copy `floats` floats at byte address `at` out into `dst`. */
  get(at: number, dst: Float32Array, floats = dst.length): void {
    dst.set(this.f32.subarray(at >> 2, (at >> 2) + floats));
  }

  private ensure(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return true;
    // A quarter more than asked, so shapes that creep up do not grow memory on every call.
    const wantPages = Math.ceil((bytes + (bytes >> 2)) / PAGE_BYTES);
    const needPages = Math.ceil(bytes / PAGE_BYTES);
    const havePages = have / PAGE_BYTES;
    for (const pages of [wantPages, needPages]) {
      try {
        this.memory.grow(pages - havePages);
        // NOTE: growth detaches views of private memory and leaves views of shared memory at
        // their old length: either way, make a new one.
        this.f32 = new Float32Array(this.memory.buffer);
        return true;
      } catch {
        // Past the maximum (or out of address space): try the exact size, then give up.
      }
    }
    return false;
  }
}
