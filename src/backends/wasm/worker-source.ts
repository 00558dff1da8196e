/**
 * The source of a pool worker, as plain JavaScript so that it runs unchanged in Node
 * (worker_threads, `eval: true`) and in a browser (a Blob URL), whether the library is
 * loaded from compiled JavaScript or from TypeScript sources.
 *
 * A worker instantiates the kernel module on the shared memory, then loops: wait for a job
 * to be published, claim chunks of it until none are left, count them done. It spins
 * briefly before sleeping, because a training step issues its products microseconds apart
 * and waking from Atomics.wait costs ~45 µs.
 *
 * Slot numbers and `claim` must match pool.ts.
 */
export const workerSource = String.raw`'use strict';
(() => {
  const SEQ = 0, FAILED = 1, STOP = 2, NEXT = 3, DONE = 4, CHUNKS = 5, BY_COLUMNS = 6, UNIT = 7, ACTIVE = 8, JOB = 16;
  const TAG_SHIFT = 20, TAG_MASK = 0x7ff, INDEX_MASK = (1 << TAG_SHIFT) - 1, CONTROL_INTS = 256;
  let post, listen;
  if (typeof require === 'function' && typeof process === 'object') {
    const { parentPort } = require('node:worker_threads');
    post = (message) => parentPort.postMessage(message);
    listen = (handler) => parentPort.once('message', handler);
  } else {
    post = (message) => self.postMessage(message);
    listen = (handler) => { self.onmessage = (e) => { self.onmessage = null; handler(e.data); }; };
  }
  function claim(ctl, tag, total) {
    for (;;) {
      const c = Atomics.load(ctl, NEXT);
      if (c >>> TAG_SHIFT !== tag) return -1;
      const index = c & INDEX_MASK;
      if (index >= total) return -1;
      if (Atomics.compareExchange(ctl, NEXT, c, c + 1) === c) return index;
    }
  }
  listen(({ module, memory, control, slot, workspace, spinMs }) => {
    let kernels;
    try {
      kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
    } catch (error) {
      post({ type: 'error', message: String(error) });
      return;
    }
    const ctl = new Int32Array(memory.buffer, control, CONTROL_INTS);
    // Read the counter before saying ready: the other order can miss the first job.
    let seen = Atomics.load(ctl, SEQ);
    post({ type: 'ready' });
    for (;;) {
      if (Atomics.load(ctl, SEQ) === seen) {
        const until = performance.now() + spinMs;
        while (Atomics.load(ctl, SEQ) === seen && performance.now() < until) {}
        while (Atomics.load(ctl, SEQ) === seen) Atomics.wait(ctl, SEQ, seen);
      }
      seen = Atomics.load(ctl, SEQ);
      if (Atomics.load(ctl, STOP) !== 0) return;
      if (slot >= ctl[ACTIVE]) continue;
      // A snapshot of the job; a successful claim (same tag) proves it is the current one.
      const tag = seen & TAG_MASK;
      const a = ctl[JOB], aRow = ctl[JOB + 1], aCol = ctl[JOB + 2];
      const b = ctl[JOB + 3], bRow = ctl[JOB + 4], bCol = ctl[JOB + 5];
      const c = ctl[JOB + 6], ldc = ctl[JOB + 7], bias = ctl[JOB + 8], k = ctl[JOB + 9];
      const m = ctl[JOB + 10], n = ctl[JOB + 11], sharedA = ctl[JOB + 12], sharedB = ctl[JOB + 13];
      const chunks = ctl[CHUNKS], byColumns = ctl[BY_COLUMNS] !== 0, unit = ctl[UNIT];
      const extent = byColumns ? n : m;
      for (let index = claim(ctl, tag, chunks); index >= 0; index = claim(ctl, tag, chunks)) {
        const from = index * unit;
        const to = Math.min(extent, from + unit);
        try {
          kernels.gemm(a, aRow, aCol, b, bRow, bCol, c, ldc, bias, k,
            byColumns ? 0 : from, byColumns ? m : to, byColumns ? from : 0, byColumns ? to : n,
            workspace, sharedA, sharedB, m, n);
        } catch (error) {
          Atomics.store(ctl, FAILED, 1);
        }
        if (Atomics.add(ctl, DONE, 1) + 1 >= chunks) Atomics.notify(ctl, DONE);
      }
    }
  });
})();
`;
