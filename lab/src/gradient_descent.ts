/** Gradient descent page: a 1-D ball on a parabola, then optimizers on 2-D loss surfaces. */
import { pageReady, setupPage } from './common/layout.js';
import { mountOneD } from './gradient-descent/one-d.js';
import { mountSurfaceLab } from './gradient-descent/surface-lab.js';
import { mountComparison } from './gradient-descent/compare.js';
import { byId } from './common/dom.js';

await setupPage('gradientDescent');
mountOneD(byId('oned'));
mountSurfaceLab(byId('surface-lab'));
mountComparison(byId('race'));
pageReady();
