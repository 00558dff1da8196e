/**
 * What the reports plot besides the loss: per-layer gradient norms (is the signal reaching
 * the first layers, or vanishing?) and wall-clock time per iteration (what a batch size
 * costs). Both are callbacks, so fit() stays the short loop it is.
 */
import { Dense, noGrad, square, sum, type Callback, type Logs, type Sequential, type Tensor, type TrainingContext } from '../node.js';

/** Points kept per series at most; beyond, every other point is dropped and the stride doubles. */
const MAX_POINTS = 2000;

export interface GradientNormsJson {
  /** One label per layer with parameters: "1 Dense(128, relu)". */
  layers: string[];
  /** Iteration numbers (1-based, weight updates since the start) of the recorded points. */
  iterations: number[];
  /** norms[l][i]: the L2 norm of layer l's gradient (all its weights and biases) at iterations[i]. */
  norms: number[][];
  /** Record one iteration in `stride`. */
  stride: number;
}

export function layerLabels(model: Sequential): string[] {
  return model.layers.flatMap((layer, i) =>
    layer instanceof Dense ? [`${i + 1} Dense(${layer.units}, ${layer.activation})`] : layer.countParameters() > 0 ? [`${i + 1} ${layer.constructor.name}`] : [],
  );
}

/**
 * L2 norm of each layer's gradient right after an update (fit leaves .grad in place until
 * the next zeroGrad), i.e. of the gradient that update used.
 */
export class GradientNormRecorder implements Callback {
  readonly data: GradientNormsJson;
  private readonly groups: { grads: () => (Tensor | null)[] }[];

  constructor(model: Sequential, previous?: GradientNormsJson) {
    const layers = model.layers.filter((layer) => layer.countParameters() > 0);
    this.groups = layers.map((layer) => ({ grads: () => layer.parameters().map((p) => p.grad) }));
    this.data = previous ? structuredClone(previous) : { layers: layerLabels(model), iterations: [], norms: layers.map(() => []), stride: 1 };
  }

  onBatchEnd(_batch: number, logs: Logs): void {
    if (logs.iteration % this.data.stride !== 0) return;
    const norms = noGrad(() =>
      this.groups.map((group) => {
        let squares = 0;
        for (const g of group.grads()) if (g !== null) squares += sum(square(g)).item();
        return Math.sqrt(squares);
      }),
    );
    this.data.iterations.push(logs.iteration);
    norms.forEach((n, l) => this.data.norms[l]!.push(n));
    if (this.data.iterations.length >= MAX_POINTS) this.thin();
  }

  /** Keep every other point and record half as often from now on. */
  private thin(): void {
    this.data.stride *= 2;
    const keep = (_: number, i: number): boolean => this.data.iterations[i]! % this.data.stride === 0;
    this.data.norms = this.data.norms.map((series) => series.filter(keep));
    this.data.iterations = this.data.iterations.filter((it) => it % this.data.stride === 0);
  }
}

/** Seconds since training started, at the end of every iteration (for loss against time). */
export class ClockRecorder implements Callback {
  readonly seconds: number[] = [];
  private start = 0;

  onTrainBegin(): void {
    this.start = performance.now();
  }

  onBatchEnd(): void {
    this.seconds.push((performance.now() - this.start) / 1000);
  }
}

/** The History of a run in its JSON form (History.toJSON), possibly stitched from a resumed run. */
export interface HistoryJson {
  iterationsPerEpoch: number;
  batchSize: number;
  numSamples: number;
  epoch: number[];
  history: Record<string, number[]>;
  iterationLoss: number[];
  iterationLearningRate: number[];
  stopped: { reason: string; epoch: number; iteration: number; message: string } | null;
}

/** The run so far: what earlier sessions recorded (from a checkpoint) followed by this session's. */
export function mergeHistory(previous: HistoryJson | null, context: TrainingContext, options: { completeEpochs: number }): HistoryJson {
  const current = context.history.toJSON() as HistoryJson;
  // An interrupted epoch's averages cover part of an epoch only: they are left out.
  const keepEpochs = Math.max(0, options.completeEpochs - (previous?.epoch.length ?? 0));
  const history: Record<string, number[]> = {};
  const keys = new Set([...Object.keys(previous?.history ?? {}), ...Object.keys(current.history)]);
  for (const key of keys) history[key] = [...(previous?.history[key] ?? []), ...(current.history[key] ?? []).slice(0, keepEpochs)];
  return {
    iterationsPerEpoch: current.iterationsPerEpoch,
    batchSize: current.batchSize,
    numSamples: current.numSamples,
    epoch: [...(previous?.epoch ?? []), ...current.epoch.slice(0, keepEpochs)],
    history,
    iterationLoss: [...(previous?.iterationLoss ?? []), ...current.iterationLoss],
    iterationLearningRate: [...(previous?.iterationLearningRate ?? []), ...current.iterationLearningRate],
    stopped: current.stopped ?? previous?.stopped ?? null,
  };
}

/** Per-epoch logs rebuilt from a history, to bring callbacks (early stopping) back to where a run was. */
export function epochLogs(history: HistoryJson): Logs[] {
  return history.epoch.map((epoch, i) => {
    const metrics: Record<string, number> = {};
    const val: Record<string, number> = {};
    for (const [key, values] of Object.entries(history.history)) {
      const value = values[i]!;
      if (key === 'loss' || key === 'learningRate') continue;
      if (key.startsWith('val_')) val[key.slice(4)] = value;
      else metrics[key] = value;
    }
    return {
      epoch,
      iteration: (i + 1) * history.iterationsPerEpoch,
      batch: history.iterationsPerEpoch - 1,
      loss: history.history.loss?.[i] ?? Number.NaN,
      metrics,
      learningRate: history.history.learningRate?.[i] ?? Number.NaN,
      ...(Object.keys(val).length > 0 ? { val } : {}),
    };
  });
}
