/**
 * ONNX export, validated by running the file in ONNX Runtime (onnxruntime-web's wasm backend
 * in Node) and comparing its predictions with ours.
 */
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { Activation, Dense, Dropout, Flatten, ModelFormatError, Module, Sequential, Tensor, ValueError, manualSeed, modelToOnnx, modelToOnnxGraph, randn, type ActivationName } from '../../src/index.js';

const { onnx } = onnxProto;

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

async function runInOrt(bytes: Uint8Array, x: Tensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.data), [...x.shape]) });
  return out.output!.data as Float32Array;
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

const activations: ActivationName[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'gelu', 'geluTanh', 'swish', 'silu', 'softplus', 'softmax', 'logSoftmax'];

describe('ONNX export runs in ONNX Runtime and predicts the same to 1e-5', () => {
  for (const opset of [17, 20]) {
    for (const activation of activations) {
      it(`opset ${opset}: Dense with ${activation}`, async () => {
        manualSeed(21);
        const model = new Sequential([
          new Dense(16, { activation, inputDim: 5, ...(activation === 'leakyRelu' || activation === 'elu' ? { activationAlpha: 0.3 } : {}) }),
          new Dense(3),
        ]);
        for (const p of model.parameters()) for (let i = 0; i < p.size; i++) p.data[i] *= 3;
        const x = randn([64, 5]);
        const bytes = await modelToOnnx(model, { opset });
        expect(maxAbsDiff(await runInOrt(bytes, x), model.predict(x).data)).toBeLessThan(1e-5);
      });
    }
  }

  it('Flatten, Dropout, Activation layers and a Dense without bias', async () => {
    manualSeed(22);
    const model = new Sequential([
      new Flatten(),
      new Dense(8, { activation: 'swish', inputDim: 12, useBias: false }),
      new Dropout(0.5),
      new Activation('leakyRelu', { alpha: 0.2 }),
      new Dense(4),
      new Activation('softmax'),
    ]);
    model.build([1, 3, 4]);
    const x = randn([6, 3, 4]);
    const bytes = await modelToOnnx(model, { inputShape: [3, 4] });
    expect(maxAbsDiff(await runInOrt(bytes, x), model.predict(x).data)).toBeLessThan(1e-5);
  });

  it('a model ending in a layer that computes nothing still has its output', async () => {
    const model = new Sequential([new Dense(3, { inputDim: 2 }), new Dropout(0.1)]);
    const x = randn([2, 2]);
    expect(maxAbsDiff(await runInOrt(await modelToOnnx(model), x), model.predict(x).data)).toBeLessThan(1e-6);
  });
});

describe('ONNX file structure', () => {
  it('declares the opset, the producer and a dynamic batch axis; uses native ops where the opset has them', async () => {
    const model = new Sequential([new Dense(4, { activation: 'gelu', inputDim: 3 }), new Dense(2, { activation: 'swish' })]);
    const decoded17 = onnx.ModelProto.decode(await modelToOnnx(model, { opset: 17 }));
    expect(Number(decoded17.opsetImport[0]!.version)).toBe(17);
    expect(decoded17.producerName).toBe('gradiente');
    expect((decoded17.graph!.input ?? [])[0]!.type!.tensorType!.shape!.dim![0]!.dimParam).toBe('N');
    const ops17 = (decoded17.graph!.node ?? []).map((n) => n.opType);
    expect(ops17).toContain('Erf');
    expect(ops17).not.toContain('Gelu');
    const ops20 = (onnx.ModelProto.decode(await modelToOnnx(model, { opset: 20 })).graph!.node ?? []).map((n) => n.opType);
    expect(ops20).toEqual(['Gemm', 'Gelu', 'Gemm', 'Sigmoid', 'Mul']);
  });

  it('refuses opsets it does not write and layers it does not know', async () => {
    const model = new Sequential([new Dense(2, { inputDim: 2 })]);
    expect(() => modelToOnnxGraph(model, { opset: 13 })).toThrow(ValueError);
    const nan = new Sequential([new Dense(2, { inputDim: 2 })]);
    nan.parameters()[1]!.data[0] = Number.NaN;
    expect(() => modelToOnnxGraph(nan)).toThrow(/'0\.bias'.*NaN/);
    expect(modelToOnnxGraph(nan, { allowNonFinite: true }).initializers).toHaveLength(2);
    class Mystery extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(() => modelToOnnxGraph(new Sequential([new Dense(2, { inputDim: 2 }), new Mystery()]))).toThrow(/layer 1 \(Mystery\)/);
    expect(() => modelToOnnxGraph(new Sequential([new Dense(2, { inputDim: 2 }), new Mystery()]))).toThrow(ModelFormatError);
  });
});
