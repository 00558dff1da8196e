/** Training playground page. */
import { pageReady, setupPage } from './common/layout.js';
import { mountPlayground } from './playground/app.js';

await setupPage('playground');
mountPlayground();
pageReady();
