/**
 * Gradient descent on a surface, one iteration at a time, with the library's own optimizers:
 *   optimizer.zeroGrad(); loss.backward(); optimizer.step();
 * The loss of each step is the batch's; the full loss and the full gradient at every point
 * are measured separately (what the path and the charts show).
 */
import { createOptimizer, DataLoader, sum, tensor, type Optimizer, type OptimizerName, type Tensor } from '../../../src/index.js';
import type { Batch, Surface } from './surfaces.js';
import { classifyTrajectory, finalOutcomes, type Outcome } from './trajectory.js';

export type { Outcome } from './trajectory.js';

export type BatchMode = 'batch' | 'minibatch' | 'stochastic';
export const MINI_BATCH_SIZE = 32;

export interface StepRecord {
  iteration: number;
  /** Parameters before and after the update. */
  before: [number, number];
  after: [number, number];
  /** Gradient of the batch loss used by this update. */
  gradient: [number, number];
  learningRate: number;
  batchLoss: number;
  batchSize: number;
  /** Loss on all the data at the new point. */
  loss: number;
}

/** The optimizer's knobs beyond η: momentum's μ (momentum, Nesterov) and Adam's β₁ and β₂. */
export interface Knobs {
  momentum: number;
  beta1: number;
  /** Adam's memory of squared gradients (Keras' and the library's default 0.999). */
  beta2?: number;
}

export const defaultKnobs: Knobs = { momentum: 0.7, beta1: 0.9, beta2: 0.999 };

/** Loss and gradient of the full loss at a point (no optimizer involved). */
export function lossAndGradient(surface: Surface, w: readonly [number, number]): { loss: number; gradient: [number, number] } {
  const w1 = tensor([w[0]], [1, 1], { requiresGrad: true });
  const w2 = tensor([w[1]], [1, 1], { requiresGrad: true });
  const loss = sum(surface.loss(w1, w2));
  loss.backward();
  return { loss: loss.item(), gradient: [w1.grad!.item(), w2.grad!.item()] };
}

export class Descent {
  readonly w1: Tensor;
  readonly w2: Tensor;
  readonly optimizer: Optimizer;
  readonly steps: StepRecord[] = [];
  /** Full loss at the start and after every step. */
  readonly losses: number[] = [];
  readonly path: [number, number][] = [];
  outcome: Outcome = 'running';
  private readonly loader: DataLoader | null;
  private batches: Iterator<{ x: Tensor; y: Tensor | null }> | null = null;

  constructor(
    readonly surface: Surface,
    start: readonly [number, number],
    readonly optimizerName: OptimizerName,
    readonly learningRate: number,
    readonly batchMode: BatchMode,
    /** Lowest and highest loss on the plotted grid: the scale for "diverged". */
    private readonly lossRange: readonly [number, number],
    seed = 1,
    readonly knobs: Knobs = defaultKnobs,
  ) {
    this.w1 = tensor([start[0]], [1, 1], { requiresGrad: true });
    this.w2 = tensor([start[1]], [1, 1], { requiresGrad: true });
    const extra = optimizerName === 'momentum' || optimizerName === 'nesterov' ? { momentum: knobs.momentum } : optimizerName === 'adam' ? { beta1: knobs.beta1, beta2: knobs.beta2 ?? 0.999 } : {};
    this.optimizer = createOptimizer({ type: optimizerName, learningRate, ...extra }, [this.w1, this.w2]);
    const data = surface.data;
    this.loader =
      data === undefined
        ? null
        : new DataLoader(data.x, data.y, { batchSize: batchMode === 'batch' ? 'full' : batchMode === 'stochastic' ? 1 : MINI_BATCH_SIZE, shuffle: true, seed });
    this.path.push([start[0], start[1]]);
    this.losses.push(lossAndGradient(surface, start).loss);
  }

  get point(): [number, number] {
    return [this.w1.item(), this.w2.item()];
  }

  get iteration(): number {
    return this.optimizer.iterations;
  }

  /** Batches per epoch (1 for a surface without data). */
  get iterationsPerEpoch(): number {
    return this.loader?.iterationsPerEpoch ?? 1;
  }

  get batchSize(): number {
    return this.loader?.batchSize ?? 1;
  }

  private nextBatch(): Batch | undefined {
    if (this.loader === null) return undefined;
    let next = this.batches?.next();
    if (next === undefined || next.done) {
      // A new epoch: a fresh shuffled order of the samples.
      this.batches = this.loader[Symbol.iterator]();
      next = this.batches.next();
    }
    const batch = next.value as { x: Tensor; y: Tensor };
    return { x: batch.x, y: batch.y };
  }

  /** One iteration: the gradient of one batch's loss, one update. */
  step(): StepRecord {
    const before = this.point;
    const batch = this.nextBatch();
    const learningRate = this.optimizer.currentLearningRate;
    const batchLoss = sum(this.surface.loss(this.w1, this.w2, batch));
    this.optimizer.zeroGrad();
    batchLoss.backward();
    const gradient: [number, number] = [this.w1.grad!.item(), this.w2.grad!.item()];
    this.optimizer.step();
    const after = this.point;
    // The full loss and gradient at the new point: the loss is recorded, the gradient judged.
    const full = lossAndGradient(this.surface, after);
    const loss = full.loss;
    const record: StepRecord = {
      iteration: this.optimizer.iterations,
      before,
      after,
      gradient,
      learningRate,
      batchLoss: batchLoss.item(),
      batchSize: batch?.x.shape[0] ?? 1,
      loss,
    };
    this.steps.push(record);
    this.losses.push(loss);
    this.path.push(after);
    const outcome = this.judge(record, full.gradient);
    // Noise, once seen, stays named: a lucky stretch of batches does not make the path converge.
    this.outcome = this.outcome === 'noisy' && outcome === 'running' ? 'noisy' : outcome;
    return record;
  }

  /** Named from the path so far; `fullGradient` is at record.after. */
  private judge(_record: StepRecord, fullGradient: [number, number]): Outcome {
    const [d1, d2] = this.surface.domain;
    return classifyTrajectory({
      losses: this.losses,
      path: this.path,
      gradientNorm: Math.hypot(...fullGradient),
      lossRange: this.lossRange,
      domainSize: Math.max(d1[1] - d1[0], d2[1] - d2[0]),
      exactGradient: this.loader === null || this.batchMode === 'batch',
      adaptive: this.optimizerName === 'rmsprop' || this.optimizerName === 'adam',
    });
  }

  /** Steps until the path reaches an outcome that more iterations would not change (or `limit`). */
  runToEnd(limit: number): Outcome {
    while (this.iteration < limit && !finalOutcomes.has(this.outcome)) this.step();
    return this.outcome;
  }
}
