/** Batch-processing page: MNIST trained in a Web Worker, a drawing pad, a throughput experiment. */
import { pageReady, setupPage } from './common/layout.js';
import { mountMnist } from './mnist/app.js';
import { mountTradeoff } from './batch-tradeoff/view.js';
import { byId } from './common/dom.js';

await setupPage('mnist');
mountMnist();
mountTradeoff(byId('tradeoff'));
pageReady();
