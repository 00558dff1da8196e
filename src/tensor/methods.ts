/**
 * Method-call style for the ops (x.matmul(w).add(b).relu().mean().backward()), as in
 * PyTorch. The ops stay free functions in ops/; this file only wires them onto Tensor.
 */
import * as act from '../activations/index.js';
import { backward, type BackwardOptions } from '../autograd/backward.js';
import * as ew from '../ops/elementwise.js';
import * as mm from '../ops/matmul.js';
import * as red from '../ops/reduce.js';
import * as sh from '../ops/shape.js';
import type { TensorLike } from '../ops/util.js';
import { Tensor } from './tensor.js';

declare module './tensor.js' {
  interface Tensor {
    backward(seed?: Tensor, options?: BackwardOptions): void;
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(other: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    square(): Tensor;
    clip(low: number, high: number): Tensor;
    sum(axis?: red.Axis, keepDims?: boolean): Tensor;
    mean(axis?: red.Axis, keepDims?: boolean): Tensor;
    max(axis?: red.Axis, keepDims?: boolean): Tensor;
    reshape(shape: readonly number[]): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    matmul(other: Tensor, options?: mm.MatmulOptions): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    relu(): Tensor;
    softmax(): Tensor;
    logSoftmax(): Tensor;
  }
}

const p = Tensor.prototype;
p.backward = function (this: Tensor, seed?: Tensor, options?: BackwardOptions) { backward(this, seed, options); };
p.add = function (this: Tensor, o: TensorLike) { return ew.add(this, o); };
p.sub = function (this: Tensor, o: TensorLike) { return ew.sub(this, o); };
p.mul = function (this: Tensor, o: TensorLike) { return ew.mul(this, o); };
p.div = function (this: Tensor, o: TensorLike) { return ew.div(this, o); };
p.pow = function (this: Tensor, o: TensorLike) { return ew.pow(this, o); };
p.maximum = function (this: Tensor, o: TensorLike) { return ew.maximum(this, o); };
p.minimum = function (this: Tensor, o: TensorLike) { return ew.minimum(this, o); };
p.neg = function (this: Tensor) { return ew.neg(this); };
p.exp = function (this: Tensor) { return ew.exp(this); };
p.log = function (this: Tensor) { return ew.log(this); };
p.sqrt = function (this: Tensor) { return ew.sqrt(this); };
p.abs = function (this: Tensor) { return ew.abs(this); };
p.square = function (this: Tensor) { return ew.square(this); };
p.clip = function (this: Tensor, lo: number, hi: number) { return ew.clip(this, lo, hi); };
p.sum = function (this: Tensor, axis?: red.Axis, keepDims?: boolean) { return red.sum(this, axis, keepDims); };
p.mean = function (this: Tensor, axis?: red.Axis, keepDims?: boolean) { return red.mean(this, axis, keepDims); };
p.max = function (this: Tensor, axis?: red.Axis, keepDims?: boolean) { return red.max(this, axis, keepDims); };
p.reshape = function (this: Tensor, shape: readonly number[]) { return sh.reshape(this, shape); };
p.transpose = function (this: Tensor, perm?: readonly number[]) { return sh.transpose(this, perm); };
p.matmul = function (this: Tensor, o: Tensor, options?: mm.MatmulOptions) { return mm.matmul(this, o, options); };
p.sigmoid = function (this: Tensor) { return act.sigmoid(this); };
p.tanh = function (this: Tensor) { return act.tanh(this); };
p.relu = function (this: Tensor) { return act.relu(this); };
p.softmax = function (this: Tensor) { return act.softmax(this); };
p.logSoftmax = function (this: Tensor) { return act.logSoftmax(this); };
