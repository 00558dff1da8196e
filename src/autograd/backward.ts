/** Reverse-mode automatic differentiation: topological order, then chain rule backwards. */
import { GradienteError, ValueError, formatShape } from '../errors.js';
import { Tensor, allocate, dtypeOf, type FloatArray } from '../tensor/tensor.js';
import { claimReturned, gradientArray, ownedGradient, recycle } from './gradient-pool.js';

export interface BackwardOptions {
  /** Keep the graph so backward() can run through it again (default false: memory is freed). */
  retainGraph?: boolean;
}

/**
 * Results of ops whose graph an earlier backward() freed. Without this mark such a tensor
 * looks like a leaf: a second backward() through it would silently stop there (store a
 * .grad on it and leave the parameters untouched) instead of saying what went wrong.
 * Weak, so marking never keeps a tensor alive.
 */
const freedGraphs = new WeakSet<Tensor>();

export function backward(root: Tensor, seed?: Tensor, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new GradienteError(
      'backward(): this tensor does not depend on anything that requires a gradient. ' +
        'Layer parameters require one; for your own tensors create them with { requiresGrad: true }.',
    );
  }
  let seedData: FloatArray;
  if (seed === undefined) {
    if (root.size !== 1) {
      throw new ValueError(
        `backward(): the tensor has shape ${formatShape(root.shape)}, not a single value; ` +
          'reduce it to a scalar loss first (e.g. mean()) or pass a seed gradient of the same shape: backward(seed)',
      );
    }
    seedData = allocate(root.dtype, 1).fill(1);
  } else {
    if (seed.size !== root.size) {
      throw new ValueError(`backward(): seed gradient of shape ${formatShape(seed.shape)} does not match the tensor's shape ${formatShape(root.shape)}`);
    }
    seedData = seed.data;
  }

  const order = topologicalOrder(root);
  const grads = new Map<Tensor, FloatArray>([[root, seedData]]);
  const owner = new ArrayOwnership(seedData);
  const leafGrads: [Tensor, FloatArray][] = [];
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i]!;
    const g = grads.get(t);
    if (g === undefined) continue;
    grads.delete(t);
    const node = t._node;
    if (node === null) {
      // Stored after the pass: only then is it known whether g is shared with anything.
      if (t.requiresGrad) leafGrads.push([t, g]);
      continue;
    }
    owner.forward(t, node.inputs);
    const inputGrads = node.backward(g);
    node.inputs.forEach((input, j) => {
      const gi = inputGrads[j];
      if (gi === null || gi === undefined) return;
      owner.returned(gi);
      if (!input.requiresGrad) return;
      const existing = grads.get(input);
      // NOTE: never add in place: a backward closure may hand the same array to several inputs.
      grads.set(input, existing === undefined ? gi : owner.fresh(addArrays(existing, gi)));
    });
    if (!options.retainGraph) {
      t._node = null;
      freedGraphs.add(t);
    }
  }
  for (const [t, g] of leafGrads) accumulateLeaf(t, g, owner);
}

/**
 * Which gradient arrays of one backward() pass a leaf may keep as its .grad without a copy.
 * Copying every parameter's gradient into a new zeroed array was a sizeable part of a small
 * step (batch size 1), so an array is adopted when it is provably the leaf's alone: a
 * backward closure returned it exactly once in the whole pass (a closure that passes its
 * incoming gradient on, like add's or reshape's, makes that array seen twice), it is not
 * the seed the caller passed, and it is no tensor's value (reshape's output shares its
 * input's data). Anything else is copied, as before. This relies on the contract of
 * record(): the arrays a closure returns are new or are arrays it was given, never a buffer
 * it keeps and returns again.
 */
class ArrayOwnership {
  // Weak, so an intermediate gradient or a freed graph's values can still be collected mid-pass.
  private readonly seen = new WeakMap<FloatArray, number>();
  private readonly values = new WeakSet<FloatArray>();

  constructor(private readonly seed: FloatArray) {}

  /** The values around one op: a gradient that is one of them must not become a .grad. */
  forward(out: Tensor, inputs: readonly Tensor[]): void {
    this.values.add(out.data);
    for (const input of inputs) this.values.add(input.data);
  }

  returned(a: FloatArray): void {
    const count = this.seen.get(a);
    if (count === undefined && claimReturned(a)) this.internal.add(a);
    this.seen.set(a, (count ?? 0) + 1);
  }

  /** An array backward() itself allocated (a sum of two contributions). */
  fresh(a: FloatArray): FloatArray {
    this.seen.set(a, 1);
    this.internal.add(a);
    return a;
  }

  adoptable(a: FloatArray): boolean {
    return a !== this.seed && this.seen.get(a) === 1 && !this.values.has(a);
  }

  /**
   * Adoptable, and made by gradientArray() or by backward() itself rather than by a backward
   * function that might keep it: no code outside the library holds it (gradient-pool.ts).
   */
  ownedByLibrary(a: FloatArray): boolean {
    return this.internal.has(a) && this.adoptable(a);
  }

  private readonly internal = new WeakSet<FloatArray>();
}

function topologicalOrder(root: Tensor): Tensor[] {
  // Checked for every tensor before any gradient is stored, so a refused call changes nothing.
  const refuseFreed = (t: Tensor): void => {
    if (freedGraphs.has(t)) {
      throw new GradienteError(
        'backward(): part of this graph was already freed by an earlier backward(). ' +
          'Compute the loss again (a new forward pass) for each backward(), pass { retainGraph: true } to the ' +
          'earlier backward() to go through the same graph twice, or detach() a result you reuse as an input.',
      );
    }
  };
  refuseFreed(root);
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS: deep graphs (long unrolled loops) must not overflow the call stack.
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, next] = top;
    const inputs = t._node?.inputs ?? [];
    if (next < inputs.length) {
      top[1] = next + 1;
      const child = inputs[next]!;
      if (child.requiresGrad && !visited.has(child)) {
        refuseFreed(child);
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

function accumulateLeaf(t: Tensor, g: FloatArray, owner: ArrayOwnership): void {
  // _peekGrad: reading .grad here hands it to no one, so it stays reusable (gradient-pool.ts).
  const existing = Tensor._peekGrad(t);
  if (existing === null) {
    const sameType = t.dtype === 'float64' ? g instanceof Float64Array : g instanceof Float32Array;
    if (sameType && g.length === t.size && owner.adoptable(g)) {
      t.grad = owner.ownedByLibrary(g) ? ownedGradient(t, g) : new Tensor(g, t.shape);
      return;
    }
    // A copy into an array only this .grad holds (every element is written: a reused one is fine).
    const owned = g.length === t.size ? gradientArray(t.dtype, t.size) : allocate(t.dtype, t.size);
    claimReturned(owned);
    owned.set(g);
    t.grad = ownedGradient(t, owned);
  } else {
    const d = existing.data;
    for (let i = 0; i < d.length; i++) d[i]! += g[i]!;
    // Added in: if nobody else holds g, the next step can reuse it.
    if (owner.ownedByLibrary(g)) recycle(g);
  }
}

function addArrays(a: FloatArray, b: FloatArray): FloatArray {
  // Every element is written below, so an array from the pool is as good as a zeroed one.
  const out = gradientArray(dtypeOf(a, b), a.length);
  claimReturned(out);
  for (let i = 0; i < out.length; i++) out[i] = a[i]! + b[i]!;
  return out;
}
