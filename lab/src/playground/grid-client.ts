/**
 * The page's side of grid-worker.ts. At most one evaluation is in flight: a request while the
 * worker is busy is dropped (the page asks again with newer weights on a later frame; only the
 * latest picture matters), so a slow worker makes the maps update less often, never queue up
 * behind the training. Results older
 * than a drawing the page made itself (a step, a pause) are dropped. The worker is kept busy a
 * `share` of the time at most: on a machine with two cores a worker evaluating without pause
 * takes time from the training and the drawing on the page's thread.
 */
import type { Sequential } from '../../../src/index.js';
import { snapshotDense, type GridPoints, type GridResult } from './grid-eval.js';
import type { FromGridWorker, ToGridWorker } from './grid-worker.js';

export class GridEvaluator {
  private worker: Worker | null = null;
  private busy = false;
  private issued = 0;
  /** Results of requests made before this id are stale. */
  private validFrom = 0;
  /** Evaluations the worker answered and the page drew (tests check the worker is used). */
  answered = 0;
  /** Set when the worker could not start or failed: the page evaluates on its own thread. */
  failed: string | null = null;

  /** When the last answer came and how long the worker took for it. */
  private answeredAt = -Infinity;
  private lastCost = 0;

  constructor(
    private readonly onResult: (result: GridResult) => void,
    private readonly share = 0.25,
  ) {}

  /** Ask for the grids of `model` as it is now, unless the worker is resting; the answer comes to onResult later. */
  request(model: Sequential, boundary: GridPoints | null, maps: GridPoints | null): void {
    if (this.busy || performance.now() - this.answeredAt < (this.lastCost * (1 - this.share)) / this.share) return;
    // Copies: the page's grids stay with the page (the worker's answers are transferred back).
    const message: ToGridWorker = {
      id: ++this.issued,
      layers: snapshotDense(model),
      boundary: boundary === null ? null : { data: boundary.data.slice(), dim: boundary.dim },
      maps: maps === null ? null : { data: maps.data.slice(), dim: maps.dim },
    };
    this.send(message);
  }

  /** The page drew from the current weights itself: answers to earlier requests are out of date. */
  invalidate(): void {
    this.validFrom = this.issued + 1;
  }

  private send(message: ToGridWorker): void {
    try {
      this.worker ??= this.start();
    } catch (error) {
      this.failed = error instanceof Error ? error.message : String(error);
      return;
    }
    this.busy = true;
    this.worker.postMessage(message);
  }

  private start(): Worker {
    const worker = new Worker(new URL('./grid-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FromGridWorker>) => {
      const m = event.data;
      this.busy = false;
      if ('error' in m) this.failed = m.error;
      else {
        this.answeredAt = performance.now();
        this.lastCost = m.ms;
      }
      if (!('error' in m) && m.id >= this.validFrom) {
        this.answered++;
        this.onResult(m.result);
      }
    };
    worker.onerror = (event) => {
      this.failed = event.message || 'the grid worker failed to start';
      this.busy = false;
    };
    return worker;
  }
}
