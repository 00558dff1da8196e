/**
 * TensorFlow.js Layers format, checked against the real @tensorflow/tfjs: our export loads
 * in tf.loadLayersModel and predicts the same; models built and saved by tfjs import here
 * and predict the same.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Activation,
  Dense,
  Dropout,
  Flatten,
  ModelFormatError,
  Sequential,
  Tensor,
  manualSeed,
  modelFromTfjsArtifacts,
  modelToTfjsArtifacts,
  randn,
  type ActivationName,
  type TfjsModelJson,
} from '../../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Load our export into real TF.js, through JSON text as a file would carry it. */
async function loadInTfjs(model: Sequential, options = {}): Promise<tf.LayersModel> {
  const { modelJson, weightsBin } = modelToTfjsArtifacts(model, options);
  const json = JSON.parse(JSON.stringify(modelJson)) as TfjsModelJson;
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology as unknown as tf.io.ModelArtifacts['modelTopology'], weightSpecs: json.weightsManifest[0]!.weights, weightData: weightsBin.slice(0) }),
  );
}

/** Save a TF.js model the way tf.io.browserFiles / file:// would lay it out: model.json + one weights file. */
async function saveFromTfjs(model: tf.LayersModel): Promise<{ modelJson: unknown; weightsBin: ArrayBuffer }> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = saved! as tf.io.ModelArtifacts;
  const data = a.weightData!;
  const weightsBin = Array.isArray(data) ? (tf.io.concatenateArrayBuffers(data) as ArrayBuffer) : (data as ArrayBuffer);
  const modelJson = { format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy, modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] };
  return { modelJson: JSON.parse(JSON.stringify(modelJson)), weightsBin };
}

function tfPredict(model: tf.LayersModel, x: Tensor): Float32Array {
  const out = model.predict(tf.tensor(Array.from(x.data), [...x.shape])) as tf.Tensor;
  return out.dataSync() as Float32Array;
}

/**
 * Largest difference, absolute for values up to 1 and relative above: float32 keeps about 7
 * digits, so outputs of size 100 (a logSoftmax feeding a Dense) differ by ~1e-5 in any two
 * correct implementations that merely sum in another order.
 */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return m;
}

const denseActivations: ActivationName[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'gelu', 'geluTanh', 'swish', 'silu', 'softplus', 'softmax', 'logSoftmax'];

describe('export to TensorFlow.js', () => {
  it('refuses the two activations TF.js cannot load, saying why', () => {
    expect(() => modelToTfjsArtifacts(new Sequential([new Dense(2, { activation: 'elu', activationAlpha: 0.5, inputDim: 2 })]))).toThrow(/alpha 1 only/);
    expect(() => modelToTfjsArtifacts(new Sequential([new Dense(2, { activation: 'geluTanh', inputDim: 2 })]))).toThrow(/gelu_new/);
    expect(() => modelToTfjsArtifacts(new Sequential([new Dense(2, { inputDim: 2 }), new Activation('elu', { alpha: 2 })]))).toThrow(ModelFormatError);
  });

  for (const activation of denseActivations.filter((a) => a !== 'geluTanh')) {
    it(`Dense with ${activation} loads in tf.loadLayersModel and predicts the same to 1e-5`, async () => {
      manualSeed(11);
      const model = new Sequential([
        new Dense(16, { activation, inputDim: 5, ...(activation === 'leakyRelu' ? { activationAlpha: 0.3 } : {}) }),
        new Dense(4, { activation: 'linear' }),
      ]);
      // Larger weights than init, so every activation sees its negative and saturating range.
      for (const p of model.parameters()) for (let i = 0; i < p.size; i++) p.data[i] *= 3;
      const x = randn([64, 5]);
      const loaded = await loadInTfjs(model);
      expect(maxAbsDiff(tfPredict(loaded, x), model.predict(x).data)).toBeLessThan(1e-5);
    });
  }

  it('Activation, Dropout and Flatten layers (with an input shape) export too', async () => {
    manualSeed(12);
    const model = new Sequential([
      new Flatten(),
      new Dense(8, { activation: 'relu', inputDim: 6 }),
      new Dropout(0.4),
      new Activation('leakyRelu', { alpha: 0.05 }),
      new Dense(3),
      new Activation('elu'),
      new Activation('softmax'),
    ]);
    model.build([1, 2, 3]);
    const x = randn([4, 2, 3]);
    const loaded = await loadInTfjs(model, { inputShape: [2, 3] });
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['Flatten', 'Dense', 'Dropout', 'LeakyReLU', 'Dense', 'Activation', 'Activation']);
    expect(maxAbsDiff(tfPredict(loaded, x), model.predict(x).data)).toBeLessThan(1e-5);
  });
});

describe('import from TensorFlow.js', () => {
  const tfjsActivations = ['relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'gelu', 'gelu_new', 'swish', 'softplus', 'linear'] as const;
  for (const activation of tfjsActivations) {
    it(`a Sequential Dense model with ${activation} saved by TF.js imports and predicts the same`, async () => {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 12, inputShape: [6], activation, kernelInitializer: tf.initializers.randomNormal({ stddev: 1.5, seed: 1 }), biasInitializer: tf.initializers.randomNormal({ stddev: 0.5, seed: 2 }) }));
      m.add(tf.layers.dense({ units: 3, activation: 'linear' }));
      const artifacts = await saveFromTfjs(m);
      const model = modelFromTfjsArtifacts(artifacts);
      const x = randn([7, 6], { std: 2 });
      expect(maxAbsDiff(model.predict(x).data, tfPredict(m, x))).toBeLessThan(1e-5);
    });
  }

  it('activation layers (LeakyReLU, ELU, ReLU, Softmax, Activation), Dropout and Flatten import', async () => {
    const m = tf.sequential();
    m.add(tf.layers.flatten({ inputShape: [2, 4] }));
    m.add(tf.layers.dense({ units: 10, useBias: false, kernelInitializer: tf.initializers.randomNormal({ stddev: 1, seed: 3 }) }));
    m.add(tf.layers.leakyReLU({ alpha: 0.25 }));
    m.add(tf.layers.dropout({ rate: 0.5 }));
    m.add(tf.layers.dense({ units: 6, kernelInitializer: tf.initializers.randomNormal({ stddev: 1, seed: 4 }) }));
    m.add(tf.layers.elu());
    m.add(tf.layers.reLU());
    m.add(tf.layers.activation({ activation: 'tanh' }));
    m.add(tf.layers.dense({ units: 4 }));
    m.add(tf.layers.softmax());
    const model = modelFromTfjsArtifacts(await saveFromTfjs(m));
    expect(model.layers.map((l) => l.constructor.name)).toEqual(['Flatten', 'Dense', 'Activation', 'Dropout', 'Dense', 'Activation', 'Activation', 'Activation', 'Dense', 'Activation']);
    const x = randn([5, 2, 4]);
    expect(maxAbsDiff(model.predict(x).data, tfPredict(m, x))).toBeLessThan(1e-5);
  });

  it('names every unsupported layer in its error', async () => {
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, name: 'my_conv' }));
    m.add(tf.layers.batchNormalization({ name: 'my_norm' }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 2 }));
    const artifacts = await saveFromTfjs(m);
    expect(() => modelFromTfjsArtifacts(artifacts)).toThrow(ModelFormatError);
    expect(() => modelFromTfjsArtifacts(artifacts)).toThrow(/Conv2D 'my_conv', BatchNormalization 'my_norm'/);
  });

  it('names an unsupported activation and the layer it is in', async () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 2, inputShape: [3], activation: 'selu', name: 'scaled' }));
    await expect(saveFromTfjs(m).then((a) => modelFromTfjsArtifacts(a))).rejects.toThrow(/'selu' \(in layer scaled\)/);
  });

  it('export then import gives bit-identical predictions', () => {
    manualSeed(5);
    const model = new Sequential([new Dense(7, { activation: 'gelu', inputDim: 3 }), new Dense(5, { activation: 'leakyRelu', activationAlpha: 0.1 }), new Dense(2, { activation: 'softmax' })]);
    const { modelJson, weightsBin } = modelToTfjsArtifacts(model);
    const back = modelFromTfjsArtifacts({ modelJson: JSON.parse(JSON.stringify(modelJson)), weightsBin });
    const x = randn([6, 3]);
    expect(Array.from(back.predict(x).data)).toEqual(Array.from(model.predict(x).data));
  });
});
