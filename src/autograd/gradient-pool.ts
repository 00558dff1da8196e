/**
 * Reuse of parameter-gradient arrays from one training step to the next.
 *
 * Without it, every step allocates each weight gradient anew (a zero-filled array: 400 KB
 * for a 784×128 layer) and leaves last step's to the garbage collector — at batch size 1
 * that was about a fifth of a step on the native backend. PyTorch avoids it by keeping
 * `.grad` between steps and zeroing it in place, which any code still holding last step's
 * gradient then sees change. Here an array is reused only when it provably has no holder
 * outside the library, so nothing a user can observe changes:
 *
 * - it was made by `gradientArray()` inside a built-in backward function (which returns it
 *   and keeps no reference), or by backward() itself;
 * - backward() adopted it as a leaf's `.grad` under the ownership rules of backward.ts
 *   (returned by exactly one backward function once, not the caller's seed, no tensor's
 *   value), wrapped in a gradient tensor made for that leaf alone;
 * - that gradient tensor was never handed out: the `grad` getter marks every tensor it
 *   returns, for good; the training step's own code (optimizer step, fit's NaN check,
 *   backward's accumulation) reads it through `Tensor._peekGrad`, which keeps nothing;
 * - `Optimizer.zeroGrad()` is dropping it (`releaseGradient`), or backward() has just added
 *   it into an existing `.grad`.
 *
 * A gradient that was read — a callback that logs or keeps `p.grad`, a second parameter set
 * to the same gradient tensor, `gradcheck` — is simply never reused and goes to the garbage
 * collector as before. test/autograd-gradient-pool.test.ts holds each case.
 */
import { Tensor, allocate, type DType, type FloatArray } from '../tensor/tensor.js';

/** Arrays `gradientArray()` handed to a backward function that no backward() has seen returned yet. */
const unreturned = new WeakSet<FloatArray>();
/** Gradient tensors backward() made around arrays only it holds, and the leaf each was made for. */
const ownedGradients = new WeakMap<Tensor, Tensor>();

// Released arrays by length, one stack per dtype. Bounded, so a model that is dropped
// leaves at most this much behind (a step normally takes back everything released).
const MAX_POOLED_BYTES = 64 * 1024 * 1024;
const pooled: Record<DType, Map<number, FloatArray[]>> = { float32: new Map(), float64: new Map() };
let pooledBytes = 0;

/**
 * A new array for a gradient a built-in backward function computes and returns. Its
 * contents are unspecified (last step's gradient when it is a reused one): the caller must
 * write every element, as a matrix product without bias does. The function must return it
 * and keep no reference to it.
 */
export function gradientArray(dtype: DType, size: number): FloatArray {
  const stack = pooled[dtype].get(size);
  const reused = stack?.pop();
  let a: FloatArray;
  if (reused !== undefined) {
    pooledBytes -= reused.byteLength;
    a = reused;
  } else {
    a = allocate(dtype, size);
  }
  unreturned.add(a);
  return a;
}

/**
 * Called by backward() the first time a backward function returns `a` in a pass: true when
 * it came from `gradientArray()` (and this is the only return of it ever counted as such).
 */
export function claimReturned(a: FloatArray): boolean {
  return unreturned.delete(a);
}

/** The gradient tensor backward() makes for `leaf` around an array only it holds. */
export function ownedGradient(leaf: Tensor, data: FloatArray): Tensor {
  const g = new Tensor(data, leaf.shape);
  ownedGradients.set(g, leaf);
  return g;
}

/** Set `p.grad` to null; its array goes back to the pool when provably nobody else holds it. */
export function releaseGradient(p: Tensor): void {
  const g = Tensor._peekGrad(p);
  if (g === null) return;
  p.grad = null;
  if (!Tensor._handedOut(g) && ownedGradients.get(g) === p) {
    ownedGradients.delete(g);
    recycle(g.data);
  }
}

/** Give back an array nobody else holds (backward() after adding it into an existing .grad). */
export function recycle(a: FloatArray): void {
  if (a.length === 0 || pooledBytes + a.byteLength > MAX_POOLED_BYTES) return;
  const byLength = pooled[a instanceof Float64Array ? 'float64' : 'float32'];
  let stack = byLength.get(a.length);
  if (stack === undefined) {
    stack = [];
    byLength.set(a.length, stack);
  }
  stack.push(a);
  pooledBytes += a.byteLength;
}

/** @internal for tests: how many bytes wait in the pool. */
export function pooledGradientBytes(): number {
  return pooledBytes;
}
