/** Data: loaders, splits and scaling, synthetic sets, built-in MNIST, CSV / JSON / IDX parsing (all browser-safe). */
export { DataLoader, type DataLoaderOptions, type Batch } from './dataloader.js';
export { takeRows } from './rows.js';
export {
  trainTestSplit,
  splitIndices,
  type SplitIndicesOptions,
  oneHot,
  argmax,
  standardize,
  minMaxScale,
  type TrainTestSplit,
  type TrainTestSplitOptions,
  type StandardizeStats,
  type StandardizeOptions,
  type MinMaxStats,
} from './transforms.js';
export {
  xor,
  circles,
  spiral,
  gaussians,
  line,
  plane,
  syntheticDatasets,
  type SyntheticOptions,
  type SyntheticDataset,
  type SyntheticDatasetName,
} from './synthetic.js';
export { loadMnistDigits, loadMnist, splitMnist, MNIST_IMAGE_SIZE, MNIST_NUM_DIGITS, type MnistDigits, type LoadMnistOptions } from './mnist.js';
export { mnistFromBytes, mnistToBytes } from './mnist-bytes.js';
export { tableToDataset, cellNumber, type TableOptions, type TableDataset, type TableTask, type Cell, type CellTable } from './table.js';
export { parseCsv, readCsvCells, csvTable, detectDelimiter, checkHeader, type CsvOptions, type CsvCells } from './csv.js';
export {
  inspectTable,
  fitFills,
  encodeRows,
  encodeParts,
  encodedFeatureNames,
  detectDecimal,
  shortText,
  parseNumber,
  isMissing,
  MISSING_SPELLINGS,
  MISSING_POLICIES,
  DEFAULT_MAX_CLASSES,
  type TablePlan,
  type ColumnPlan,
  type TablePrepOptions,
  type TableInspection,
  type MissingPolicy,
  type EncodeOptions,
  type EncodedRows,
} from './table-plan.js';
export { parseJsonRecords, recordsToDataset, recordsTable, jsonTable, type JsonRecordsOptions } from './json.js';
export { parseIdx, idxToDataset, type IdxData, type IdxArray, type IdxType, type IdxDataset, type IdxDatasetOptions } from './idx.js';
export { quantileStrata, tableTargetStrata, quantileName, DEFAULT_TARGET_BINS, type QuantileStrata } from './strata.js';
