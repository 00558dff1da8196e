/**
 * gradiente/node: everything in 'gradiente' plus the pieces that need Node (reading files, and
 * the 'native' backend: importing this entry point lets ready() pick it before 'wasm').
 */
export * from './index.js';
export { initNativeBackend, nativeBackendInfo, nativeBackendStatus, type NativeBackendOptions, type NativeBackendInfo, type NativeBackendStatus } from './node/native.js';
export { readIdx, loadIdxDataset, loadFashionMnist, DEFAULT_FASHION_MNIST_DIR, FASHION_MNIST_CLASSES, type FashionMnist } from './node/idx.js';
export { loadCsv, loadCsvStreaming } from './node/csv.js';
export { streamCsvTable, type StreamCsvOptions, type StreamedCsv } from './node/csv-stream.js';
export { loadJsonRecords, loadJsonRecordsStreaming } from './node/json.js';
export { streamJsonTable, type StreamJsonOptions, type StreamedJson } from './node/json-stream.js';
export { saveModel, loadModel, readModelInfo, type SaveModelOptions, type LoadModelOptions, type SavedModelFiles } from './node/model-files.js';
export { exportModel, importModel, type ExportFormat, type ExportModelOptions, type ExportedModel, type ImportFormat, type ImportModelOptions, type ImportedModel } from './node/model-export.js';
export {
  exportPytorchProject,
  importPytorchProject,
  isPytorchProject,
  replaceDirectory,
  type PytorchExportOptions,
  type PytorchExport,
  type PytorchProjectData,
  type PytorchImport,
} from './node/pytorch-export.js';
