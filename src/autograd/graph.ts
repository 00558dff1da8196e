/**
 * Recording the dynamic graph: each op calls `record` with its inputs and a backward
 * closure; nothing is recorded inside noGrad() or when no input requires a gradient.
 */
import { Tensor, type FloatArray, type GraphNode } from '../tensor/tensor.js';

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Run `fn` without recording a graph (inference, weight updates, metrics). */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * The output tensor of an op, wired into the graph when a gradient will be needed.
 * `backward` must return, per input, either a new array or one it was given (its incoming
 * gradient, passed on): backward() may keep a returned array as a parameter's .grad when
 * nothing else holds it, so a closure must never return a buffer it keeps and reuses.
 */
export function record(
  data: FloatArray,
  shape: readonly number[],
  op: string,
  inputs: readonly Tensor[],
  backward: GraphNode['backward'],
): Tensor {
  const out = new Tensor(data, shape);
  if (gradEnabled && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out._node = { op, inputs, backward };
  }
  return out;
}
