/**
 * Options objects are checked: a key the library does not read is an error naming the right
 * one, and data that is not finite is reported before training with where it is.
 */
import { describe, expect, it } from 'vitest';
import { Dense, Sequential, Tensor, ValueError } from '../../src/index.js';

function model(): Sequential {
  return new Sequential([new Dense(1, { inputDim: 2 })]);
}

const x = new Tensor(Float32Array.of(1, 2, 3, 4, 5, 6), [3, 2]);
const y = new Tensor(Float32Array.of(1, 2, 3), [3, 1]);

describe('unknown option keys are errors with "did you mean"', () => {
  it('compile: lr, learning_rate, from_logits, epochs name where they belong', () => {
    expect(() => model().compile({ optimizer: 'adam', loss: 'mse', lr: 0.1 } as never)).toThrow(
      "compile: unknown option 'lr' (the learning rate belongs to the optimizer: optimizer: { type: 'adam', learningRate: 0.01 }); the options are: optimizer, loss, lossOptions, metrics",
    );
    expect(() => model().compile({ optimizer: 'adam', loss: 'mse', metric: ['mae'] } as never)).toThrow(/compile: unknown option 'metric' \(did you mean metrics\?\)/);
    expect(() => model().compile({ optimizer: 'adam', loss: 'bce', from_logits: true } as never)).toThrow(/\(it belongs to lossOptions: \{ fromLogits: true \}\)/);
    expect(() => model().compile({ optimizer: 'adam', loss: 'mse', epochs: 3 } as never)).toThrow(/epochs are an option of fit\(\)/);
  });

  it('compile: the optimizer object and lossOptions are checked too', () => {
    expect(() => model().compile({ optimizer: { type: 'adam', lr: 0.01 } as never, loss: 'mse' })).toThrow(/compile: optimizer: unknown option 'lr' \(did you mean learningRate\?\)/);
    expect(() => model().compile({ optimizer: { type: 'sgd', learning_rate: 0.01 } as never, loss: 'mse' })).toThrow(/did you mean learningRate\?/);
    expect(() => model().compile({ optimizer: 'adam', loss: 'bce', lossOptions: { fromLogit: true } as never })).toThrow(/compile: lossOptions: unknown option 'fromLogit' \(did you mean fromLogits\?\)/);
    expect(() => model().compile({ optimizer: { type: 'adam', learningRate: 0.01, beta1: 0.8 }, loss: 'mse', lossOptions: { reduction: 'sum' } })).not.toThrow();
  });

  it('fit: validation_split, batch_size, epoch; verbose says what to do instead', async () => {
    const m = model().compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(m.fit(x, y, { validation_split: 0.2 } as never)).rejects.toThrow(/fit: unknown option 'validation_split' \(did you mean validationSplit\?\)/);
    await expect(m.fit(x, y, { batch_size: 2 } as never)).rejects.toThrow(/did you mean batchSize\?/);
    await expect(m.fit(x, y, { epoch: 2 } as never)).rejects.toThrow(/did you mean epochs\?/);
    await expect(m.fit(x, y, { verbose: 0 } as never)).rejects.toThrow(/fit: unknown option 'verbose' \(gradiente prints nothing itself/);
    await expect(m.fit(x, y, { epochs: 1, batchSize: 'full' })).resolves.toBeDefined();
  });

  it('Dense: inputShape is inputDim here', () => {
    expect(() => new Dense(4, { inputShape: [2] } as never)).toThrow(ValueError);
    expect(() => new Dense(4, { inputShape: [2] } as never)).toThrow(/Dense: unknown option 'inputShape' \(did you mean inputDim\?\)/);
    expect(() => new Dense(4, { activaton: 'relu' } as never)).toThrow(/did you mean activation\?/);
  });
});

describe('data that is not finite is reported before training', () => {
  it('names NaN / Infinity in x or y with the sample and column', async () => {
    const m = model().compile({ optimizer: 'sgd', loss: 'mse' });
    const bad = new Tensor(Float32Array.of(1, 2, 3, Number.NaN, 5, 6), [3, 2]);
    await expect(m.fit(bad, y)).rejects.toThrow(/^fit: x holds NaN at sample 1, column 1 \(shape \[3, 2\]\); training needs finite numbers/);
    const inf = new Tensor(Float32Array.of(1, Number.POSITIVE_INFINITY, 3), [3, 1]);
    await expect(m.fit(x, inf)).rejects.toThrow(/^fit: y holds Infinity at sample 1, column 0/);
    // A float64 value beyond float32's range becomes Infinity in a Float32Array: caught the same way.
    const overflow = new Tensor(Float32Array.of(1, 2, 3, 4, 1e39, 6), [3, 2]);
    await expect(m.fit(overflow, y)).rejects.toThrow(/^fit: x holds Infinity at sample 2, column 0/);
    await expect(m.fit(x, y, { validationData: [bad, y] })).rejects.toThrow(/^fit: validationData x holds NaN/);
    // Nothing was trained: the weights never saw a step.
    expect(m.optimizer.iterations).toBe(0);
  });
});
