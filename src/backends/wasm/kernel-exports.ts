/**
 * The functions the kernel module exports (assembly/index.ts). Addresses are byte offsets
 * into the module's memory; strides and sizes count floats.
 */
export interface KernelExports {
  heapBase(): number;
  gemmWorkspaceBytes(): number;
  gemmTileRows(): number;
  gemmTileCols(): number;
  gemm(
    a: number, aRow: number, aCol: number,
    b: number, bRow: number, bCol: number,
    c: number, ldc: number, bias: number,
    k: number, m0: number, m1: number, n0: number, n1: number,
    work: number, sharedA: number, sharedB: number, m: number, n: number,
  ): void;
  packedASize(m: number, k: number): number;
  packedBSize(k: number, n: number): number;
  packSharedA(a: number, aRow: number, aCol: number, m: number, k: number, dst: number): void;
  packSharedB(b: number, bRow: number, bCol: number, k: number, n: number, dst: number): void;
  gemmRowsByRows(
    a: number, aRow: number, aCol: number,
    b: number, bRow: number,
    c: number, ldc: number, bias: number,
    m: number, k: number, n: number,
  ): void;
  gemmRowsByCols(
    a: number, aRow: number,
    b: number, bCol: number,
    c: number, ldc: number, bias: number,
    m: number, k: number, n: number,
  ): void;
  unary(op: number, x: number, out: number, n: number, alpha: number, beta: number): void;
  unaryGrad(op: number, x: number, y: number, dy: number, out: number, n: number, alpha: number, beta: number): void;
  binarySame(op: number, a: number, b: number, out: number, n: number): void;
  binaryRows(op: number, full: number, row: number, out: number, rows: number, cols: number, rowFirst: number): void;
  binaryColumns(op: number, full: number, column: number, out: number, rows: number, cols: number, columnFirst: number): void;
  binaryScalarOp(op: number, a: number, s: number, out: number, n: number, scalarFirst: number): void;
  sumColumns(x: number, out: number, outer: number, reduced: number, inner: number): void;
  maxColumns(x: number, out: number, outer: number, reduced: number, inner: number): void;
  sumRows(x: number, out: number, rows: number, len: number): void;
  maxRows(x: number, out: number, rows: number, len: number): void;
  softmax(x: number, out: number, rows: number, cols: number, log: number): void;
  softmaxGrad(y: number, dy: number, out: number, rows: number, cols: number, log: number): void;
}
