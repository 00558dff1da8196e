/**
 * Learning-rate schedules: the learning rate as a function of the iteration (one weight
 * update = one iteration, counted from 0). Each is plain data plus `at()`, so it can be saved.
 */
import { ValueError } from '../errors.js';
import { checkOptionKeys } from '../options.js';

/** The keys each schedule type reads: any other key is a mistake (decay_steps, gama), named. */
const SCHEDULE_KEYS: Readonly<Record<ScheduleConfig['type'], readonly string[]>> = {
  constant: ['type', 'learningRate'],
  step: ['type', 'learningRate', 'stepSize', 'gamma'],
  exponential: ['type', 'learningRate', 'decaySteps', 'decayRate'],
  cosine: ['type', 'learningRate', 'decaySteps', 'alpha'],
  warmup: ['type', 'warmupSteps', 'after'],
};

export type ScheduleConfig =
  | { type: 'constant'; learningRate: number }
  | { type: 'step'; learningRate: number; stepSize: number; gamma: number }
  | { type: 'exponential'; learningRate: number; decaySteps: number; decayRate: number }
  | { type: 'cosine'; learningRate: number; decaySteps: number; alpha: number }
  | { type: 'warmup'; warmupSteps: number; after: ScheduleConfig };

export interface LearningRateSchedule {
  readonly config: ScheduleConfig;
  at(iteration: number): number;
}

function positive(name: string, v: number, allowZero = false): number {
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new ValueError(`learning-rate schedule: ${name} must be ${allowZero ? 'non-negative' : 'positive'}, got ${v}`);
  }
  return v;
}

export function schedule(config: ScheduleConfig): LearningRateSchedule {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ValueError(`learning-rate schedule: expected an object like { type: 'step', learningRate: 0.1, stepSize: 100, gamma: 0.5 }, got ${Array.isArray(config) ? 'an array' : String(config)}`);
  }
  const keys = Object.hasOwn(SCHEDULE_KEYS, config.type) ? SCHEDULE_KEYS[config.type] : undefined;
  if (keys !== undefined) checkOptionKeys(`learning-rate schedule '${config.type}'`, config, keys);
  switch (config.type) {
    case 'constant': {
      const lr = positive('learningRate', config.learningRate);
      return { config, at: () => lr };
    }
    case 'step': {
      // Multiply by gamma every stepSize iterations (staircase).
      const { learningRate, stepSize, gamma } = config;
      positive('learningRate', learningRate);
      positive('stepSize', stepSize);
      positive('gamma', gamma);
      return { config, at: (t) => learningRate * Math.pow(gamma, Math.floor(t / stepSize)) };
    }
    case 'exponential': {
      const { learningRate, decaySteps, decayRate } = config;
      positive('learningRate', learningRate);
      positive('decaySteps', decaySteps);
      positive('decayRate', decayRate);
      return { config, at: (t) => learningRate * Math.pow(decayRate, t / decaySteps) };
    }
    case 'cosine': {
      // Half a cosine from learningRate down to alpha·learningRate over decaySteps, then flat.
      const { learningRate, decaySteps, alpha } = config;
      positive('learningRate', learningRate);
      positive('decaySteps', decaySteps);
      positive('alpha', alpha, true);
      return {
        config,
        at: (t) => {
          const progress = Math.min(t, decaySteps) / decaySteps;
          return learningRate * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * progress)) + alpha);
        },
      };
    }
    case 'warmup': {
      // Ramp linearly up to the wrapped schedule's value: big early steps on random weights diverge.
      const warmupSteps = positive('warmupSteps', config.warmupSteps);
      const after = schedule(config.after);
      return {
        config,
        at: (t) => (t < warmupSteps ? (after.at(0) * (t + 1)) / warmupSteps : after.at(t - warmupSteps)),
      };
    }
    default:
      throw new ValueError(`unknown learning-rate schedule '${(config as { type: string }).type}'; use constant, step, exponential, cosine or warmup`);
  }
}

export const constantLR = (learningRate: number) => schedule({ type: 'constant', learningRate });
export const stepDecay = (learningRate: number, stepSize: number, gamma = 0.1) => schedule({ type: 'step', learningRate, stepSize, gamma });
export const exponentialDecay = (learningRate: number, decaySteps: number, decayRate: number) =>
  schedule({ type: 'exponential', learningRate, decaySteps, decayRate });
export const cosineDecay = (learningRate: number, decaySteps: number, alpha = 0) => schedule({ type: 'cosine', learningRate, decaySteps, alpha });
export const linearWarmup = (warmupSteps: number, after: LearningRateSchedule) => schedule({ type: 'warmup', warmupSteps, after: after.config });
