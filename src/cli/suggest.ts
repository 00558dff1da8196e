/** "did you mean": the library's suggester (browser-safe, src/suggest.ts), for the command's flags and names. */
export { closest, didYouMean } from '../suggest.js';
