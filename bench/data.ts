/**
 * The data every library trains on: Fashion-MNIST when its IDX files are installed, else
 * the built-in MNIST digits. The training rows are shuffled once here, with a fixed seed,
 * and every library then trains on them in that order without shuffling, from the same
 * initial weights: so the final losses of the libraries must agree, and they check that
 * each one really ran the same computation.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FASHION_MNIST_DIR, Dense, Random, Sequential, loadFashionMnist, loadMnist, manualSeed } from '../src/node.js';
import type { Workload } from './types.js';

export interface BenchData {
  name: string;
  inputs: number;
  classes: number;
  trainCount: number;
  /** [trainCount × inputs], pixel values in [0, 1], in training order. */
  xTrain: Float32Array;
  /** [trainCount] class indices. */
  yTrain: Int32Array;
  testCount: number;
  xTest: Float32Array;
  yTest: Int32Array;
}

export async function loadBenchData(): Promise<BenchData> {
  let name: string;
  let xTrain: Float32Array;
  let yTrain: ArrayLike<number>;
  let xTest: Float32Array;
  let yTest: ArrayLike<number>;
  if (existsSync(join(DEFAULT_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz')) || existsSync(join(DEFAULT_FASHION_MNIST_DIR, 'train-images-idx3-ubyte'))) {
    const f = loadFashionMnist();
    name = 'Fashion-MNIST (60,000 training / 10,000 test images)';
    xTrain = f.xTrain.data as Float32Array;
    yTrain = f.yTrain.data;
    xTest = f.xTest.data as Float32Array;
    yTest = f.yTest.data;
  } else {
    const split = await loadMnist();
    name = `MNIST digits built in (${split.xTrain.shape[0]} training / ${split.xTest.shape[0]} test images; Fashion-MNIST IDX files not found)`;
    xTrain = split.xTrain.data as Float32Array;
    yTrain = split.yTrain.data;
    xTest = split.xTest.data as Float32Array;
    yTest = split.yTest.data;
  }
  const inputs = 784;
  const trainCount = yTrain.length;
  const order = permutation(trainCount, new Random(2024));
  const xs = new Float32Array(trainCount * inputs);
  const ys = new Int32Array(trainCount);
  order.forEach((from, to) => {
    xs.set(xTrain.subarray(from * inputs, (from + 1) * inputs), to * inputs);
    ys[to] = yTrain[from]!;
  });
  return {
    name,
    inputs,
    classes: 10,
    trainCount,
    xTrain: xs,
    yTrain: ys,
    testCount: yTest.length,
    xTest,
    yTest: Int32Array.from(yTest),
  };
}

function permutation(n: number, random: Random): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/** Initial weights for a workload, as gradiente's Dense initializes them: [kernel (in×out), bias] per layer. */
export function initialWeights(workload: Workload, seed = 7): Float32Array[] {
  manualSeed(seed);
  const layers = [];
  for (let i = 1; i < workload.layers.length; i++) {
    layers.push(new Dense(workload.layers[i]!, i === 1 ? { inputDim: workload.layers[0]! } : {}));
  }
  const model = new Sequential(layers);
  model.build([1, workload.layers[0]!]);
  return model.parameters().map((p) => Float32Array.from(p.data));
}
