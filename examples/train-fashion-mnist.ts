/**
 * Fashion-MNIST (60,000 training / 10,000 test images of clothes, IDX files): an MLP
 * 784-256-128-10 for 10 epochs. Needs the IDX files, e.g. Debian's dataset-fashion-mnist
 * package, or pass their folder: node dist/examples/train-fashion-mnist.js DIR
 */
import { Dense, Sequential, cosineDecay, getBackend, loadFashionMnist, manualSeed, ready } from '../src/node.js';

async function main(): Promise<void> {
  const epochs = 10;
  const batchSize = 64;
  await ready();
  manualSeed(11);
  const { xTrain, yTrain, xTest, yTest } = loadFashionMnist(process.argv[2]);
  const nTrain = xTrain.shape[0]!;
  console.log(`Fashion-MNIST · ${nTrain} training / ${xTest.shape[0]} test images · backend ${getBackend()}`);
  const model = new Sequential([
    new Dense(256, { activation: 'relu', inputDim: 784 }),
    new Dense(128, { activation: 'relu' }),
    new Dense(10),
  ]);
  model.compile({
    optimizer: { type: 'adam', learningRate: cosineDecay(1e-3, epochs * Math.ceil(nTrain / batchSize)) },
    loss: 'sparseCategoricalCrossentropy',
    lossOptions: { fromLogits: true },
    metrics: ['accuracy'],
  });
  const started = performance.now();
  await model.fit(xTrain, yTrain, {
    epochs,
    batchSize,
    seed: 1,
    validationData: [xTest, yTest],
    callbacks: [
      {
        onEpochEnd: (epoch, logs) =>
          console.log(
            `epoch ${epoch + 1}/${epochs}  loss ${logs.loss.toFixed(4)}  accuracy ${(100 * logs.metrics.accuracy!).toFixed(2)}%  ` +
              `test accuracy ${(100 * logs.val!.accuracy!).toFixed(2)}%  ${((performance.now() - started) / 1000).toFixed(0)} s`,
          ),
      },
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  const { accuracy } = model.evaluate(xTest, yTest);
  console.log(`test accuracy ${(100 * accuracy!).toFixed(2)}% after ${epochs} epochs · ${Math.round((epochs * nTrain) / seconds)} samples/s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `error: ${error.message}` : error);
  process.exit(1);
});
