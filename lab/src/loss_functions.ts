/** Loss functions page: regression losses, cross-entropies, and the outlier experiment. */
import { byId } from './common/dom.js';
import { pageReady, setupPage } from './common/layout.js';
import { mountBinary, mountCategorical } from './loss-functions/classification.js';
import { mountOutlier } from './loss-functions/outlier.js';
import { mountRace } from './loss-functions/race-view.js';
import { mountRegression } from './loss-functions/regression.js';

await setupPage('losses');
mountRegression(byId('regression'));
mountBinary(byId('bce'));
mountCategorical(byId('cce'));
mountRace(byId('race'));
mountOutlier(byId('outlier'));
pageReady();
