/**
 * A pool of workers that share the kernels' memory and split large matrix products with the
 * calling thread. The calling thread takes block 0 itself, so a pool of T threads has T − 1
 * workers, and it never goes idle while they compute.
 *
 * Hand-off goes through the control block in shared memory (CONTROL_INTS int32 slots):
 *   SEQ     job counter: the caller writes the job, then increments it and notifies
 *   DONE    workers finished with the current job
 *   FAILED  set by a worker whose kernel threw
 *   JOB..   the product: a, aRow, aCol, b, bRow, bCol, c, ldc, bias, k
 *   SLOTS.. per thread: m0, m1, n0, n1, workspace, stop
 * The slot numbers must match worker-source.ts.
 */
import type { HostWorker } from './host.js';
import type { KernelExports } from './kernel-exports.js';
import { CONTROL_INTS, type KernelMemory } from './memory.js';
import { workerSource } from './worker-source.js';

const SEQ = 0;
const DONE = 1;
const FAILED = 3;
const JOB = 8;
const SLOTS = 32;
const SLOT_INTS = 8;
/** The most threads the control block has slots for. */
export const MAX_THREADS = Math.floor((CONTROL_INTS - SLOTS) / SLOT_INTS);

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

export class ThreadPool {
  /** Threads taking part in a product, the caller included. */
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
        worker.post({ module, memory: memory.memory, control: memory.control, slot, spinMs: options.spinMs });
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

  /**
   * Compute the product on `threads` threads (at most the pool size): the caller's block with
   * `kernels`, the others on the workers. Splits the longer side of C in whole register tiles.
   */
  gemm(job: GemmJob, threads: number, kernels: KernelExports, workspaces: readonly number[], tileRows: number, tileCols: number): void {
    const ctl = this.ctl;
    const t = Math.min(threads, this.size);
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
    // Splitting columns duplicates the packing of A in every thread, splitting rows that of
    // B: duplicate the smaller one.
    const byColumns = job.n >= job.m;
    const extent = byColumns ? job.n : job.m;
    const unit = byColumns ? tileCols : tileRows;
    const tiles = Math.ceil(extent / unit);
    const blocks: [number, number][] = [];
    for (let i = 0; i < this.size; i++) {
      const from = Math.min(extent, Math.floor((tiles * i) / t) * unit);
      const to = i < t ? Math.min(extent, Math.floor((tiles * (i + 1)) / t) * unit) : from;
      blocks.push([from, i === t - 1 ? extent : to]);
    }
    for (let slot = 1; slot < this.size; slot++) {
      const s = SLOTS + slot * SLOT_INTS;
      const [from, to] = blocks[slot]!;
      ctl[s] = byColumns ? 0 : from;
      ctl[s + 1] = byColumns ? job.m : to;
      ctl[s + 2] = byColumns ? from : 0;
      ctl[s + 3] = byColumns ? to : job.n;
      ctl[s + 4] = workspaces[slot]!;
    }
    Atomics.store(ctl, DONE, 0);
    Atomics.add(ctl, SEQ, 1);
    Atomics.notify(ctl, SEQ);
    const [from, to] = blocks[0]!;
    kernels.gemm(
      job.a, job.aRow, job.aCol, job.b, job.bRow, job.bCol, job.c, job.ldc, job.bias, job.k,
      byColumns ? 0 : from, byColumns ? job.m : to, byColumns ? from : 0, byColumns ? to : job.n,
      workspaces[0]!,
    );
    this.waitForWorkers();
    if (Atomics.load(ctl, FAILED) !== 0) {
      Atomics.store(ctl, FAILED, 0);
      throw new Error('wasm backend: a worker failed while computing a matrix product');
    }
  }

  /** Stop and terminate the workers. */
  close(): void {
    for (let slot = 1; slot < this.size; slot++) this.ctl[SLOTS + slot * SLOT_INTS + 5] = 1;
    Atomics.add(this.ctl, SEQ, 1);
    Atomics.notify(this.ctl, SEQ);
    for (const w of this.workers) w.terminate();
  }

  private waitForWorkers(): void {
    const ctl = this.ctl;
    const expected = this.workers.length;
    // The caller's block takes as long as the others, so they are usually done or nearly:
    // spin first, sleep only if they lag (a browser's main thread may not sleep at all).
    let spins = 0;
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done >= expected) return;
      if (this.blocking && ++spins > 20_000) Atomics.wait(ctl, DONE, done, 50);
    }
  }
}
