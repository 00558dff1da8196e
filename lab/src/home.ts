/** Home page: the course's sections mapped to the pages. */
import { pageReady, setupPage } from './common/layout.js';

await setupPage('home');
pageReady();
