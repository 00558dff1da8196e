import { describe, expect, it } from 'vitest';
import {
  Activation,
  Dense,
  Dropout,
  Flatten,
  ModelFormatError,
  Sequential,
  Tensor,
  Module,
  globalRandom,
  manualSeed,
  noGrad,
  modelFromArtifacts,
  modelToArtifacts,
  randn,
  stepDecay,
  tensor,
} from '../../src/index.js';

function bits(t: Tensor): Uint32Array {
  return new Uint32Array(Float32Array.from(t.data).buffer);
}

/** A small classification problem: 3 blobs in 4-D. */
function blobs(n: number): { x: Tensor; y: Tensor } {
  const x = randn([n, 4]);
  const y = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.data[i * 4 + c] += 2;
    y[i * 3 + c] = 1;
  }
  return { x, y: new Tensor(y, [n, 3]) };
}

function makeModel(): Sequential {
  return new Sequential([
    new Dense(8, { activation: 'relu', inputDim: 4 }),
    new Dropout(0.3),
    new Dense(6, { activation: 'leakyRelu', activationAlpha: 0.2 }),
    new Activation('elu', { alpha: 0.7 }),
    new Dense(3, { activation: 'softmax', useBias: true }),
  ]);
}

describe('native format: modelToArtifacts / modelFromArtifacts', () => {
  it('round-trips topology and weights: bit-identical predictions', () => {
    manualSeed(1);
    const model = makeModel();
    const x = randn([10, 4]);
    model.build(x.shape);
    const before = model.predict(x);
    const artifacts = modelToArtifacts(model);
    expect(artifacts.modelJson.format).toBe('gradiente-model');
    expect(artifacts.modelJson.version).toBe(1);
    expect(artifacts.modelJson.layers.map((l) => l.class)).toEqual(['Dense', 'Dropout', 'Dense', 'Activation', 'Dense']);
    expect(artifacts.modelJson.layers[3]).toEqual({ class: 'Activation', config: { activation: 'elu', alpha: 0.7 } });
    // Through real JSON text, as a file would carry it.
    const loaded = modelFromArtifacts({ modelJson: JSON.parse(JSON.stringify(artifacts.modelJson)), weights: artifacts.weights });
    expect(bits(loaded.predict(x))).toEqual(bits(before));
    expect(loaded.layers[2]).toBeInstanceOf(Dense);
    expect((loaded.layers[2] as Dense).options.activationAlpha).toBe(0.2);
    expect(loaded.compileConfig).toBeNull();
  });

  it('recovers an Activation layer\'s alpha exactly, even inside noGrad', () => {
    for (const activation of ['leakyRelu', 'elu'] as const) {
      for (const alpha of [0.1, 1 / 3, 0.7, 2.5]) {
        const model = new Sequential([new Dense(2, { inputDim: 2 }), new Activation(activation, { alpha })]);
        const layers = noGrad(() => modelToArtifacts(model).modelJson.layers);
        expect(layers[1]).toEqual({ class: 'Activation', config: { activation, alpha } });
      }
    }
  });

  it('does not disturb the global random generator when loading', () => {
    manualSeed(3);
    const artifacts = modelToArtifacts(makeModel());
    const unsigned = (state: number[]): number[] => state.map((v, i) => (i < 4 ? v >>> 0 : v));
    const state = unsigned(globalRandom.getState());
    modelFromArtifacts(artifacts);
    expect(unsigned(globalRandom.getState())).toEqual(state);
  });

  it('keeps a model that starts with Flatten; refuses an unbuilt one', () => {
    const model = new Sequential([new Flatten(), new Dense(2, { inputDim: 6 })]);
    const x = randn([2, 2, 3]);
    const loaded = modelFromArtifacts(modelToArtifacts(model));
    expect(loaded.layers[0]).toBeInstanceOf(Flatten);
    expect(bits(loaded.predict(x))).toEqual(bits(model.predict(x)));
    expect(() => modelToArtifacts(new Sequential([new Dense(2)]))).toThrow(/not built/);
  });

  for (const optimizer of ['adam', 'adamw', 'rmsprop', 'nesterov'] as const) {
    it(`a resumed training continues identically (${optimizer}, dropout and shuffling on the global generator)`, async () => {
      const run = async (split: boolean, includeRandomState = true): Promise<{ weights: Uint32Array; losses: number[] }> => {
        manualSeed(7);
        const { x, y } = blobs(40);
        let model = makeModel();
        model.compile({ optimizer: { type: optimizer, learningRate: 0.01 }, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
        const losses: number[] = [];
        if (split) {
          losses.push(...(await model.fit(x, y, { epochs: 2, batchSize: 8 })).iterationLoss);
          const artifacts = modelToArtifacts(model, { includeRandomState, trainingConfig: { epochsDone: 2 } });
          const text = JSON.stringify(artifacts.modelJson);
          manualSeed(12345); // anything in between must not matter: the file restores the generator
          randn([17]);
          model = modelFromArtifacts({ modelJson: JSON.parse(text), weights: artifacts.weights.slice(0) });
          expect(model.optimizer.iterations).toBe(10);
          expect(model.compileConfig).toEqual({ optimizer: model.optimizer.type, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
          losses.push(...(await model.fit(x, y, { epochs: 3, batchSize: 8 })).iterationLoss);
        } else {
          losses.push(...(await model.fit(x, y, { epochs: 5, batchSize: 8 })).iterationLoss);
        }
        const all = new Float32Array(model.parameters().reduce((n, p) => n + p.size, 0));
        let o = 0;
        for (const p of model.parameters()) {
          all.set(p.data, o);
          o += p.size;
        }
        return { weights: new Uint32Array(all.buffer), losses };
      };
      const straight = await run(false);
      const resumed = await run(true);
      expect(resumed.losses).toEqual(straight.losses);
      expect(resumed.weights).toEqual(straight.weights);
      if (optimizer === 'adam') {
        // Without the generator's state the dropout masks and orders differ: the check above has teeth.
        const unseeded = await run(true, false);
        expect(unseeded.losses.slice(10)).not.toEqual(straight.losses.slice(10));
      }
    });
  }

  it('a resumed run without the optimizer state differs (the test above can fail)', async () => {
    manualSeed(7);
    const { x, y } = blobs(40);
    const model = makeModel();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await model.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false });
    const withState = modelFromArtifacts(modelToArtifacts(model));
    const withoutState = modelFromArtifacts(modelToArtifacts(model, { includeOptimizer: false }));
    expect(withoutState.optimizer.iterations).toBe(0);
    const a = await withState.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false });
    const b = await withoutState.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false });
    expect(a.iterationLoss[1]).not.toEqual(b.iterationLoss[1]);
  });

  it('keeps the learning-rate schedule, loss options and training config', () => {
    const model = new Sequential([new Dense(3, { inputDim: 2 })]);
    model.compile({ optimizer: { type: 'momentum', learningRate: stepDecay(0.1, 2, 0.5) }, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    model.optimizer.iterations = 5;
    const artifacts = modelToArtifacts(model, { lossOptions: { fromLogits: true }, trainingConfig: { note: 'hello', epochs: [1, 2] } });
    expect(artifacts.modelJson.training?.lossOptions).toEqual({ fromLogits: true });
    const loaded = modelFromArtifacts({ modelJson: JSON.parse(JSON.stringify(artifacts.modelJson)), weights: artifacts.weights });
    expect(loaded.optimizer.type).toBe('sgd');
    expect(loaded.optimizer.hyper).toEqual({ momentum: 0.9, nesterov: false, weightDecay: 0 });
    expect(loaded.optimizer.iterations).toBe(5);
    expect(loaded.optimizer.currentLearningRate).toBe(0.025);
    expect(artifacts.modelJson.trainingConfig).toEqual({ note: 'hello', epochs: [1, 2] });
    // fromLogits reached the loss: logits of +-30 give a finite, tiny loss, not log(clipped probability).
    const y = tensor([[1, 0, 0]]);
    expect(loaded.evaluate(tensor([[0, 0]]), y).loss).toBeCloseTo(Math.log(3), 5);
  });

  it('refuses what it cannot save, naming it', () => {
    class Mystery extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(() => modelToArtifacts(new Sequential([new Dense(2, { inputDim: 2 }), new Mystery()]))).toThrow(/layer 1 \(Mystery\)/);
    const custom = new Sequential([new Dense(2, { inputDim: 2 })]);
    custom.compile({ optimizer: 'sgd', loss: (t, p) => p.sub(t).square().mean() });
    expect(() => modelToArtifacts(custom)).toThrow(/custom loss/);
    const weightsOnly = modelFromArtifacts(modelToArtifacts(custom, { includeOptimizer: false }));
    expect(weightsOnly.compileConfig).toBeNull();
  });

  it('refuses NaN weights by default, on save and on load', () => {
    const model = new Sequential([new Dense(2, { inputDim: 2 })]);
    model.layers[0]!.parameters()[0]!.data[1] = Number.NaN;
    expect(() => modelToArtifacts(model)).toThrow(/'0\.kernel'.*NaN at index 1/);
    const artifacts = modelToArtifacts(model, { allowNonFinite: true });
    expect(() => modelFromArtifacts(artifacts)).toThrow(ModelFormatError);
    const loaded = modelFromArtifacts(artifacts, { allowNonFinite: true });
    expect(Number.isNaN(loaded.parameters()[0]!.data[1])).toBe(true);
  });

  it('checks weight shapes against the layers before building them', () => {
    const json = JSON.parse(JSON.stringify(modelToArtifacts(new Sequential([new Dense(3, { inputDim: 2 }), new Dense(2)])).modelJson));
    const weights = new ArrayBuffer((6 + 3 + 6 + 2) * 4);
    json.layers[0].config.units = 4;
    expect(() => modelFromArtifacts({ modelJson: json, weights })).toThrow(/needs \[D, 4\]/);
    json.layers[0].config.units = 3;
    json.weightsManifest.weights[2].shape = [2, 3];
    json.weightsManifest.weights[3].shape = [3];
    json.layers[1].config.units = 3;
    expect(() => modelFromArtifacts({ modelJson: json, weights: new ArrayBuffer((6 + 3 + 6 + 3) * 4) })).toThrow(/layer 1 \(Dense\) takes 2 inputs but the Dense layer before it gives 3/);
    // A layer with no kernel in the file would be built with fresh random weights of any size: refused.
    json.weightsManifest.weights[2].shape = [3, 3];
    expect(modelFromArtifacts({ modelJson: json, weights: new ArrayBuffer((6 + 3 + 9 + 3) * 4) }).layers.length).toBe(2);
    json.layers.push({ class: 'Dense', config: { units: 2 ** 31 - 1 } });
    expect(() => modelFromArtifacts({ modelJson: json, weights: new ArrayBuffer((6 + 3 + 9 + 3) * 4) })).toThrow(/layer 2 is Dense\(2147483647\) but the weights manifest has no '2\.kernel'/);
  });
});
