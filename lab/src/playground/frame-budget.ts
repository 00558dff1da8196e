/**
 * How much training fits in one animation frame. The playground trains in slices between
 * frames; a slice is a sequence of pieces of work — an iteration, or an epoch's end (evaluating
 * both sets) — and a piece starts only when what it is expected to cost still fits in the
 * frame's training time. Costs are measured as the run goes (a moving average per kind), and
 * the training time is what the frame's budget leaves after what drawing has recently taken,
 * so a heavy figure slows training instead of stretching the frame. An epoch's end that does not
 * fit after a frame's iterations is the first piece of the next frame, on its own, instead of
 * pushing that frame past its budget. No DOM here: the loop is tested in Node with a fake clock.
 */

/** The page's own work per frame, training and drawing together (a 60 Hz frame is 16.7 ms). */
export const FRAME_WORK_MS = 12;
/** Training keeps at least this share of a frame, however long the drawing takes. */
export const MIN_TRAINING_MS = 3;
/** Weight of the newest measurement in each moving average. */
const ALPHA = 0.2;

export type PieceKind = 'iteration' | 'epochEnd';

/** An exponential moving average; null until the first measurement. */
class Average {
  value: number | null = null;

  add(ms: number): void {
    this.value = this.value === null ? ms : (1 - ALPHA) * this.value + ALPHA * ms;
  }
}

export class FrameBudget {
  private readonly iteration = new Average();
  private readonly epochEnd = new Average();
  private readonly drawing = new Average();

  constructor(readonly frameWorkMs = FRAME_WORK_MS, readonly minTrainingMs = MIN_TRAINING_MS) {}

  /** Milliseconds this frame may train: the frame's work less what drawing recently cost. */
  trainingMs(): number {
    return Math.max(this.minTrainingMs, this.frameWorkMs - (this.drawing.value ?? 0));
  }

  /** What a piece of this kind is expected to cost (0 before it was ever measured). */
  expected(kind: PieceKind): number {
    return (kind === 'iteration' ? this.iteration : this.epochEnd).value ?? 0;
  }

  /**
   * Whether a piece may start `elapsed` ms into the slice, `done` pieces in. The first piece of a
   * slice always may (every frame makes progress, however heavy the network); any other only if
   * it is expected to end within the training time.
   */
  allows(kind: PieceKind, elapsed: number, done: number): boolean {
    return done === 0 || elapsed + this.expected(kind) <= this.trainingMs();
  }

  record(kind: PieceKind | 'drawing', ms: number): void {
    (kind === 'iteration' ? this.iteration : kind === 'epochEnd' ? this.epochEnd : this.drawing).add(ms);
  }
}

/** What a slice trains: the playground's Trainer (trainer.ts). */
export interface SliceWork {
  readonly epoch: number;
  /** The iterations of an epoch are done and its end (evaluating both sets) is not yet. */
  readonly epochEndDue: boolean;
  /** One iteration; false when training has stopped (diverged, early stopping). */
  iterate(): boolean;
  /** The end of the epoch whose iterations are done. */
  finishEpoch(): void;
  readonly stopped: unknown;
}

export interface SliceResult {
  iterations: number;
  epochEnds: number;
  /** Training has stopped (the run is over). */
  stopped: boolean;
  /** Milliseconds the slice took. */
  ms: number;
}

/**
 * One frame's training: pieces while the budget allows, each measured. `until` ends the slice
 * early: after one iteration ('iteration', the slowest speed) or once an epoch has ended ('epoch').
 */
export function trainSlice(work: SliceWork, budget: FrameBudget, now: () => number, until: 'iteration' | 'epoch' | 'budget'): SliceResult {
  const start = now();
  const epoch = work.epoch;
  const result: SliceResult = { iterations: 0, epochEnds: 0, stopped: false, ms: 0 };
  for (;;) {
    const kind: PieceKind = work.epochEndDue ? 'epochEnd' : 'iteration';
    const begin = now();
    if (!budget.allows(kind, begin - start, result.iterations + result.epochEnds)) break;
    let going = true;
    if (kind === 'epochEnd') {
      work.finishEpoch();
      result.epochEnds++;
      going = work.stopped === null;
    } else {
      going = work.iterate();
      result.iterations++;
    }
    budget.record(kind, now() - begin);
    if (!going) {
      result.stopped = true;
      break;
    }
    // The slowest speed: one iteration a frame (and the end of the epoch it completed, if that fits).
    if (until === 'iteration' && result.iterations >= 1 && !work.epochEndDue) break;
    if (until === 'epoch' && work.epoch > epoch) break;
  }
  result.ms = now() - start;
  return result;
}
