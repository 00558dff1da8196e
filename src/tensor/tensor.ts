/**
 * Tensor: a shape, a flat row-major Float32Array (Float64Array for gradcheck), and the
 * bookkeeping automatic differentiation needs. No math kernels live here.
 *
 * Shape letters used across the code: N batch, D input features, H hidden units, C classes.
 */
import { GradienteError, ValueError, formatShape } from '../errors.js';

export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

/** One recorded operation: how to send the output's gradient back to its inputs. */
export interface GraphNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** Given dL/d(output), return dL/d(input) for each input (null where not needed). */
  readonly backward: (gradOutput: FloatArray) => (FloatArray | null)[];
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The dtype of a result computed from these arrays: float64 if either is. */
export function dtypeOf(a: FloatArray, b?: FloatArray): DType {
  return a instanceof Float64Array || b instanceof Float64Array ? 'float64' : 'float32';
}

export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

export function checkShape(shape: readonly number[], where: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ValueError(`${where}: shape ${formatShape(shape)} has a dimension that is not a non-negative integer`);
    }
  }
}

export class Tensor {
  readonly shape: readonly number[];
  readonly data: FloatArray;
  requiresGrad: boolean;
  // The gradient, and (on a gradient tensor) whether `grad` ever handed it out: one that
  // never left the library can have its array reused for the next step's gradient
  // (autograd/gradient-pool.ts); one that was handed out never is.
  #grad: Tensor | null = null;
  #handedOut = false;
  /** @internal the operation that produced this tensor, while the graph is alive. */
  _node: GraphNode | null = null;

  constructor(data: FloatArray, shape: readonly number[], requiresGrad = false) {
    checkShape(shape, 'Tensor');
    if (data.length !== sizeOf(shape)) {
      throw new ValueError(`Tensor: ${data.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} needed)`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.requiresGrad = requiresGrad;
  }

  /** dL/d(this), filled by backward() on leaves that require it; accumulates until zeroed. */
  get grad(): Tensor | null {
    const g = this.#grad;
    if (g !== null) g.#handedOut = true;
    return g;
  }

  set grad(g: Tensor | null) {
    this.#grad = g;
  }

  /** @internal `t.grad` without handing it out: only for library code that neither keeps it nor passes it on. */
  static _peekGrad(t: Tensor): Tensor | null {
    return t.#grad;
  }

  /** @internal whether the `grad` getter ever returned this (gradient) tensor. */
  static _handedOut(g: Tensor): boolean {
    return g.#handedOut;
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** True for tensors the user made (parameters, inputs); false for results of ops. */
  get isLeaf(): boolean {
    return this._node === null;
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(`item(): tensor of shape ${formatShape(this.shape)} has ${this.size} values, item() needs exactly 1`);
    }
    return this.data[0]!;
  }

  /** Nested JavaScript arrays (a number for a scalar). */
  toArray(): unknown {
    if (this.rank === 0) return this.data[0];
    const build = (dim: number, offset: number): unknown[] => {
      const n = this.shape[dim]!;
      const stride = sizeOf(this.shape.slice(dim + 1));
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) {
        out.push(dim === this.rank - 1 ? this.data[offset + i] : build(dim + 1, offset + i * stride));
      }
      return out;
    };
    return build(0, 0);
  }

  /** A new tensor with the same values, detached from the graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false);
  }

  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape, this.requiresGrad);
  }

  /** Set the gradient to null (the next backward() starts from zero). */
  zeroGrad(): void {
    this.grad = null;
  }

  toString(): string {
    const preview = Array.from(this.data.slice(0, 8), (v) => Number(v.toPrecision(5)));
    return `Tensor(shape=${formatShape(this.shape)}, dtype=${this.dtype}, data=[${preview.join(', ')}${this.size > 8 ? ', ...' : ''}])`;
  }
}

export function assertTensor(value: unknown, where: string): asserts value is Tensor {
  if (!(value instanceof Tensor)) {
    throw new GradienteError(`${where}: expected a Tensor, got ${value === null ? 'null' : typeof value}`);
  }
}
