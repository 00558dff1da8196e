/**
 * The vanishing-gradient experiment compares like with like, and the small network names its
 * dead ReLU neurons: checked in Node with the engine, on the page's own networks.
 */
import { describe, expect, test } from 'vitest';
import { binaryCrossentropy, circles, Dense, manualSeed, Sequential, tensor } from '../../src/index.js';
import { deadUnits, inputGrid } from '../../lab/src/activations/dead-units.js';
import { iterate, makeRun, relativeNorms } from '../../lab/src/activations/deep-runs.js';
import { lossTrend } from '../../lab/src/common/loss-trend.js';
import { deepActivations, type DeepActivation } from '../../lab/src/activations/deep-runs.js';
import { en, es } from '../../lab/src/strings/activations.js';

describe('vanishing gradients, like with like', () => {
  const data = circles({ n: 240, noise: 0.08, seed: 3 });
  const trained = (kind: 'sigmoid' | 'relu' | 'gelu' | 'swish' | 'tanh' | 'elu', iterations: number) => {
    const run = makeRun(kind, 10, data.x, data.y);
    iterate(run, false);
    const start = relativeNorms(run);
    for (let i = 0; i < iterations; i++) iterate(run, true);
    return { run, start, now: relativeNorms(run) };
  };

  test('at the start a ten-thousandth or less of the gradient reaches sigmoid’s first layer, more than a hundredth for the ReLU family and tanh', () => {
    expect(trained('sigmoid', 0).start[0]).toBeLessThan(1e-4);
    for (const kind of ['relu', 'gelu', 'swish', 'elu', 'tanh'] as const) expect(trained(kind, 0).start[0], kind).toBeGreaterThan(1e-2);
  });

  test('after ReLU has learned, its relative gradient is still far above sigmoid’s in every layer below the top (raw norms used to cross over)', () => {
    const sigmoid = trained('sigmoid', 1200);
    const relu = trained('relu', 1200);
    expect(lossTrend(relu.run.losses, { window: 50, minDrop: 0.2 })).toBe('falling');
    expect(lossTrend(sigmoid.run.losses, { window: 50, minDrop: 0.2 })).toBe('didNotFall');
    for (let l = 0; l < 8; l++) expect(relu.now[l]!, `layer ${l + 1}`).toBeGreaterThan(10 * sigmoid.now[l]!);
    expect(relu.now[0]! / sigmoid.now[0]!).toBeGreaterThan(1e4);
    // The last hidden layer is the reference: exactly 1 for both.
    expect(relu.now[9]).toBe(1);
    expect(sigmoid.now[9]).toBe(1);
  });
});

describe('the vanishing-gradient prose agrees with the runs it describes', () => {
  const data = circles({ n: 240, noise: 0.08, seed: 3 });
  // The page's names for each network (vanishing.ts), as the prose writes them.
  const written: Record<DeepActivation, RegExp> = { sigmoid: /\bsigmoid/i, tanh: /\btanh\b/, relu: /\bReLU\b/, elu: /\bELU\b/, gelu: /\bGELU\b/, swish: /\bSwish\b/ };
  const outcome = (kind: DeepActivation, depth: number) => {
    const run = makeRun(kind, depth, data.x, data.y);
    // As the page does: the gradients before any update first, then training.
    iterate(run, false);
    for (let i = 0; i < 1000; i++) iterate(run, true);
    return lossTrend(run.losses, { window: 50, minDrop: 0.2 });
  };
  /** The activations named in the sentence of `text` that starts with `opening`. */
  const namedIn = (text: string, opening: string): DeepActivation[] => {
    const start = text.indexOf(opening);
    expect(start, opening).toBeGreaterThanOrEqual(0);
    const sentence = text.slice(start, text.indexOf('.', start + opening.length));
    return deepActivations.filter((kind) => written[kind].test(sentence));
  };

  test('with 10 layers the networks the text says "do not learn either" are exactly the ones, besides sigmoid, whose loss did not fall; with 6 they learn (es and en)', () => {
    const failing = deepActivations.filter((kind) => kind !== 'sigmoid' && outcome(kind, 10) === 'didNotFall');
    expect(outcome('sigmoid', 10)).toBe('didNotFall');
    expect(failing.length).toBeGreaterThan(0);
    // The sentence compares them with sigmoid, which it names too.
    const besidesSigmoid = (kinds: DeepActivation[]) => kinds.filter((kind) => kind !== 'sigmoid');
    expect(besidesSigmoid(namedIn(es['act.vanishing.text'], 'Con 10 capas'))).toEqual(failing);
    expect(besidesSigmoid(namedIn(en['act.vanishing.text'], 'With 10 layers'))).toEqual(failing);
    // "With 6 layers they do learn."
    for (const kind of failing) expect(outcome(kind, 6), kind).toBe('falling');
    // And the ones the text says an appreciable share reaches do learn at 10 layers.
    for (const kind of namedIn(en['act.vanishing.text'], 'With ReLU')) expect(outcome(kind, 10), kind).toBe('falling');
    expect(namedIn(es['act.vanishing.text'], 'Con ReLU')).toEqual(namedIn(en['act.vanishing.text'], 'With ReLU'));
  });
});

describe('dead ReLU neurons', () => {
  function pageNetwork(seed: number): Sequential {
    manualSeed(seed);
    return new Sequential([new Dense(3, { activation: 'relu', inputDim: 2 }), new Dense(3, { activation: 'relu', inputDim: 3 }), new Dense(1, { activation: 'sigmoid', inputDim: 3 })]);
  }

  test('a neuron named dead gets no gradient for any input on the sliders; a live one does', () => {
    // Seed 8 is the page's "other random weights" after the first seed: it has dead neurons.
    const model = pageNetwork(8);
    const dead = deadUnits(model);
    expect(dead.flat().filter(Boolean).length).toBeGreaterThan(0);
    // Backpropagate the loss of every grid input at once (class 1 and class 0) and look at the
    // gradient of each unit's incoming weights: exactly zero for the dead ones.
    const grid = inputGrid(-2, 2, 21);
    for (const target of [0, 1]) {
      const loss = binaryCrossentropy(tensor(new Float32Array(grid.count).fill(target), [grid.count, 1]), model.forward(tensor(grid.data, [grid.count, 2])));
      model.zeroGrad();
      loss.backward();
      (model.layers as Dense[]).slice(0, -1).forEach((layer, l) => {
        const units = layer.units;
        const g = layer.kernel!.grad!.data;
        for (let u = 0; u < units; u++) {
          let size = 0;
          for (let i = 0; i < g.length / units; i++) size += Math.abs(g[i * units + u]!);
          if (dead[l]![u]) expect(size, `layer ${l + 1} unit ${u + 1}`).toBe(0);
        }
      });
    }
    const live = dead.flat().indexOf(false);
    expect(live).toBeGreaterThanOrEqual(0);
  });

  test('the page’s first network (seed 7) has none, and sigmoid layers are never called dead', () => {
    expect(deadUnits(pageNetwork(7)).flat().some(Boolean)).toBe(false);
    manualSeed(8);
    const sigmoid = new Sequential([new Dense(3, { activation: 'sigmoid', inputDim: 2 }), new Dense(3, { activation: 'sigmoid', inputDim: 3 }), new Dense(1, { activation: 'sigmoid', inputDim: 3 })]);
    expect(deadUnits(sigmoid).flat().some(Boolean)).toBe(false);
  });
});
