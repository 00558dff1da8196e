/**
 * How a compiled backend sees a reduction: x as [outer, reduced, inner] around a run of
 * consecutive axes, so one kernel call covers it. Both the wasm and the native backend use
 * this; other axis sets (none, or with gaps) go to the reference backend.
 */
export interface ReductionView {
  outer: number;
  reduced: number;
  inner: number;
}

/** The [outer, reduced, inner] view for consecutive `axes` of `shape`, or null where there is none. */
export function reductionView(shape: readonly number[], axes: readonly number[]): ReductionView | null {
  const contiguous = axes.length > 0 && axes.every((ax, i) => i === 0 || ax === axes[i - 1]! + 1);
  if (!contiguous) return null;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  let outer = 1;
  let reduced = 1;
  let inner = 1;
  for (let d = 0; d < shape.length; d++) {
    if (d < first) outer *= shape[d]!;
    else if (d <= last) reduced *= shape[d]!;
    else inner *= shape[d]!;
  }
  return { outer, reduced, inner };
}
