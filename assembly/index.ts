/**
 * The WebAssembly kernels of the 'wasm' backend. Everything works on raw byte addresses in
 * one linear memory that the host creates and imports (shared between threads when it can
 * be), so the module has no allocator and no runtime. Its only static data are the
 * standard library's constant tables for exp/log (below `__heap_base`); every instance in
 * every worker writes the same bytes there when it starts, before any kernel runs, so
 * sharing the memory is safe. Nothing here may keep mutable state in memory or globals.
 */
export { gemm, gemmWorkspaceBytes, gemmTileRows, gemmTileCols, packSharedA, packSharedB, packedASize, packedBSize } from './gemm';
export { gemmRowsByRows, gemmRowsByCols } from './gemv';
export { unary, unaryGrad, binarySame, binaryRows, binaryColumns, binaryScalarOp } from './elementwise';
export { sumColumns, maxColumns, sumRows, maxRows, softmax, softmaxGrad } from './reduce';

/** First free byte above the static data: the host places its buffers from here on. */
export function heapBase(): usize {
  return __heap_base;
}
