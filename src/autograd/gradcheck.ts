/**
 * gradcheck: compare the analytic gradient from backward() with central finite differences,
 * both computed in float64 so rounding does not hide (or fake) a wrong derivative.
 */
import { ValueError } from '../errors.js';
import { Random } from '../tensor/random.js';
import { Tensor, allocate } from '../tensor/tensor.js';
import { backward } from './backward.js';
import { noGrad } from './graph.js';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-4). */
  rtol?: number;
}

export interface GradcheckInputReport {
  index: number;
  maxAbsError: number;
  maxRelError: number;
  analytic: Float64Array;
  numeric: Float64Array;
}

export interface GradcheckReport {
  ok: boolean;
  maxAbsError: number;
  maxRelError: number;
  inputs: GradcheckInputReport[];
}

/**
 * Check d(fn)/d(input) for every input. A non-scalar output is projected onto a fixed random
 * direction v (checking vᵀJ), which catches a wrong entry of the Jacobian with certainty
 * for almost every v.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckReport {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-4 } = options;
  const xs = inputs.map((t) => new Tensor(Float64Array.from(t.data), t.shape, true));
  const first = fn(...xs);
  if (!(first instanceof Tensor)) throw new ValueError('gradcheck: fn must return a Tensor');
  const random = new Random(1234);
  const v = new Float64Array(first.size);
  for (let i = 0; i < v.length; i++) v[i] = first.size === 1 ? 1 : random.uniform() * 2 - 1;
  if (!first.requiresGrad) throw new ValueError('gradcheck: the output does not depend on any input');
  backward(first, new Tensor(v, first.shape));

  const project = (): number =>
    noGrad(() => {
      const out = fn(...xs);
      let s = 0;
      for (let i = 0; i < out.size; i++) s += out.data[i]! * v[i]!;
      return s;
    });

  const reports: GradcheckInputReport[] = xs.map((x, index) => {
    const analytic = x.grad ? Float64Array.from(x.grad.data) : new Float64Array(x.size);
    const numeric = new Float64Array(x.size);
    const d = x.data as Float64Array;
    for (let i = 0; i < d.length; i++) {
      const orig = d[i]!;
      d[i] = orig + eps;
      const plus = project();
      d[i] = orig - eps;
      const minus = project();
      d[i] = orig;
      numeric[i] = (plus - minus) / (2 * eps);
    }
    let maxAbsError = 0;
    let maxRelError = 0;
    for (let i = 0; i < numeric.length; i++) {
      const err = Math.abs(analytic[i]! - numeric[i]!);
      maxAbsError = Math.max(maxAbsError, err);
      maxRelError = Math.max(maxRelError, err / Math.max(Math.abs(numeric[i]!), 1e-12));
    }
    return { index, maxAbsError, maxRelError, analytic, numeric };
  });
  const ok = reports.every((r) => r.analytic.every((a, i) => Math.abs(a - r.numeric[i]!) <= atol + rtol * Math.abs(r.numeric[i]!)));
  return {
    ok,
    maxAbsError: Math.max(0, ...reports.map((r) => r.maxAbsError)),
    maxRelError: Math.max(0, ...reports.map((r) => r.maxRelError)),
    inputs: reports,
  };
}

/** A float64 copy of a tensor (gradcheck inputs, precise references). */
export function toFloat64(t: Tensor): Tensor {
  const d = allocate('float64', t.size);
  d.set(t.data);
  return new Tensor(d, t.shape, t.requiresGrad);
}
