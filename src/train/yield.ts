/**
 * Give the event loop a turn between batches so a page repaints and a progress bar moves.
 * NOTE: setTimeout(0) is clamped to >= 1 ms (4 ms in browsers after nesting), which would
 * dominate batch-size-1 training; setImmediate (Node) and a MessageChannel post are ~µs.
 */
type Scheduler = (resume: () => void) => void;

function pickScheduler(): Scheduler {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return (resume) => void setImmediate(resume);
  }
  if (typeof g.MessageChannel === 'function') {
    const channel = new g.MessageChannel();
    const queue: (() => void)[] = [];
    channel.port1.onmessage = () => queue.shift()?.();
    return (resume) => {
      queue.push(resume);
      channel.port2.postMessage(0);
    };
  }
  return (resume) => void setTimeout(resume, 0);
}

let scheduler: Scheduler | null = null;

export function yieldToEventLoop(): Promise<void> {
  scheduler ??= pickScheduler();
  const run = scheduler;
  return new Promise((resolve) => run(resolve));
}
