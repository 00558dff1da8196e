/**
 * Moving a model: train a small classifier, checkpoint it and resume, then export it for
 * TensorFlow.js (and through it Keras) and for ONNX Runtime (and through it PyTorch), and
 * import the TensorFlow.js copy back. docs/MOVING-MODELS.md walks through this file, and
 * test/io/moving-models.test.ts runs it and loads its files in the real libraries.
 *
 *   npm run build && node dist/examples/export-model.js OUT_DIR
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Dense, Sequential, exportModel, importModel, loadModel, manualSeed, saveModel, spiral, type Tensor } from '../src/node.js';

export interface MovedModel {
  /** Three-class spiral points to predict on, and what the trained model says about them. */
  x: Tensor;
  predictions: Tensor;
  /** Directories / files written. */
  checkpointDir: string;
  tfjsDir: string;
  onnxFile: string;
  /** Largest difference between the model and its TensorFlow.js copy imported back. */
  reimportDifference: number;
}

export async function moveModel(outDir: string, log: (line: string) => void = () => {}): Promise<MovedModel> {
  manualSeed(1);
  const { x, y } = spiral({ n: 300, classes: 3, seed: 2 });
  const model = new Sequential([
    new Dense(32, { activation: 'relu', inputDim: 2 }),
    new Dense(32, { activation: 'tanh' }),
    new Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: { type: 'adam', learningRate: 0.01 }, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 20, batchSize: 32, seed: 3 });

  // 1. A checkpoint keeps the optimizer's state: loading it and training on continues the run.
  const checkpointDir = join(outDir, 'checkpoint');
  await saveModel(model, checkpointDir, { trainingConfig: { epochsDone: 20 } });
  const resumed = await loadModel(checkpointDir);
  await resumed.fit(x, y, { epochs: 20, batchSize: 32, seed: 4 });
  log(`resumed from iteration 200, now at ${resumed.optimizer.iterations}: accuracy ${resumed.evaluate(x, y).accuracy!.toFixed(3)}`);

  // 2. TensorFlow.js Layers format: a directory with model.json + weights.bin.
  const tfjsDir = join(outDir, 'tfjs');
  await exportModel(resumed, { format: 'tfjs', out: tfjsDir });
  // 3. ONNX (opset 17): one file for ONNX Runtime, PyTorch (onnx2torch) or TensorFlow (onnx-tf).
  const onnxFile = join(outDir, 'model.onnx');
  await exportModel(resumed, { format: 'onnx', out: onnxFile, opset: 17 });

  // 4. And back: a TensorFlow.js (or Keras-converted) Sequential model imports as a gradiente model.
  const { model: imported, format } = await importModel(tfjsDir);
  const predictions = resumed.predict(x);
  const again = imported.predict(x);
  let reimportDifference = 0;
  for (let i = 0; i < predictions.size; i++) reimportDifference = Math.max(reimportDifference, Math.abs(predictions.data[i]! - again.data[i]!));
  log(`wrote ${tfjsDir} and ${onnxFile}; imported the ${format} copy back, largest difference ${reimportDifference}`);
  return { x, predictions, checkpointDir, tfjsDir, onnxFile, reimportDifference };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await moveModel(process.argv[2] ?? 'moved-model', console.log);
}
