/** What the benchmark measures, and the shape of bench/results/latest.json. */

export type WorkloadId = 'W1' | 'W2' | 'W3' | 'W4';

/** One training workload: an MLP trained with plain SGD on the first `samples` training images. */
export interface Workload {
  id: WorkloadId;
  title: string;
  /** Layer sizes, input first: [784, 128, 64, 10]. Hidden layers use ReLU; the last is softmax + cross-entropy. */
  layers: number[];
  batchSize: number;
  learningRate: number;
  /** Training samples in the timed run (the same for every library, so final losses compare). */
  samples: number;
  /**
   * The `npm start` workload (W4) adds these; the others train with plain SGD and nothing else.
   * dropout: a Dropout layer of this rate after the first hidden layer.
   */
  dropout?: number;
  /** 'adam' with the learning rate gliding to 0 along half a cosine over the run (default plain SGD). */
  optimizer?: 'sgd' | 'adam-cosine';
  /** Accuracy of every batch computed during training, as npm start reports it. */
  accuracyMetric?: boolean;
  /** Test images evaluated (loss and accuracy) at the end of the epoch, inside the timed run. */
  evaluateSamples?: number;
}

export interface TrainResult {
  samplesPerSecond: number;
  /** Mean training loss over the last tenth of the iterations. */
  finalLoss: number;
  /** Accuracy on the test set after training, 0..1. */
  testAccuracy: number;
  samples: number;
  seconds: number;
}

export type GemmForm = 'A·B' | 'A·Bᵀ' | 'Aᵀ·B';

export interface GemmResult {
  form: GemmForm;
  m: number;
  k: number;
  n: number;
  /** 2·m·n·k / median time. */
  gflops: number;
}

/** One library configuration: gradiente on a backend, or a peer. */
export interface Contender {
  id: string;
  label: string;
  /** Why it did not run (not installed, not importable); absent when it ran. */
  skipped?: string;
  /** Free-form facts about the configuration (threads, SIMD, BLAS). */
  details?: Record<string, string | number | boolean>;
  gemm: GemmResult[];
  workloads: Partial<Record<WorkloadId, TrainResult>>;
  /** W1 at other batch sizes: batch size → samples/s. */
  scaling?: Record<string, number>;
}

export interface BenchResults {
  date: string;
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    os: string;
    /** Widest SIMD the CPU has (native libraries use it; WebAssembly SIMD is 128-bit). */
    vectorExtensions?: string;
    node: string;
    loadAverageAtStart: number[];
  };
  dataset: string;
  workloads: Workload[];
  gemmShapes: [number, number, number][];
  contenders: Contender[];
  notes: string[];
}
