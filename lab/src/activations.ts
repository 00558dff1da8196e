/** Derivatives and activations page: f and f′, a small network's numbers, vanishing gradients. */
import { mountGallery } from './activations/gallery.js';
import { mountNetwork } from './activations/network.js';
import { mountVanishing } from './activations/vanishing.js';
import { byId } from './common/dom.js';
import { pageReady, setupPage } from './common/layout.js';

await setupPage('activations');
mountGallery(byId('gallery'));
mountNetwork(byId('network'));
mountVanishing(byId('vanishing'));
pageReady();
