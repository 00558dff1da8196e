/**
 * The network evaluated on the figures' grids of input points: the decision map's predictions
 * and every Dense layer's output for the per-neuron maps. Pure engine code (no DOM), so the same
 * function runs on the page (a step, a pause) and in grid-worker.ts (while training plays), and
 * a test can check that both give the same numbers for the same weights.
 */
import { Dense, noGrad, Sequential, tensor, type ActivationName, type Tensor } from '../../../src/index.js';

/** One Dense layer's shape, activation and weights, copied out of the model (plain data: it crosses to the worker). */
export interface DenseSnapshot {
  units: number;
  inputDim: number;
  activation: ActivationName;
  activationAlpha?: number;
  kernel: Float32Array;
  bias: Float32Array | null;
}

/** Row-major values of a layer's output on a grid: `rows` points × `units`. */
export interface GridValues {
  data: Float32Array;
  rows: number;
  units: number;
}

/** Points of a grid, `dim` coordinates each. */
export interface GridPoints {
  data: Float32Array;
  dim: number;
}

/**
 * The Dense layers of `model` with copies of their weights. Dropout is left out: the figures
 * show the network in evaluation mode, where dropout passes its input through.
 */
export function snapshotDense(model: Sequential): DenseSnapshot[] {
  return model.layers
    .filter((l): l is Dense => l instanceof Dense)
    .map((layer) => ({
      units: layer.units,
      inputDim: layer.inputDim!,
      activation: layer.activation,
      ...(layer.options.activationAlpha === undefined ? {} : { activationAlpha: layer.options.activationAlpha }),
      kernel: Float32Array.from(layer.kernel!.data),
      bias: layer.bias === null ? null : Float32Array.from(layer.bias.data),
    }));
}

/** A Sequential of Dense layers holding the snapshot's weights (the worker's copy of the page's network). */
export function modelFromSnapshot(layers: readonly DenseSnapshot[]): Sequential {
  return new Sequential(
    layers.map((s) => {
      const layer = new Dense(s.units, { activation: s.activation, inputDim: s.inputDim, useBias: s.bias !== null, ...(s.activationAlpha === undefined ? {} : { activationAlpha: s.activationAlpha }) });
      layer.kernel!.data.set(s.kernel);
      if (s.bias !== null) layer.bias!.data.set(s.bias);
      return layer;
    }),
  );
}

/** Each Dense layer's output on `points`, in evaluation mode (no dropout), without building a graph. */
export function denseOutputs(model: Sequential, points: GridPoints): GridValues[] {
  const rows = points.data.length / points.dim;
  const x0: Tensor = tensor(points.data, [rows, points.dim]);
  const wasTraining = model.training;
  model.eval();
  const outputs: GridValues[] = [];
  try {
    noGrad(() => {
      let x = x0;
      for (const layer of model.layers) {
        x = layer.forward(x);
        if (layer instanceof Dense) outputs.push({ data: Float32Array.from(x.data), rows, units: layer.units });
      }
    });
  } finally {
    if (wasTraining) model.train();
  }
  return outputs;
}

/** What one evaluation returns: the network's output on the decision map's grid, and every layer's on the neuron maps' grid. */
export interface GridResult {
  boundary: GridValues | null;
  maps: GridValues[] | null;
}

export function evaluateGrids(model: Sequential, grids: { boundary: GridPoints | null; maps: GridPoints | null }): GridResult {
  return {
    boundary: grids.boundary === null ? null : denseOutputs(model, grids.boundary).at(-1)!,
    maps: grids.maps === null ? null : denseOutputs(model, grids.maps),
  };
}
