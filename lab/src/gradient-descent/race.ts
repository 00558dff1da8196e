/**
 * Side-by-side races on one surface from one start: gradient descent, momentum and Adam with the
 * same η, or batch, mini-batch and stochastic descent on Auto MPG. Engine only (no DOM).
 */
import { okabeIto } from '../common/colors.js';
import type { MessageKey } from '../common/i18n.js';
import { Descent, type BatchMode } from './descent.js';
import type { LossGrid } from './heatmap.js';
import type { Surface } from './surfaces.js';
import { finalOutcomes } from './trajectory.js';

export type RaceKind = 'optimizers' | 'batches';
export const raceKinds: readonly RaceKind[] = ['optimizers', 'batches'];

export interface Racer {
  id: string;
  label: MessageKey;
  color: string;
  dash: number[];
  descent: Descent;
}

const looks = [
  { color: okabeIto.orange, dash: [] as number[] },
  { color: okabeIto.sky, dash: [9, 5] },
  { color: okabeIto.vermillion, dash: [2, 4] },
];

/** The racers of a kind, from `start` on `surface` with η = `learningRate`. */
export function makeRacers(kind: RaceKind, surface: Surface, grid: LossGrid, start: readonly [number, number], learningRate: number): Racer[] {
  const range: [number, number] = [grid.min, grid.max];
  if (kind === 'optimizers') {
    return (['sgd', 'momentum', 'adam'] as const).map((name, k) => ({
      id: name,
      label: `optimizer.${name}` as MessageKey,
      ...looks[k]!,
      descent: new Descent(surface, start, name, learningRate, 'batch', range),
    }));
  }
  return (['batch', 'minibatch', 'stochastic'] as const satisfies readonly BatchMode[]).map((mode, k) => ({
    id: mode,
    label: `gd.batch.${mode}` as MessageKey,
    ...looks[k]!,
    // The same seed: every racer sees the samples in the same shuffled order.
    descent: new Descent(surface, start, 'sgd', learningRate, mode, range, 1),
  }));
}

/** Finished, or named as SGD noise (it would bounce around the minimum until the limit). */
export function racerDone(racer: Racer, limit: number): boolean {
  return finalOutcomes.has(racer.descent.outcome) || racer.descent.outcome === 'noisy' || racer.descent.iteration >= limit;
}

/** One iteration for every racer still running: they move in lockstep, iteration for iteration. */
export function raceStep(racers: readonly Racer[], limit: number): boolean {
  let moved = false;
  for (const r of racers) {
    if (racerDone(r, limit)) continue;
    r.descent.step();
    moved = true;
  }
  return moved;
}
