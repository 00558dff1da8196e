/**
 * What keeps long runs usable: the NaN/Inf guard, yielding to the event loop between
 * batches, and memory that stays flat without any dispose() in user code.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Dense, Sequential, Tensor, manualSeed, mul, randn, sqrt, type Callback } from '../../src/index.js';

function divergingModel(): { model: Sequential; x: Tensor; y: Tensor } {
  manualSeed(1);
  const model = new Sequential([new Dense(16, { inputDim: 4, activation: 'relu' }), new Dense(16, { activation: 'tanh' }), new Dense(3)]);
  const x = randn([64, 4]);
  const y = randn([64, 3]).mul(10);
  return { model, x, y };
}

describe('the NaN/Inf guard', () => {
  it('stops a diverging run with a message naming epoch and iteration, and leaves finite weights', async () => {
    const { model, x, y } = divergingModel();
    model.compile({ optimizer: { type: 'sgd', learningRate: 1e4 }, loss: 'mse' });
    let trainEnded = false;
    const history = await model.fit(x, y, { epochs: 50, batchSize: 16, shuffle: false, callbacks: [{ onTrainEnd: () => void (trainEnded = true) }] });

    expect(history.stopped?.reason).toBe('nonFinite');
    const message = history.stopped!.message;
    const m = /the loss became (NaN|Infinity|-Infinity) at epoch (\d+), iteration (\d+)/.exec(message);
    expect(m, message).not.toBeNull();
    // The failing iteration is the one after the last recorded (finite) loss.
    const done = history.iterationLoss.length;
    expect(Number(m![3])).toBe(done + 1);
    expect(Number(m![2])).toBe(Math.floor(done / history.iterationsPerEpoch) + 1);
    expect(message).toMatch(/try a smaller learning rate/);
    expect(message).toMatch(/learning rate 10000/);
    expect(history.iterationLoss.every(Number.isFinite)).toBe(true);
    expect(done).toBeLessThan(50 * 4);
    expect(trainEnded).toBe(true);
    for (const [name, p] of model.namedParameters()) expect(p.data.every(Number.isFinite), name).toBe(true);
  });

  it('without the guard the same run ends with NaN weights (so the test above means something)', async () => {
    const { model, x, y } = divergingModel();
    model.compile({ optimizer: { type: 'sgd', learningRate: 1e4 }, loss: 'mse' });
    const history = await model.fit(x, y, { epochs: 5, batchSize: 16, shuffle: false, stopOnNonFinite: false });
    expect(history.stopped).toBeNull();
    expect(model.parameters().some((p) => p.data.some(Number.isNaN))).toBe(true);
  });
});

describe('the NaN/Inf guard on gradients', () => {
  it('stops before an update whose gradient is not finite, even when the loss is', async () => {
    manualSeed(5);
    const model = new Sequential([new Dense(3, { inputDim: 2 })]);
    // sqrt'(0) is infinite, and 0·∞ = NaN: a finite loss (0) with a NaN gradient.
    const poisoned = (_yTrue: Tensor, yPred: Tensor): Tensor => sqrt(mul(yPred, 0)).mean();
    model.compile({ optimizer: 'sgd', loss: poisoned });
    const before = model.stateDict();
    const history = await model.fit(randn([8, 2]), randn([8, 3]), { epochs: 2, batchSize: 4 });
    expect(history.stopped?.reason).toBe('nonFinite');
    expect(history.stopped?.message).toMatch(/a gradient became NaN at epoch 1, iteration 1 .*smaller learning rate/);
    for (const [name, t] of Object.entries(model.stateDict())) expect(Array.from(t.data)).toEqual(Array.from(before[name]!.data));
  });
});

describe('yielding to the event loop', () => {
  it('a setImmediate and a timer queued before fit run while fit is still training', async () => {
    manualSeed(2);
    const model = new Sequential([new Dense(32, { inputDim: 8, activation: 'relu' }), new Dense(2)]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = randn([400, 8]);
    const y = randn([400, 2]);
    const total = 400; // batchSize 1: one iteration per sample

    let iterations = 0;
    let immediateAt = -1;
    let timerAt = -1;
    setImmediate(() => (immediateAt = iterations));
    setTimeout(() => (timerAt = iterations), 0);
    const counter: Callback = { onBatchEnd: (_b, logs) => void (iterations = logs.iteration) };
    const pending = model.fit(x, y, { epochs: 1, batchSize: 1, callbacks: [counter] });
    expect(iterations).toBeLessThan(total); // fit returned before training finished
    await pending;

    expect(iterations).toBe(total);
    expect(immediateAt).toBeGreaterThanOrEqual(1);
    expect(immediateAt).toBeLessThan(total);
    expect(timerAt).toBeGreaterThanOrEqual(1);
    expect(timerAt).toBeLessThan(total);
  });
});

describe('memory', () => {
  // NOTE: gc() makes heapUsed measure what is still reachable, not what awaits collection.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  /** Collect garbage until the count stops falling: freed ArrayBuffers are released lazily. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Heap growth from epoch 5 to epoch 20; `leak` runs after every batch. */
  async function heapGrowth(leak: (model: Sequential, x: Tensor) => void): Promise<number> {
    manualSeed(3);
    const model = new Sequential([new Dense(128, { inputDim: 2, activation: 'tanh' }), new Dense(128, { activation: 'tanh' }), new Dense(2)]);
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    const x = randn([512, 2]);
    const y = randn([512, 2]);
    const probe = randn([32, 2]);
    const heap: Record<number, number> = {};
    await model.fit(x, y, {
      epochs: 20,
      batchSize: 32,
      validationSplit: 0.1,
      callbacks: [
        {
          onBatchEnd: () => leak(model, probe),
          onEpochEnd: async (epoch) => {
            if (epoch === 4 || epoch === 19) {
              await settle();
              // NOTE: tensor data lives in ArrayBuffers, which heapUsed does not count.
              const { heapUsed, arrayBuffers } = process.memoryUsage();
              heap[epoch + 1] = heapUsed + arrayBuffers;
            }
          },
        },
      ],
    });
    return heap[20]! - heap[5]!;
  }

  it('stays flat over a long fit: growth from epoch 5 to 20 is far below one retained graph per iteration', async () => {
    // Calibration: keeping each iteration's forward graph alive (what a leak would do) grows
    // the heap by 15 epochs × 15 iterations × ~100 KB of activations and backward closures.
    const flat = await heapGrowth(() => {});
    const retained: Tensor[] = [];
    const leaking = await heapGrowth((model, probe) => void retained.push(model.forward(probe)));
    expect(retained[0]!.requiresGrad).toBe(true); // a live graph, not just values
    retained.length = 0;
    expect(leaking).toBeGreaterThan(8e6);
    expect(flat).toBeLessThan(2e6);
    expect(flat).toBeLessThan(leaking / 4);
  });
});
