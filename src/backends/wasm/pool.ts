/**
 * A pool of workers that share the kernels' memory and help the calling thread with large
 * matrix products.
 *
 * How a product is shared: the caller packs the operand every part needs (A when C is split
 * by columns, B when by rows) once, publishes the job, and then it and the workers claim
 * chunks of C from a counter until none are left. A worker that is asleep, slow to wake or
 * descheduled (a busy machine) only means the others claim more chunks; the caller never
 * waits for a worker that has not started, only for chunks already being computed.
 *
 * Control block (CONTROL_INTS int32 slots in shared memory; numbers match worker-source.ts):
 *   SEQ         job counter: bumped (and notified) to publish a job
 *   FAILED      set by a thread whose kernel threw
 *   STOP        workers return when they see it
 *   NEXT        next chunk to claim, tagged with the job: (tag << 20) | index
 *   DONE        chunks finished
 *   CHUNKS, BY_COLUMNS, UNIT, ACTIVE  how C is cut, and how many threads may help
 *   JOB..       a, aRow, aCol, b, bRow, bCol, c, ldc, bias, k, m, n, sharedA, sharedB
 * The tag makes a claim fail if a slow worker still holds the previous job's parameters.
 */
import type { HostWorker } from './host.js';
import type { KernelExports } from './kernel-exports.js';
import type { KernelMemory } from './memory.js';
import { workerSource } from './worker-source.js';

const SEQ = 0;
const FAILED = 1;
const STOP = 2;
const NEXT = 3;
const DONE = 4;
const CHUNKS = 5;
const BY_COLUMNS = 6;
const UNIT = 7;
const ACTIVE = 8;
const JOB = 16;
const TAG_SHIFT = 20;
const TAG_MASK = 0x7ff;
const INDEX_MASK = (1 << TAG_SHIFT) - 1;
/**
 * Chunks per thread: enough that a thread preempted mid-chunk (a busy machine) holds back
 * little work, few enough that the per-chunk overhead stays small (the shared operand is
 * packed once; a chunk only packs its own part of the other).
 */
const CHUNKS_PER_THREAD = 8;
/** The most threads a pool may have. */
export const MAX_THREADS = 64;

/** Operands of one product C = op(A)·op(B) [+ bias] already in kernel memory. */
export interface GemmJob {
  a: number;
  aRow: number;
  aCol: number;
  b: number;
  bRow: number;
  bCol: number;
  c: number;
  ldc: number;
  bias: number;
  m: number;
  k: number;
  n: number;
}

export interface PoolOptions {
  /** How long an idle worker spins before it sleeps, in milliseconds. */
  spinMs: number;
}

/** C is cut by columns (each part needs all of A) when it is wider than tall. */
function splitsByColumns(m: number, n: number): boolean {
  return n >= m;
}

/**
 * Claim the next chunk of the job tagged `tag`: its index, or −1 when none is left or the
 * job is no longer the current one. (The same function is in worker-source.ts.)
 */
function claim(ctl: Int32Array, tag: number, total: number): number {
  for (;;) {
    const c = Atomics.load(ctl, NEXT);
    if (c >>> TAG_SHIFT !== tag) return -1;
    const index = c & INDEX_MASK;
    if (index >= total) return -1;
    if (Atomics.compareExchange(ctl, NEXT, c, c + 1) === c) return index;
  }
}

export class ThreadPool {
  /** Threads that can take part in a product, the caller included. */
  readonly size: number;
  private readonly workers: HostWorker[];
  private readonly ctl: Int32Array;
  private readonly blocking: boolean;

  private constructor(workers: HostWorker[], ctl: Int32Array, blocking: boolean) {
    this.workers = workers;
    this.size = workers.length + 1;
    this.ctl = ctl;
    this.blocking = blocking;
  }

  /**
   * Start `threads − 1` workers on the shared memory and wait until each has instantiated the
   * kernels. Rejects if any worker fails to start (the caller then runs single-threaded).
   */
  static async start(
    module: WebAssembly.Module,
    memory: KernelMemory,
    threads: number,
    spawn: (source: string) => HostWorker,
    options: PoolOptions,
    blocking: boolean,
  ): Promise<ThreadPool> {
    const ctl = memory.controlView();
    ctl.fill(0);
    const workers: HostWorker[] = [];
    try {
      const started = [];
      for (let slot = 1; slot < threads; slot++) {
        const worker = spawn(workerSource);
        workers.push(worker);
        started.push(
          new Promise<void>((resolve, reject) => {
            worker.onMessage((data) => {
              const message = data as { type?: string; message?: string };
              if (message.type === 'ready') resolve();
              else if (message.type === 'error') reject(new Error(`wasm worker: ${message.message ?? 'failed to start'}`));
            });
            worker.onError((error) => reject(error instanceof Error ? error : new Error(String(error))));
          }),
        );
        worker.post({
          module,
          memory: memory.memory,
          control: memory.control,
          slot,
          workspace: memory.workspaces[slot],
          spinMs: options.spinMs,
        });
      }
      await Promise.all(started);
      // Ref'd while starting (the ready messages must keep the process alive); from now on an
      // idle pool must not, and the process may exit while the workers wait.
      for (const w of workers) w.unref();
    } catch (error) {
      for (const w of workers) w.terminate();
      throw error;
    }
    return new ThreadPool(workers, ctl, blocking);
  }

  /** Floats of scratch `gemm` needs for the operand it packs once. */
  static sharedFloats(kernels: KernelExports, m: number, k: number, n: number): number {
    return splitsByColumns(m, n) ? kernels.packedASize(m, k) : kernels.packedBSize(k, n);
  }

  /**
   * Compute the product on up to `threads` threads (the caller included), the caller's part
   * with `kernels` and its workspace. `shared` is scratch of sharedFloats() floats.
   */
  gemm(job: GemmJob, threads: number, kernels: KernelExports, workspace: number, shared: number, tileRows: number, tileCols: number): void {
    const ctl = this.ctl;
    const byColumns = splitsByColumns(job.m, job.n);
    const sharedA = byColumns ? shared : 0;
    const sharedB = byColumns ? 0 : shared;
    if (byColumns) kernels.packSharedA(job.a, job.aRow, job.aCol, job.m, job.k, shared);
    else kernels.packSharedB(job.b, job.bRow, job.bCol, job.k, job.n, shared);
    const extent = byColumns ? job.n : job.m;
    const tile = byColumns ? tileCols : tileRows;
    const tiles = Math.ceil(extent / tile);
    const t = Math.min(threads, this.size);
    const unit = Math.ceil(tiles / Math.min(tiles, t * CHUNKS_PER_THREAD)) * tile;
    const chunks = Math.ceil(extent / unit);

    ctl[JOB] = job.a;
    ctl[JOB + 1] = job.aRow;
    ctl[JOB + 2] = job.aCol;
    ctl[JOB + 3] = job.b;
    ctl[JOB + 4] = job.bRow;
    ctl[JOB + 5] = job.bCol;
    ctl[JOB + 6] = job.c;
    ctl[JOB + 7] = job.ldc;
    ctl[JOB + 8] = job.bias;
    ctl[JOB + 9] = job.k;
    ctl[JOB + 10] = job.m;
    ctl[JOB + 11] = job.n;
    ctl[JOB + 12] = sharedA;
    ctl[JOB + 13] = sharedB;
    ctl[CHUNKS] = chunks;
    ctl[BY_COLUMNS] = byColumns ? 1 : 0;
    ctl[UNIT] = unit;
    ctl[ACTIVE] = t;
    const seq = (Atomics.load(ctl, SEQ) + 1) | 0;
    const tag = seq & TAG_MASK;
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, NEXT, tag << TAG_SHIFT);
    Atomics.store(ctl, SEQ, seq);
    Atomics.notify(ctl, SEQ);

    let mine = 0;
    for (let index = claim(ctl, tag, chunks); index >= 0; index = claim(ctl, tag, chunks)) {
      const from = index * unit;
      const to = Math.min(extent, from + unit);
      kernels.gemm(
        job.a, job.aRow, job.aCol, job.b, job.bRow, job.bCol, job.c, job.ldc, job.bias, job.k,
        byColumns ? 0 : from, byColumns ? job.m : to, byColumns ? from : 0, byColumns ? to : job.n,
        workspace, sharedA, sharedB, job.m, job.n,
      );
      mine++;
    }
    if (mine > 0) Atomics.add(ctl, DONE, mine);
    this.waitForChunks(chunks);
    if (Atomics.load(ctl, FAILED) !== 0) {
      Atomics.store(ctl, FAILED, 0);
      throw new Error('wasm backend: a worker failed while computing a matrix product');
    }
  }

  /** Stop and terminate the workers. */
  close(): void {
    Atomics.store(this.ctl, STOP, 1);
    Atomics.add(this.ctl, SEQ, 1);
    Atomics.notify(this.ctl, SEQ);
    for (const w of this.workers) w.terminate();
  }

  /**
   * Wait for the chunks other threads claimed: they are already running, so spin a little,
   * then sleep until the last one notifies. Sleeping matters on a busy machine: a thread that
   * spins may be taking the very core the worker it waits for needs. (A browser's main
   * thread may not sleep, so it only spins.)
   */
  private waitForChunks(chunks: number): void {
    const ctl = this.ctl;
    let spins = 0;
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done >= chunks) return;
      if (this.blocking && ++spins > 2_000) Atomics.wait(ctl, DONE, done, 1);
    }
  }
}
