/**
 * The source of a pool worker, as plain JavaScript so that it runs unchanged in Node
 * (worker_threads, `eval: true`) and in a browser (a Blob URL), whether the library is
 * loaded from compiled JavaScript or from TypeScript sources.
 *
 * A worker instantiates the kernel module on the shared memory, then loops: wait for the
 * job counter to move, run its block of the product, count itself done. It spins briefly
 * before sleeping, because a training step issues its products a few microseconds apart and
 * waking from Atomics.wait costs ~45 µs.
 *
 * The slot numbers must match pool.ts.
 */
export const workerSource = String.raw`'use strict';
(() => {
  const SEQ = 0, DONE = 1, FAILED = 3, JOB = 8, SLOTS = 32, SLOT_INTS = 8, CONTROL_INTS = 256;
  let post, listen;
  if (typeof require === 'function' && typeof process === 'object') {
    const { parentPort } = require('node:worker_threads');
    post = (message) => parentPort.postMessage(message);
    listen = (handler) => parentPort.once('message', handler);
  } else {
    post = (message) => self.postMessage(message);
    listen = (handler) => { self.onmessage = (e) => { self.onmessage = null; handler(e.data); }; };
  }
  listen(({ module, memory, control, slot, spinMs }) => {
    let kernels;
    try {
      kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
    } catch (error) {
      post({ type: 'error', message: String(error) });
      return;
    }
    const ctl = new Int32Array(memory.buffer, control, CONTROL_INTS);
    const s = SLOTS + slot * SLOT_INTS;
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
      if (ctl[s + 5] !== 0) return; // told to stop
      try {
        if (ctl[s + 1] > ctl[s] && ctl[s + 3] > ctl[s + 2]) {
          kernels.gemm(
            ctl[JOB], ctl[JOB + 1], ctl[JOB + 2],
            ctl[JOB + 3], ctl[JOB + 4], ctl[JOB + 5],
            ctl[JOB + 6], ctl[JOB + 7], ctl[JOB + 8],
            ctl[JOB + 9], ctl[s], ctl[s + 1], ctl[s + 2], ctl[s + 3],
            ctl[s + 4],
          );
        }
      } catch (error) {
        Atomics.store(ctl, FAILED, 1);
      }
      Atomics.add(ctl, DONE, 1);
      Atomics.notify(ctl, DONE);
    }
  });
})();
`;
