/**
 * Optimizer classes: a thin shell over the pure update rules (rules.ts). They hold the
 * parameters, the per-parameter state and the iteration count, and can save/restore it all.
 *
 *   const opt = new Adam(model.parameters(), { learningRate: 1e-3 });
 *   opt.zeroGrad(); loss.backward(); opt.step();
 */
import { releaseGradient } from '../autograd/gradient-pool.js';
import { kernels } from '../backends/registry.js';
import { ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { adamRule, rmspropRule, sgdRule, type AdamHyper, type FusedUpdate, type OptimizerState, type RmspropHyper, type SgdHyper, type UpdateRule } from './rules.js';
import { schedule, type LearningRateSchedule, type ScheduleConfig } from './schedules.js';

export type LearningRate = number | LearningRateSchedule;

export interface OptimizerStateDict {
  type: string;
  iterations: number;
  /** Per parameter (in parameters() order): state arrays as plain number arrays. */
  state: (Record<string, number[]> | null)[];
  learningRate: number | ScheduleConfig;
  hyper: Record<string, number | boolean>;
}

export abstract class Optimizer<H extends object = object> {
  abstract readonly type: string;
  params: Tensor[] = [];
  /** Number of weight updates done so far (the iteration counter). */
  iterations = 0;
  readonly hyper: H;
  learningRate: LearningRate;
  private readonly rule: UpdateRule<H>;
  private states: (OptimizerState | null)[] = [];

  protected constructor(params: Tensor[] | null, learningRate: LearningRate, hyper: H, rule: UpdateRule<H>) {
    if (typeof learningRate === 'number' && !(Number.isFinite(learningRate) && learningRate > 0)) {
      throw new ValueError(`learningRate must be a positive number, got ${learningRate}`);
    }
    this.learningRate = learningRate;
    this.hyper = hyper;
    this.rule = rule;
    if (params !== null) this.attach(params);
  }

  /** Give the optimizer its parameters (fit does this for an optimizer made without them). */
  attach(params: Tensor[]): void {
    this.params = params;
    this.states = params.map(() => null);
  }

  /** The learning rate the next step will use. */
  get currentLearningRate(): number {
    const lr = this.learningRate;
    return typeof lr === 'number' ? lr : lr.at(this.iterations);
  }

  /**
   * Set every parameter's .grad to null, so the next backward() starts from zero. A gradient
   * array no code outside the library ever saw is reused by the next step's backward()
   * instead of being allocated again (autograd/gradient-pool.ts); one you read stays yours.
   */
  zeroGrad(): void {
    for (const p of this.params) releaseGradient(p);
  }

  /** One weight update from the gradients now in .grad (parameters without one are skipped). */
  step(): void {
    const lr = this.currentLearningRate;
    this.iterations++;
    // TypeScript cannot tie the rule's name to H; each optimizer class pairs them (SGD with sgdRule, ...).
    const fused = { rule: this.rule.name, hyper: this.hyper } as FusedUpdate;
    this.params.forEach((p, i) => {
      // _peekGrad: the update only reads the gradient, so it stays reusable (gradient-pool.ts).
      const grad = Tensor._peekGrad(p);
      if (grad === null) return;
      let state = this.states[i];
      if (state == null) {
        state = this.rule.init(p.size);
        this.states[i] = state;
      }
      // A backend may run the rule as one fused pass; the rule here is the reference it must match.
      const g = grad.data;
      if (kernels(p.data, g).optimizerUpdate?.(fused, p.data, g, state, lr, this.iterations) === true) return;
      this.rule.update(p.data, g, state, this.hyper, lr, this.iterations);
    });
  }

  stateDict(): OptimizerStateDict {
    const lr = this.learningRate;
    return {
      type: this.type,
      iterations: this.iterations,
      learningRate: typeof lr === 'number' ? lr : lr.config,
      hyper: { ...(this.hyper as Record<string, number | boolean>) },
      state: this.states.map((s) => (s === null ? null : Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Array.from(v)])))),
    };
  }

  loadStateDict(dict: OptimizerStateDict): void {
    if (dict.type !== this.type) throw new ValueError(`loadStateDict: state is for optimizer '${dict.type}', this one is '${this.type}'`);
    if (dict.state.length !== this.params.length) {
      throw new ValueError(`loadStateDict: state has ${dict.state.length} parameters, the optimizer has ${this.params.length}`);
    }
    this.iterations = dict.iterations;
    this.learningRate = typeof dict.learningRate === 'number' ? dict.learningRate : schedule(dict.learningRate);
    Object.assign(this.hyper, dict.hyper);
    this.states = dict.state.map((s, i) => {
      if (s === null) return null;
      const size = this.params[i]!.size;
      return Object.fromEntries(
        Object.entries(s).map(([k, v]) => {
          if (v.length !== size) throw new ValueError(`loadStateDict: state '${k}' of parameter ${i} has ${v.length} values, expected ${size}`);
          return [k, Float32Array.from(v)];
        }),
      );
    });
  }
}

function check(name: string, v: number, lo: number, hi: number, hiOpen = true): number {
  if (!(v >= lo && (hiOpen ? v < hi : v <= hi))) throw new ValueError(`${name} must be in [${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${v}`);
  return v;
}

export interface SgdOptions {
  learningRate?: LearningRate;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/** Stochastic gradient descent: w ← w − lr·g, optionally with (Nesterov) momentum. */
export class SGD extends Optimizer<SgdHyper> {
  readonly type = 'sgd';
  constructor(params: Tensor[] | null, options: SgdOptions = {}) {
    const momentum = check('momentum', options.momentum ?? 0, 0, 1);
    if (options.nesterov && momentum === 0) throw new ValueError('SGD: nesterov needs a momentum > 0');
    super(params, options.learningRate ?? 0.01, { momentum, nesterov: options.nesterov ?? false, weightDecay: check('weightDecay', options.weightDecay ?? 0, 0, Infinity) }, sgdRule);
  }
}

export interface AdamOptions {
  learningRate?: LearningRate;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

function adamHyper(options: AdamOptions, weightDecay: number, decoupled: boolean): AdamHyper {
  return {
    beta1: check('beta1', options.beta1 ?? 0.9, 0, 1),
    beta2: check('beta2', options.beta2 ?? 0.999, 0, 1),
    epsilon: check('epsilon', options.epsilon ?? 1e-8, 0, Infinity),
    weightDecay: check('weightDecay', weightDecay, 0, Infinity),
    decoupled,
  };
}

/** Adam: momentum on the gradient and per-weight step sizes from its running variance. */
export class Adam extends Optimizer<AdamHyper> {
  readonly type = 'adam';
  constructor(params: Tensor[] | null, options: AdamOptions = {}) {
    super(params, options.learningRate ?? 0.001, adamHyper(options, options.weightDecay ?? 0, false), adamRule);
  }
}

/** AdamW: Adam with weight decay applied to the weights directly (decoupled), default 0.01. */
export class AdamW extends Optimizer<AdamHyper> {
  readonly type = 'adamw';
  constructor(params: Tensor[] | null, options: AdamOptions = {}) {
    super(params, options.learningRate ?? 0.001, adamHyper(options, options.weightDecay ?? 0.01, true), adamRule);
  }
}

export interface RmspropOptions {
  learningRate?: LearningRate;
  rho?: number;
  momentum?: number;
  epsilon?: number;
  weightDecay?: number;
}

/** RMSprop: divide each gradient by a running root-mean-square of its recent values. */
export class RMSprop extends Optimizer<RmspropHyper> {
  readonly type = 'rmsprop';
  constructor(params: Tensor[] | null, options: RmspropOptions = {}) {
    super(
      params,
      options.learningRate ?? 0.001,
      {
        rho: check('rho', options.rho ?? 0.9, 0, 1),
        momentum: check('momentum', options.momentum ?? 0, 0, 1),
        epsilon: check('epsilon', options.epsilon ?? 1e-8, 0, Infinity),
        weightDecay: check('weightDecay', options.weightDecay ?? 0, 0, Infinity),
      },
      rmspropRule,
    );
  }
}

export const optimizerNames = ['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'adamw'] as const;
export type OptimizerName = (typeof optimizerNames)[number];

export interface OptimizerConfig extends SgdOptions, AdamOptions, RmspropOptions {
  type: OptimizerName;
}

/** An optimizer from a name or config: 'adam', { type: 'momentum', learningRate: 0.1 }. */
export function createOptimizer(spec: OptimizerName | OptimizerConfig, params: Tensor[] | null = null): Optimizer {
  const config: OptimizerConfig = typeof spec === 'string' ? { type: spec } : spec;
  switch (config.type) {
    case 'sgd': return new SGD(params, config);
    case 'momentum': return new SGD(params, { ...config, momentum: config.momentum ?? 0.9 });
    case 'nesterov': return new SGD(params, { ...config, momentum: config.momentum ?? 0.9, nesterov: true });
    case 'rmsprop': return new RMSprop(params, config);
    case 'adam': return new Adam(params, config);
    case 'adamw': return new AdamW(params, config);
    default:
      throw new ValueError(`unknown optimizer '${String((config as { type: unknown }).type)}'; choose one of: ${optimizerNames.join(', ')}`);
  }
}
