/** Export the trained model in TensorFlow.js Layers format (model.json + weights.bin). */
import { modelToTfjsArtifacts, type Sequential } from '../../../src/index.js';
import { download } from '../common/dom.js';
import type { PreparedData } from './data.js';

export function exportModelJson(model: Sequential): void {
  const { modelJson } = modelToTfjsArtifacts(model, { name: 'gradiente_playground' });
  download('model.json', JSON.stringify(modelJson, null, 2), 'application/json');
}

export function exportWeights(model: Sequential): void {
  const { weightsBin } = modelToTfjsArtifacts(model, { name: 'gradiente_playground' });
  download('weights.bin', weightsBin, 'application/octet-stream');
}

/** How inputs must be prepared for the exported model (CSV data is standardized first). */
export function exportPreprocessing(data: PreparedData): void {
  const info = {
    features: data.featureNames,
    classes: data.task === 'classification' ? data.classNames : null,
    standardization: data.scaling,
    output: data.outputActivation,
  };
  download('preprocessing.json', JSON.stringify(info, null, 2), 'application/json');
}
