/**
 * The workloads of the issue, and how many samples each timed run trains on. The budgets are
 * the same for every library (so that final losses compare) and sized so that the slowest
 * peer (TensorFlow.js on its cpu backend) finishes each in about a minute.
 */
import type { Workload } from './types.js';

export function workloads(quick: boolean, trainCount: number): Workload[] {
  const cap = (n: number): number => Math.min(n, trainCount);
  const scale = quick ? 0.1 : 1;
  return [
    { id: 'W1', title: 'MLP 784-128-64-10, batch 64', layers: [784, 128, 64, 10], batchSize: 64, learningRate: 0.1, samples: cap(Math.round(60_000 * scale)) },
    { id: 'W2', title: 'MLP 784-128-64-10, batch 1 (SGD)', layers: [784, 128, 64, 10], batchSize: 1, learningRate: 0.1, samples: cap(Math.round(10_000 * scale)) },
    { id: 'W3', title: 'MLP 784-1024-1024-10, batch 256', layers: [784, 1024, 1024, 10], batchSize: 256, learningRate: 0.1, samples: cap(256 * Math.max(2, Math.round(20 * scale))) },
    // npm start (examples/train-mnist.ts): one of its epochs, 8,000 images, then the evaluation on 2,000.
    {
      id: 'W4',
      title: 'npm start: MLP 784-256-128-10, dropout 0.2, Adam + cosine, batch 32, accuracy, evaluation',
      layers: [784, 256, 128, 10],
      batchSize: 32,
      learningRate: 1e-3,
      samples: cap(Math.round(8_000 * scale)),
      dropout: 0.2,
      optimizer: 'adam-cosine',
      accuracyMetric: true,
      evaluateSamples: 2_000,
    },
  ];
}

export const GEMM_SHAPES: [number, number, number][] = [
  [64, 784, 128],
  [256, 784, 1024],
  [1024, 1024, 1024],
];

/** Batch sizes of the W1 scaling table. */
export const SCALING_BATCH_SIZES = [1, 8, 32, 128, 512];
