/**
 * The pure core of each optimizer: `init` makes a parameter's state, `update` applies one
 * step given the parameter, its gradient, the state and the hyper-parameters. No hidden
 * state anywhere: everything an update depends on is an argument (so it saves and resumes).
 * Formulas follow PyTorch's torch.optim, and are checked against it in test/golden.
 */
import type { FloatArray } from '../tensor/tensor.js';

export type OptimizerState = Record<string, FloatArray>;

/** A rule and its hyper-parameters, as a backend's fused update receives them. */
export type FusedUpdate =
  | { rule: 'sgd'; hyper: SgdHyper }
  | { rule: 'adam'; hyper: AdamHyper }
  | { rule: 'rmsprop'; hyper: RmspropHyper };

export interface UpdateRule<H> {
  /** Which rule this is, for a backend that has it as one fused pass (Backend.optimizerUpdate). */
  readonly name: FusedUpdate['rule'];
  init(size: number): OptimizerState;
  /** `step` counts from 1 (Adam's bias correction needs it). */
  update(param: FloatArray, grad: FloatArray, state: OptimizerState, hyper: H, learningRate: number, step: number): void;
}

export interface SgdHyper {
  momentum: number;
  nesterov: boolean;
  /** L2 penalty added to the gradient: g + weightDecay·w. */
  weightDecay: number;
}

export const sgdRule: UpdateRule<SgdHyper> = {
  name: 'sgd',
  init: (size) => ({ velocity: new Float32Array(size) }),
  update(w, g, state, { momentum, nesterov, weightDecay }, lr) {
    if (momentum === 0 && weightDecay === 0) {
      // Plain gradient descent, the course's w ← w − η·g: a loop with nothing else in it runs
      // about a third faster, which shows at batch size 1 where the update is a large share of a step.
      for (let i = 0; i < w.length; i++) w[i]! -= lr * g[i]!;
      return;
    }
    const v = state.velocity!;
    for (let i = 0; i < w.length; i++) {
      let d = g[i]! + weightDecay * w[i]!;
      if (momentum !== 0) {
        v[i] = momentum * v[i]! + d;
        d = nesterov ? d + momentum * v[i]! : v[i]!;
      }
      w[i]! -= lr * d;
    }
  },
};

export interface AdamHyper {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Adam: L2 added to the gradient. AdamW: decoupled, w ← w − lr·weightDecay·w. */
  weightDecay: number;
  decoupled: boolean;
}

export const adamRule: UpdateRule<AdamHyper> = {
  name: 'adam',
  init: (size) => ({ m: new Float32Array(size), v: new Float32Array(size) }),
  update(w, g, state, { beta1, beta2, epsilon, weightDecay, decoupled }, lr, step) {
    const m = state.m!;
    const v = state.v!;
    const correction1 = 1 - Math.pow(beta1, step);
    const sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, step));
    const stepSize = lr / correction1;
    for (let i = 0; i < w.length; i++) {
      let gi = g[i]!;
      if (weightDecay !== 0) {
        if (decoupled) w[i]! *= 1 - lr * weightDecay;
        else gi += weightDecay * w[i]!;
      }
      m[i] = beta1 * m[i]! + (1 - beta1) * gi;
      v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
      w[i]! -= (stepSize * m[i]!) / (Math.sqrt(v[i]!) / sqrtCorrection2 + epsilon);
    }
  },
};

export interface RmspropHyper {
  /** Decay of the running average of squared gradients. */
  rho: number;
  momentum: number;
  epsilon: number;
  weightDecay: number;
}

export const rmspropRule: UpdateRule<RmspropHyper> = {
  name: 'rmsprop',
  init: (size) => ({ meanSquare: new Float32Array(size), velocity: new Float32Array(size) }),
  update(w, g, state, { rho, momentum, epsilon, weightDecay }, lr) {
    const s = state.meanSquare!;
    const buf = state.velocity!;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]! + weightDecay * w[i]!;
      s[i] = rho * s[i]! + (1 - rho) * gi * gi;
      const d = gi / (Math.sqrt(s[i]!) + epsilon);
      if (momentum !== 0) {
        buf[i] = momentum * buf[i]! + d;
        w[i]! -= lr * buf[i]!;
      } else {
        w[i]! -= lr * d;
      }
    }
  },
};
