/** Formulas typeset with KaTeX (CSS and fonts bundled by Vite: no CDN). */
import katex from 'katex';
import 'katex/dist/katex.min.css';

export function renderMath(target: HTMLElement, tex: string, displayMode = true): void {
  katex.render(tex, target, { displayMode, throwOnError: true, output: 'htmlAndMathml' });
}

/** A number written for TeX (minus sign, a few digits). */
export function texNumber(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return x > 0 ? '\\infty' : x < 0 ? '-\\infty' : '\\text{NaN}';
  const a = Math.abs(x);
  if (x !== 0 && (a >= 1e5 || a < 1e-3)) {
    const [m, e] = x.toExponential(digits - 1).split('e');
    return `${m}\\times 10^{${Number(e)}}`;
  }
  return Number(x.toPrecision(digits)).toString();
}
