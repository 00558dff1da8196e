/**
 * Evaluates the network on the figures' grids off the page's thread while training plays: the
 * page sends the weights (a snapshot of its Dense layers) and the grids' points, and gets back
 * the decision map's predictions and every layer's output for the neuron maps, so drawing them
 * never adds the network's cost on a few thousand points to an animation frame.
 */
import { ready } from '../../../src/index.js';
import { evaluateGrids, modelFromSnapshot, type DenseSnapshot, type GridPoints, type GridResult } from './grid-eval.js';

export type ToGridWorker = { id: number; layers: DenseSnapshot[]; boundary: GridPoints | null; maps: GridPoints | null };
/** `ms`: how long the evaluation took in the worker (the page paces its requests by it). */
export type FromGridWorker = { id: number; result: GridResult; ms: number } | { id: number; error: string };

const scope = self as unknown as { postMessage(m: FromGridWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<ToGridWorker>) => void) | null };
// The same backend as the page (WebAssembly where it runs), so both compute the same numbers.
const engine = ready();

scope.onmessage = async (event) => {
  const { id, layers, boundary, maps } = event.data;
  try {
    await engine;
    const start = performance.now();
    const result = evaluateGrids(modelFromSnapshot(layers), { boundary, maps });
    const ms = performance.now() - start;
    const buffers = [result.boundary?.data.buffer, ...(result.maps ?? []).map((m) => m.data.buffer)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    scope.postMessage({ id, result, ms }, buffers);
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
