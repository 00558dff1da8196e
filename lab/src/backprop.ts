/** Backpropagation page: one iteration of a tiny network, phase by phase, with its numbers. */
import { mountBackprop } from './backprop/app.js';
import { byId } from './common/dom.js';
import { pageReady, setupPage } from './common/layout.js';

await setupPage('backprop');
mountBackprop(byId('backprop'));
pageReady();
