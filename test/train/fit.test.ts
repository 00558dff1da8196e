/**
 * fit(): it is the hand-written loop; batch sizes give the documented iteration counts;
 * callbacks fire in order with the documented logs; validationSplit holds out the last rows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DataLoader,
  Dense,
  Dropout,
  GradienteError,
  SGD,
  Sequential,
  ShapeError,
  Tensor,
  ValueError,
  categoricalCrossentropy,
  manualSeed,
  meanSquaredError,
  slice,
  stepDecay,
  type Callback,
  type Logs,
  type TrainingContext,
} from '../../src/index.js';
import { backendsUnderTest, useBackend } from '../helpers/backends.js';

const backends = await backendsUnderTest();

/** N points in 2-D with one-hot labels for 2 classes (inside/outside the unit circle). */
function twoClass(n: number): { x: Tensor; y: Tensor } {
  const x = new Float32Array(2 * n);
  const y = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = Math.sin(12.9898 * i) * 1.5;
    const b = Math.cos(78.233 * i) * 1.5;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[2 * i + (a * a + b * b < 1 ? 0 : 1)] = 1;
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n, 2]) };
}

function mlp(): Sequential {
  return new Sequential([new Dense(12, { inputDim: 2, activation: 'tanh' }), new Dropout(0.2), new Dense(2)]);
}

describe.each(backends)('%s backend: fit is the hand-written loop', (backend) => {
  beforeEach(() => useBackend(backend));
  afterEach(() => useBackend('js'));

  it('gives bit-identical parameters and losses for the same seed and sample order', async () => {
    const { x, y } = twoClass(50);
    manualSeed(1);
    const a = mlp();
    const b = mlp();
    b.loadStateDict(a.stateDict());

    // fit: SGD with momentum, batches of 8 (the last one 2), shuffled by seed 5, dropout drawn from the global generator.
    a.compile({ optimizer: new SGD(null, { learningRate: 0.1, momentum: 0.9 }), loss: 'categoricalCrossentropy', lossOptions: { fromLogits: true } });
    manualSeed(77);
    const history = await a.fit(x, y, { epochs: 3, batchSize: 8, seed: 5 });

    // The same four steps, by hand.
    manualSeed(77);
    const optimizer = new SGD(b.parameters(), { learningRate: 0.1, momentum: 0.9 });
    const loader = new DataLoader(x, y, { batchSize: 8, seed: 5 });
    const losses: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      b.train();
      for (const batch of loader) {
        const yPred = b.forward(batch.x);
        const loss = categoricalCrossentropy(batch.y!, yPred, { fromLogits: true });
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
      }
    }

    expect(history.iterationLoss).toEqual(losses);
    expect(a.optimizer.iterations).toBe(optimizer.iterations);
    const sa = a.stateDict();
    const sb = b.stateDict();
    for (const name of Object.keys(sa)) expect(Array.from(sa[name]!.data), name).toEqual(Array.from(sb[name]!.data));
  });

  it('another shuffling seed gives another run (the comparison above can fail)', async () => {
    const { x, y } = twoClass(50);
    const run = async (seed: number) => {
      manualSeed(1);
      const m = mlp();
      m.compile({ optimizer: { type: 'sgd', learningRate: 0.1 }, loss: 'cce', lossOptions: { fromLogits: true } });
      manualSeed(77);
      return (await m.fit(x, y, { epochs: 1, batchSize: 8, seed })).iterationLoss;
    };
    expect(await run(5)).not.toEqual(await run(6));
  });
});

describe('batch size: iterations per epoch', () => {
  it.each([
    ['full', 1],
    [1, 100],
    [32, 4],
    [100, 1],
    [7, 15],
  ] as const)('batchSize %s on 100 samples does %s iteration(s) per epoch', async (batchSize, perEpoch) => {
    const { x, y } = twoClass(100);
    const model = new Sequential([new Dense(2, { inputDim: 2 })]);
    model.compile({ optimizer: 'sgd', loss: 'cce', lossOptions: { fromLogits: true } });
    const seen: number[] = [];
    const history = await model.fit(x, y, {
      epochs: 2,
      batchSize,
      callbacks: [{ onTrainBegin: (c) => void seen.push(c.iterationsPerEpoch), onBatchEnd: (_b, logs) => void seen.push(logs.batch) }],
    });
    expect(history.iterationsPerEpoch).toBe(perEpoch);
    expect(history.batchSize).toBe(batchSize === 'full' ? 100 : batchSize);
    expect(history.numSamples).toBe(100);
    expect(history.iterationLoss).toHaveLength(2 * perEpoch);
    expect(history.iterationLearningRate).toHaveLength(2 * perEpoch);
    expect(model.optimizer.iterations).toBe(2 * perEpoch);
    const batches = Array.from({ length: perEpoch }, (_, i) => i);
    expect(seen).toEqual([perEpoch, ...batches, ...batches]);
  });
});

describe('callbacks', () => {
  it('are called in order, awaited, with the documented logs', async () => {
    manualSeed(2);
    const { x, y } = twoClass(10);
    const model = new Sequential([new Dense(4, { inputDim: 2, activation: 'tanh' }), new Dense(2)]);
    const lr = stepDecay(0.1, 2, 0.5);
    model.compile({ optimizer: new SGD(null, { learningRate: lr }), loss: 'cce', lossOptions: { fromLogits: true }, metrics: ['accuracy'] });

    const events: string[] = [];
    const batchLogs: Logs[] = [];
    const epochLogs: Logs[] = [];
    let pendingAsync = false;
    let contextSeen: TrainingContext | null = null;
    const recorder: Callback = {
      onTrainBegin: (context) => {
        contextSeen = context;
        events.push('trainBegin');
      },
      onEpochBegin: (epoch) => void events.push(`epochBegin ${epoch}`),
      onBatchBegin: (batch) => {
        // The previous onBatchEnd was async: fit must have waited for it.
        expect(pendingAsync).toBe(false);
        events.push(`batchBegin ${batch}`);
      },
      onBatchEnd: async (batch, logs) => {
        events.push(`batchEnd ${batch}`);
        batchLogs.push({ ...logs, metrics: { ...logs.metrics } });
        pendingAsync = true;
        await new Promise((resolve) => setTimeout(resolve, 1));
        pendingAsync = false;
      },
      onEpochEnd: (epoch, logs) => {
        events.push(`epochEnd ${epoch}`);
        epochLogs.push(logs);
      },
      onTrainEnd: (_context, logs) => {
        events.push('trainEnd');
        expect(logs).toBe(epochLogs[epochLogs.length - 1]);
      },
    };
    const second: Callback = { onEpochEnd: (epoch) => void events.push(`second.epochEnd ${epoch}`) };
    const history = await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, callbacks: [recorder, second], validationData: [x, y] });

    const epoch = (e: number) => [`epochBegin ${e}`, ...[0, 1, 2].flatMap((b) => [`batchBegin ${b}`, `batchEnd ${b}`]), `epochEnd ${e}`, `second.epochEnd ${e}`];
    expect(events).toEqual(['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd']);
    expect(contextSeen!.model).toBe(model);
    expect(contextSeen!.epochs).toBe(2);
    expect(contextSeen!.history).toBe(history);

    // Per batch: epoch, iteration (counting from 1, across epochs), batch, loss, metrics, learning rate.
    expect(batchLogs.map((l) => [l.epoch, l.iteration, l.batch])).toEqual([
      [0, 1, 0], [0, 2, 1], [0, 3, 2],
      [1, 4, 0], [1, 5, 1], [1, 6, 2],
    ]);
    expect(batchLogs.map((l) => l.learningRate)).toEqual([0, 1, 2, 3, 4, 5].map((t) => lr.at(t)));
    expect(history.iterationLearningRate).toEqual(batchLogs.map((l) => l.learningRate));
    expect(batchLogs.map((l) => l.loss)).toEqual(history.iterationLoss);
    for (const l of batchLogs) {
      expect(Number.isFinite(l.loss)).toBe(true);
      expect(Object.keys(l.metrics)).toEqual(['accuracy']);
      expect(l.val).toBeUndefined();
    }

    // Per epoch: sample-weighted means over the batches (4, 4 and 2 samples), and validation values.
    epochLogs.forEach((l, e) => {
      const [b0, b1, b2] = batchLogs.slice(3 * e, 3 * e + 3) as [Logs, Logs, Logs];
      expect(l.epoch).toBe(e);
      expect(l.iteration).toBe(3 * (e + 1));
      expect(l.loss).toBeCloseTo((4 * b0.loss + 4 * b1.loss + 2 * b2.loss) / 10, 12);
      expect(l.metrics.accuracy).toBeCloseTo((4 * b0.metrics.accuracy! + 4 * b1.metrics.accuracy! + 2 * b2.metrics.accuracy!) / 10, 12);
      expect(Object.keys(l.val!).sort()).toEqual(['accuracy', 'loss']);
      expect(history.history.loss![e]).toBe(l.loss);
      expect(history.history.val_loss![e]).toBe(l.val!.loss);
      expect(history.history.val_accuracy![e]).toBe(l.val!.accuracy);
    });
    expect(history.epoch).toEqual([0, 1]);
    // Validation after the last epoch is measured with the final weights.
    expect(epochLogs[1]!.val!.loss).toBeCloseTo(model.evaluate(x, y).loss!, 6);
  });

  it('a callback can stop training; the reason is recorded', async () => {
    const { x, y } = twoClass(20);
    const model = new Sequential([new Dense(2, { inputDim: 2 })]);
    model.compile({ optimizer: 'sgd', loss: 'cce', lossOptions: { fromLogits: true } });
    const history = await model.fit(x, y, {
      epochs: 10,
      batchSize: 5,
      callbacks: [{ onBatchEnd: (batch, logs, context) => (logs.epoch === 1 && batch === 1 ? context.stop('callback', 'enough') : undefined) }],
    });
    expect(history.iterationLoss).toHaveLength(4 + 2);
    expect(history.stopped).toEqual({ reason: 'callback', epoch: 1, iteration: 6, message: 'enough' });
  });

  it('initialEpoch continues the epoch count', async () => {
    const { x, y } = twoClass(20);
    const model = new Sequential([new Dense(2, { inputDim: 2 })]);
    model.compile({ optimizer: 'sgd', loss: 'cce', lossOptions: { fromLogits: true } });
    const epochs: number[] = [];
    const history = await model.fit(x, y, { epochs: 5, initialEpoch: 3, batchSize: 10, callbacks: [{ onEpochBegin: (e) => void epochs.push(e) }] });
    expect(epochs).toEqual([3, 4]);
    expect(history.epoch).toEqual([3, 4]);
    expect(history.iterationLoss).toHaveLength(4);
  });
});

describe('validation', () => {
  it('validationSplit holds out the last fraction of the samples, before any shuffling', async () => {
    const n = 10;
    const x = new Tensor(Float32Array.from({ length: n }, (_, i) => i / n), [n, 1]);
    const y = new Tensor(Float32Array.from({ length: n }, (_, i) => i), [n, 1]);
    const model = new Sequential([new Dense(1, { inputDim: 1 })]);
    const trainedOn = new Set<number>();
    const validatedOn = new Set<number>();
    model.compile({
      optimizer: { type: 'sgd', learningRate: 0.01 },
      loss: (yTrue, yPred) => {
        for (const v of yTrue.data) (model.training ? trainedOn : validatedOn).add(v);
        return meanSquaredError(yTrue, yPred);
      },
    });
    const history = await model.fit(x, y, { epochs: 3, batchSize: 2, validationSplit: 0.3, shuffle: true, seed: 1 });
    expect([...trainedOn].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...validatedOn].sort((a, b) => a - b)).toEqual([7, 8, 9]);
    expect(history.numSamples).toBe(7);
    expect(history.iterationsPerEpoch).toBe(4);
    expect(history.history.val_loss).toHaveLength(3);
    const last = model.evaluate(slice(x, 7, 10), slice(y, 7, 10));
    expect(history.history.val_loss![2]).toBeCloseTo(last.loss!, 5);
  });

  it('rejects a split that leaves no training or no validation samples, and mismatched data', async () => {
    const { x, y } = twoClass(10);
    const model = new Sequential([new Dense(2, { inputDim: 2 })]);
    model.compile({ optimizer: 'sgd', loss: 'cce' });
    await expect(model.fit(x, y, { validationSplit: 1 })).rejects.toThrow(/validationSplit must be in \[0, 1\), got 1/);
    await expect(model.fit(x, y, { validationSplit: 0.95 })).rejects.toThrow(/leaves 0 of 10 samples for training/);
    await expect(model.fit(x, slice(y, 0, 9))).rejects.toThrow(ShapeError);
    await expect(model.fit(x, y, { validationData: [x, slice(y, 0, 3)] })).rejects.toThrow(/validationData x \[10, 2\] and y \[3, 2\]/);
    await expect(model.fit(x, y, { epochs: 0 })).rejects.toThrow(ValueError);
  });

  it('fit on a model that was not compiled says what to call', async () => {
    const { x, y } = twoClass(4);
    await expect(new Sequential([new Dense(2, { inputDim: 2 })]).fit(x, y)).rejects.toThrow(GradienteError);
    await expect(new Sequential([new Dense(2, { inputDim: 2 })]).fit(x, y)).rejects.toThrow(/not compiled: call model\.compile/);
  });
});
