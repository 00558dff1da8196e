/**
 * EarlyStopping: stops at the right epoch (patience, minDelta, mode) and restoreBestWeights
 * really puts back the weights the model had at the end of the best epoch.
 */
import { describe, expect, it } from 'vitest';
import { Dense, EarlyStopping, Sequential, Tensor, ValueError, manualSeed, randn, type Callback, type StateDict } from '../../src/index.js';

function regression(n: number, seed: number): { x: Tensor; y: Tensor } {
  manualSeed(seed);
  const x = randn([n, 3]);
  const y = new Tensor(new Float32Array(n), [n, 1]);
  for (let i = 0; i < n; i++) y.data[i] = x.data[3 * i]! - 2 * x.data[3 * i + 1]! + 0.5 * Math.sin(3 * x.data[3 * i + 2]!);
  return { x, y };
}

/** A callback (listed before EarlyStopping) that writes a scripted value into the epoch's logs. */
const script = (values: number[]): Callback => ({
  onEpochEnd: (epoch, logs) => {
    logs.metrics.score = values[epoch]!;
  },
});

async function stopEpochFor(values: number[], options: ConstructorParameters<typeof EarlyStopping>[0]) {
  const { x, y } = regression(8, 1);
  const model = new Sequential([new Dense(1, { inputDim: 3 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const stopper = new EarlyStopping({ monitor: 'score', ...options });
  const history = await model.fit(x, y, { epochs: values.length, batchSize: 'full', callbacks: [script(values), stopper] });
  return { epochs: history.epoch.length, stopped: history.stopped, stopper };
}

describe('EarlyStopping decides on the monitored value', () => {
  it('stops once the value has not improved for `patience` epochs in a row, as Keras', async () => {
    //                         0  1  2    3    4    5  6
    const values = [5, 4, 3, 3.5, 3.2, 3.1, 1];
    const r = await stopEpochFor(values, { patience: 2, mode: 'min' });
    // best 3 at epoch 2; epochs 3 and 4 do not improve: that is patience 2, stop after epoch 4.
    expect(r.epochs).toBe(5);
    expect(r.stopper.best).toBe(3);
    expect(r.stopper.bestEpoch).toBe(2);
    expect(r.stopper.stoppedEpoch).toBe(4);
    expect(r.stopped?.reason).toBe('earlyStopping');
    expect(r.stopped?.epoch).toBe(4);
    expect(r.stopped?.message).toMatch(/score has not improved for 2 epochs \(best 3\.0000 at epoch 3\)/);
  });

  it('counts like Keras 3 EarlyStopping: patience 0 and 1 both stop at the first epoch without improvement', async () => {
    // Keras: wait += 1; on improvement wait = 0; stop when wait >= patience and epoch > 0.
    expect((await stopEpochFor([3, 2, 2.5, 1], { patience: 1, mode: 'min' })).epochs).toBe(3);
    expect((await stopEpochFor([3, 2, 2.5, 1], { patience: 0, mode: 'min' })).epochs).toBe(3);
    expect((await stopEpochFor([3, 2, 2.5, 2.4, 1], { patience: 3, mode: 'min' })).epochs).toBe(5);
  });

  it('patience 0 stops at the first epoch without improvement; a tie is no improvement', async () => {
    expect((await stopEpochFor([3, 2, 2, 1], { patience: 0, mode: 'min' })).epochs).toBe(3);
  });

  it('never stops while the value keeps improving', async () => {
    const r = await stopEpochFor([6, 5, 4, 3, 2, 1], { patience: 0, mode: 'min' });
    expect(r.epochs).toBe(6);
    expect(r.stopped).toBeNull();
  });

  it('minDelta: smaller improvements do not count', async () => {
    // improvements smaller than minDelta 0.5 count as none: best stays 5 (epoch 0)
    expect((await stopEpochFor([5, 4.7, 4.6, 4.55, 1], { patience: 2, minDelta: 0.5, mode: 'min' })).epochs).toBe(3);
    expect((await stopEpochFor([5, 4.4, 3.8, 3.2, 2.6], { patience: 0, minDelta: 0.5, mode: 'min' })).epochs).toBe(5);
  });

  it("mode 'max' (and 'auto' for names with acc) wants the value to grow", async () => {
    expect((await stopEpochFor([0.5, 0.6, 0.55, 0.58, 0.9], { patience: 2, mode: 'max' })).epochs).toBe(4);
    expect(new EarlyStopping({ monitor: 'val_accuracy' }).mode).toBe('max');
    expect(new EarlyStopping({ monitor: 'accuracy' }).mode).toBe('max');
    expect(new EarlyStopping().mode).toBe('min');
    expect(new EarlyStopping().monitor).toBe('val_loss');
  });

  it('names what it can monitor when the value is not measured', async () => {
    const { x, y } = regression(8, 1);
    const model = new Sequential([new Dense(1, { inputDim: 3 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    await expect(model.fit(x, y, { epochs: 2, callbacks: [new EarlyStopping()] })).rejects.toThrow(
      /'val_loss' is not measured; available: loss, mae \(pass validationSplit or validationData/,
    );
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(ValueError);
  });
});

describe('EarlyStopping on real training', () => {
  it('stops on a rising val_loss and restoreBestWeights puts back the best epoch’s weights', async () => {
    // Few noisy training points: the validation loss falls for a few epochs, then rises (overfitting).
    const train = regression(12, 2);
    for (let i = 0; i < 12; i++) train.y.data[i]! += i % 2 === 0 ? 1.5 : -1.5;
    const val = regression(200, 3);
    manualSeed(4);
    const model = new Sequential([new Dense(32, { inputDim: 3, activation: 'tanh' }), new Dense(32, { activation: 'tanh' }), new Dense(1)]);
    model.compile({ optimizer: { type: 'adam', learningRate: 0.005 }, loss: 'mse' });

    const snapshots: StateDict[] = [];
    const capture: Callback = { onEpochEnd: (_epoch, _logs, context) => void snapshots.push(context.model.stateDict()) };
    const patience = 3;
    const stopper = new EarlyStopping({ monitor: 'val_loss', patience, restoreBestWeights: true });
    const history = await model.fit(train.x, train.y, { epochs: 300, batchSize: 'full', validationData: [val.x, val.y], callbacks: [capture, stopper] });

    const valLoss = history.history.val_loss!;
    const last = valLoss.length - 1;
    expect(history.stopped?.reason).toBe('earlyStopping');
    expect(last).toBeLessThan(299);
    // The best epoch is the minimum so far, and the stop came exactly patience epochs after it.
    const best = valLoss.indexOf(Math.min(...valLoss));
    expect(stopper.bestEpoch).toBe(best);
    expect(last - best).toBe(patience);
    expect(stopper.restoredEpoch).toBe(best);
    expect(history.stopped?.message).toMatch(/weights restored to that epoch/);

    const now = model.stateDict();
    for (const name of Object.keys(now)) {
      expect(Array.from(now[name]!.data), name).toEqual(Array.from(snapshots[best]![name]!.data));
    }
    expect(Array.from(now['0.kernel']!.data)).not.toEqual(Array.from(snapshots[last]!['0.kernel']!.data));
    expect(model.evaluate(val.x, val.y).loss).toBeCloseTo(valLoss[best]!, 5);
  });

  it('without restoreBestWeights the weights of the last epoch stay', async () => {
    const { x, y } = regression(16, 5);
    manualSeed(6);
    const model = new Sequential([new Dense(1, { inputDim: 3 })]);
    model.compile({ optimizer: { type: 'sgd', learningRate: 0.05 }, loss: 'mse' });
    const snapshots: StateDict[] = [];
    const history = await model.fit(x, y, {
      epochs: 8,
      batchSize: 'full',
      callbacks: [{ onEpochEnd: (_e, _l, c) => void snapshots.push(c.model.stateDict()) }, script([5, 1, 2, 3, 4, 5, 6, 7]), new EarlyStopping({ monitor: 'score', patience: 2 })],
    });
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(Array.from(model.stateDict()['0.kernel']!.data)).toEqual(Array.from(snapshots[3]!['0.kernel']!.data));
  });

  it('restoreBestWeights also restores when training runs to the end without stopping (Keras 3)', async () => {
    const { x, y } = regression(16, 5);
    manualSeed(6);
    const model = new Sequential([new Dense(1, { inputDim: 3 })]);
    model.compile({ optimizer: { type: 'sgd', learningRate: 0.05 }, loss: 'mse' });
    const snapshots: StateDict[] = [];
    const stopper = new EarlyStopping({ monitor: 'score', patience: 5, restoreBestWeights: true });
    const history = await model.fit(x, y, {
      epochs: 4,
      batchSize: 'full',
      callbacks: [{ onEpochEnd: (_e, _l, c) => void snapshots.push(c.model.stateDict()) }, script([5, 1, 2, 3]), stopper],
    });
    expect(history.stopped).toBeNull();
    expect(stopper.restoredEpoch).toBe(1);
    expect(Array.from(model.stateDict()['0.kernel']!.data)).toEqual(Array.from(snapshots[1]!['0.kernel']!.data));
  });

  it('an unknown option is an error naming the right one', () => {
    expect(() => new EarlyStopping({ restore_best_weights: true } as never)).toThrow(/EarlyStopping: unknown option 'restore_best_weights' \(did you mean restoreBestWeights\?\)/);
  });
});
