/** History: what fit() measured, per iteration (loss) and per epoch (loss, metrics, validation). */
export interface StopInfo {
  reason: 'earlyStopping' | 'nonFinite' | 'callback';
  epoch: number;
  iteration: number;
  message: string;
}

export class History {
  /** Epoch numbers (0-based) that completed. */
  readonly epoch: number[] = [];
  /** Per-epoch values by name: loss, accuracy, val_loss, val_accuracy, learningRate, ... */
  readonly history: Record<string, number[]> = {};
  /** Loss of every iteration (one weight update each), in order. */
  readonly iterationLoss: number[] = [];
  /** Learning rate used at every iteration. */
  readonly iterationLearningRate: number[] = [];
  stopped: StopInfo | null = null;

  constructor(readonly iterationsPerEpoch: number, readonly batchSize: number, readonly numSamples: number) {}

  recordIteration(loss: number, learningRate: number): void {
    this.iterationLoss.push(loss);
    this.iterationLearningRate.push(learningRate);
  }

  recordEpoch(epoch: number, logs: Record<string, number>): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  toJSON(): object {
    return {
      iterationsPerEpoch: this.iterationsPerEpoch,
      batchSize: this.batchSize,
      numSamples: this.numSamples,
      epoch: this.epoch,
      history: this.history,
      iterationLoss: this.iterationLoss,
      iterationLearningRate: this.iterationLearningRate,
      stopped: this.stopped,
    };
  }
}
