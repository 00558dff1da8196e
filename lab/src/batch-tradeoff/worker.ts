/**
 * The trade-off's worker: loads the built-in MNIST digits (the same compact bytes as the MNIST
 * page's worker) and runs the measurements off the page's thread, posting each run as it ends.
 */
import { mnistFromBytes, oneHot, ready, splitMnist } from '../../../src/index.js';
import digitsUrl from '@mnist-bytes/mnist-digits.bin?url';
import type { FromTradeoffWorker, ToTradeoffWorker } from './protocol.js';
import { runOnce, runOrder, TRADEOFF_BATCHES, type TradeoffData } from './tradeoff.js';

interface Scope {
  postMessage(message: FromTradeoffWorker): void;
  onmessage: ((event: MessageEvent<ToTradeoffWorker>) => void) | null;
}
const scope = self as unknown as Scope;
const post = (message: FromTradeoffWorker): void => scope.postMessage(message);

/** Checkpoints every 0.05 epoch through the first epoch: per-epoch comparisons need them. */
const EPOCH_MARKS = Array.from({ length: 20 }, (_, k) => (k + 1) / 20);

let data: TradeoffData | null = null;

async function load(): Promise<TradeoffData> {
  const start = performance.now();
  const response = await fetch(digitsUrl);
  if (!response.ok) throw new Error(`MNIST digits: ${digitsUrl} answered ${response.status} ${response.statusText}`);
  const [, digits] = await Promise.all([ready(), response.arrayBuffer().then((b) => mnistFromBytes(b, digitsUrl))]);
  const split = splitMnist(digits, { trainSize: 8000, testSize: 1000, seed: 0 });
  post({ type: 'loaded', seconds: (performance.now() - start) / 1000 });
  return { xTrain: split.xTrain, yTrain: oneHot(split.yTrain, 10), xTest: split.xTest, labelsTest: split.yTest.data as Float32Array };
}

scope.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type !== 'run') return;
    data ??= await load();
    // A short untimed warm-up per batch size first: the first iterations compile and allocate,
    // which would otherwise be charged to whichever run happens to come first.
    for (const batchSize of TRADEOFF_BATCHES) runOnce(data, { batchSize, repeat: 99, seconds: 0.15, checkpoints: 1, hidden: 64, learningRate: 0.001, clock: () => performance.now() });
    const order = runOrder(message.repeats, TRADEOFF_BATCHES);
    for (const [k, { batchSize, repeat }] of order.entries()) {
      post({ type: 'progress', done: k, total: order.length, batchSize, repeat });
      const run = runOnce(data, { batchSize, repeat, seconds: message.secondsEach, checkpoints: 10, hidden: 64, learningRate: 0.001, epochMarks: EPOCH_MARKS, clock: () => performance.now() });
      post({ type: 'run', run });
    }
    post({ type: 'done' });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
