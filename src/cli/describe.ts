/** Sentences that say what a run is about to do, in the course's words. */
import { createHash } from 'node:crypto';
import type { Sequential } from '../node.js';
import type { TrainSettings } from './settings.js';
import type { TaskPlan } from './task.js';

/** "1 iteration", "23 iterations". */
export function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function gradientDescentKind(batchSize: number, samples: number): string {
  if (batchSize >= samples) return 'batch gradient descent: every iteration sees all samples';
  if (batchSize === 1) return 'stochastic gradient descent: one sample per iteration';
  return 'mini-batch gradient descent';
}

export function architecture(settings: Pick<TrainSettings, 'layers' | 'activation'>, plan: Pick<TaskPlan, 'outputUnits' | 'outputActivation'>, inputDim: number): string {
  const hidden = settings.layers.map((units, i) => `Dense(${units}, ${settings.activation.length === 1 ? settings.activation[0] : settings.activation[i]})`);
  return [`${inputDim} inputs`, ...hidden, `Dense(${plan.outputUnits}, ${plan.outputActivation})`].join(' → ');
}

export function learningRateText(settings: Pick<TrainSettings, 'lr' | 'lrSchedule'>): string {
  return settings.lrSchedule === 'constant' ? `learning rate ${settings.lr}` : `learning rate ${settings.lr} (${settings.lrSchedule} schedule)`;
}

/** SHA-256 of every weight (float32 bytes, in namedParameters order): equal iff the models are bit-identical. */
export function weightsChecksum(model: Sequential): string {
  const hash = createHash('sha256');
  for (const [name, p] of model.namedParameters()) {
    hash.update(name);
    const data = p.data instanceof Float32Array ? p.data : Float32Array.from(p.data);
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex');
}

export function weightsAreFinite(model: Sequential): boolean {
  for (const p of model.parameters()) for (const v of p.data) if (!Number.isFinite(v)) return false;
  return true;
}

/** How to run this again, for config.json and the report. */
export function commandLine(argv: readonly string[]): string {
  return ['gradiente', ...argv.slice(2)].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
