/**
 * The playground's figures are evaluated in a worker while training plays: the worker rebuilds
 * the network from a snapshot of its weights. Its grids must equal what the page computes from
 * the network itself, for the same weights (checked here in Node with the same engine).
 */
import { describe, expect, test } from 'vitest';
import { Dense, Dropout, manualSeed, Sequential } from '../../src/index.js';
import { denseOutputs, evaluateGrids, modelFromSnapshot, snapshotDense } from '../../lab/src/playground/grid-eval.js';

function grid(side: number): { data: Float32Array; dim: number } {
  const data = new Float32Array(side * side * 2);
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) (data[2 * (r * side + c)] = -3 + (6 * c) / (side - 1)), (data[2 * (r * side + c) + 1] = 3 - (6 * r) / (side - 1));
  return { data, dim: 2 };
}

describe('the grid worker’s evaluation', () => {
  test('a snapshot rebuilt as the worker does gives exactly the page’s grids (tanh, leaky ReLU with its α, dropout, softmax output)', () => {
    manualSeed(3);
    const model = new Sequential([
      new Dense(8, { activation: 'tanh', inputDim: 2 }),
      new Dropout(0.3),
      new Dense(5, { activation: 'leakyRelu', activationAlpha: 0.2, inputDim: 8 }),
      new Dense(3, { activation: 'softmax', inputDim: 5 }),
    ]);
    model.train();
    const points = grid(23);
    const page = denseOutputs(model, points);
    // The snapshot is a copy: changing the model afterwards does not change it.
    const snapshot = snapshotDense(model);
    const worker = evaluateGrids(modelFromSnapshot(snapshot), { boundary: points, maps: points });
    expect(worker.maps!.map((m) => [m.rows, m.units])).toEqual([[529, 8], [529, 5], [529, 3]]);
    worker.maps!.forEach((m, i) => expect(Array.from(m.data), `layer ${i + 1}`).toEqual(Array.from(page[i]!.data)));
    expect(Array.from(worker.boundary!.data)).toEqual(Array.from(page[2]!.data));
    // Evaluation mode for the figures, and the model is handed back in training mode.
    expect(model.training).toBe(true);
    const leaky = page[1]!.data;
    expect(leaky.some((v) => v < 0)).toBe(true);
    (model.layers[0] as Dense).kernel!.data[0]! += 1;
    expect(snapshot[0]!.kernel[0]).not.toBe((model.layers[0] as Dense).kernel!.data[0]);
  });

  test('different weights give a different picture (the comparison above can fail)', () => {
    manualSeed(3);
    const a = new Sequential([new Dense(4, { activation: 'relu', inputDim: 2 }), new Dense(1, { activation: 'sigmoid', inputDim: 4 })]);
    const snapshot = snapshotDense(a);
    snapshot[1]!.bias![0] = 2;
    const points = grid(9);
    expect(Array.from(evaluateGrids(modelFromSnapshot(snapshot), { boundary: points, maps: null }).boundary!.data)).not.toEqual(Array.from(denseOutputs(a, points).at(-1)!.data));
  });
});
