/**
 * The data helpers, learning-rate schedules and saveModel check their options objects like
 * compile and fit do: a misspelt key is an error naming the key meant, never a silent default.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLoader, Dense, saveModel, schedule, Sequential, splitIndices, Tensor, trainTestSplit, ValueError } from '../../src/node.js';

const x = new Tensor(Float32Array.from({ length: 20 }, (_, i) => i), [10, 2]);
const y = new Tensor(Float32Array.from({ length: 10 }, (_, i) => i % 2), [10, 1]);

describe('options objects are checked', () => {
  it('DataLoader: batch_size, suffle, drop_last name the key meant', () => {
    expect(() => new DataLoader(x, y, { batch_size: 4 } as never)).toThrow(/^DataLoader: unknown option 'batch_size' \(did you mean batchSize\?\); the options are: batchSize, shuffle, dropLast, seed, random, views$/);
    expect(() => new DataLoader(x, y, { suffle: false } as never)).toThrow(/did you mean shuffle\?/);
    expect(() => new DataLoader(x, y, { drop_last: true } as never)).toThrow(/did you mean dropLast\?/);
    expect(() => new DataLoader(x, y, { batchSize: 4, shuffle: false, dropLast: true, seed: 1 })).not.toThrow();
  });

  it('trainTestSplit and splitIndices: test_size, stratified name the key meant', () => {
    expect(() => trainTestSplit(x, y, { test_size: 0.5 } as never)).toThrow(ValueError);
    expect(() => trainTestSplit(x, y, { test_size: 0.5 } as never)).toThrow(/^trainTestSplit: unknown option 'test_size' \(did you mean testSize\?\)/);
    expect(() => trainTestSplit(x, y, { stratified: true } as never)).toThrow(/did you mean stratify\?/);
    expect(() => splitIndices(10, { testSize: 0.3, sufle: true } as never)).toThrow(/^splitIndices: unknown option 'sufle' \(did you mean shuffle\?\)/);
    expect(trainTestSplit(x, y, { testSize: 0.3, seed: 1, stratify: true }).xTest.shape[0]).toBe(3);
  });

  it('schedules: a key of another type or a misspelling is named, per type, nested warmup too', () => {
    expect(() => schedule({ type: 'step', learningRate: 0.1, stepSize: 10, gama: 0.5 } as never)).toThrow(/^learning-rate schedule 'step': unknown option 'gama' \(did you mean gamma\?\); the options are: type, learningRate, stepSize, gamma$/);
    expect(() => schedule({ type: 'exponential', learningRate: 0.1, decay_steps: 10, decayRate: 0.9 } as never)).toThrow(/did you mean decaySteps\?/);
    expect(() => schedule({ type: 'constant', lr: 0.1 } as never)).toThrow(/did you mean learningRate\?/);
    expect(() => schedule({ type: 'warmup', warmupSteps: 5, after: { type: 'cosine', learningRate: 0.1, decaySteps: 10, alfa: 0 } } as never)).toThrow(/schedule 'cosine': unknown option 'alfa' \(did you mean alpha\?\)/);
    expect(() => schedule(null as never)).toThrow(/learning-rate schedule: expected an object/);
    expect(() => schedule({ type: 'toString', learningRate: 1 } as never)).toThrow(/unknown learning-rate schedule 'toString'/);
    expect(schedule({ type: 'step', learningRate: 0.1, stepSize: 10, gamma: 0.5 }).at(10)).toBeCloseTo(0.05);
  });

  describe('saveModel', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gradiente-save-options-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('include_optimizer is named before anything is written', async () => {
      const model = new Sequential([new Dense(1, { inputDim: 2 })]);
      const target = path.join(dir, 'model');
      await expect(saveModel(model, target, { include_optimizer: false } as never)).rejects.toThrow(/^saveModel: unknown option 'include_optimizer' \(did you mean includeOptimizer\?\)/);
      expect(existsSync(target)).toBe(false);
      await expect(saveModel(model, target, { includeOptimizer: false })).resolves.toBeDefined();
    });
  });
});
