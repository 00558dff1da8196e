/** Messages between the MNIST page and its training worker. */

export interface TrainConfig {
  hidden: number;
  learningRate: number;
  batchSize: number;
  epochs: number;
  optimizer: 'adam' | 'sgd' | 'momentum';
}

export type ToWorker =
  | { type: 'load' }
  | { type: 'train'; config: TrainConfig }
  | { type: 'stop' }
  | { type: 'predict'; pixels: Float32Array }
  | { type: 'sample' }
  | { type: 'throughput'; batchSizes: number[]; secondsEach: number };

export type FromWorker =
  | { type: 'loading'; received: number; /** Bytes in all (0 when the server did not say). */ total: number }
  | { type: 'loaded'; trainSize: number; testSize: number; backend: string; threads: number; seconds: number }
  | { type: 'progress'; iteration: number; totalIterations: number; epoch: number; loss: number; /** Batch losses since the last message, ending at `iteration`. */ losses: number[] }
  | { type: 'evaluated'; iteration: number; testLoss: number; testAccuracy: number }
  | { type: 'done'; testLoss: number; testAccuracy: number; seconds: number; samplesPerSecond: number; stopped: boolean }
  | { type: 'prediction'; probabilities: number[] }
  | { type: 'sample'; pixels: Float32Array; label: number }
  | { type: 'throughput'; batchSize: number; samplesPerSecond: number; iterations: number }
  | { type: 'throughputDone' }
  | { type: 'error'; message: string };
