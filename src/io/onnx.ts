/**
 * ONNX export: the model as an ONNX graph (opset 17 to 20), written with the published
 * ONNX schema compiled for protobufjs (the `onnx-proto` package). ONNX Runtime, PyTorch
 * (via onnx2torch) and TensorFlow (via onnx-tf) read it.
 *
 * Dense becomes Gemm (MatMul without a bias); Flatten becomes Flatten; Dropout disappears
 * (an inference graph). Activations use the native ONNX op where the opset has one and the
 * standard decomposition otherwise: Swish = x·Sigmoid(x) at every opset, GELU = native Gelu
 * from opset 20, else 0.5·x·(1 + Erf(x/√2)) (or the tanh form for geluTanh).
 *
 * onnx-proto is loaded on first use, so code that never exports ONNX does not load it.
 */
import type { ActivationName } from '../activations/index.js';
import { ModelFormatError, ValueError } from '../errors.js';
import { Activation, Dense, Dropout, Flatten } from '../nn/layers.js';
import type { Sequential } from '../nn/sequential.js';
import { activationAlphaOf } from './layer-config.js';
import { assertFiniteForSave, type NonFinitePolicy } from './weights.js';

export const ONNX_MIN_OPSET = 17;
export const ONNX_MAX_OPSET = 20;

export interface ToOnnxOptions extends NonFinitePolicy {
  /** ONNX operator set version, 17 to 20 (default 17: what most runtimes and converters read). */
  opset?: number;
  /** Shape of one input sample, without the batch axis (default [D] from the first Dense layer). */
  inputShape?: number[];
  /** Names of the graph's input and output (default 'input' and 'output'). */
  inputName?: string;
  outputName?: string;
}

/** A graph node before encoding: op type, inputs, outputs and attributes (ints, floats or strings). */
export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, number | string | { int: number }>;
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  values: Float32Array;
}

/** The graph as plain data (what modelToOnnx encodes): handy to inspect or test. */
export interface OnnxGraph {
  opset: number;
  inputName: string;
  outputName: string;
  /** Input dims after the batch axis. */
  inputShape: number[];
  outputWidth: number;
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
}

class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private counter = 0;
  private readonly constants = new Map<number, string>();

  constructor(readonly opset: number) {}

  add(opType: string, inputs: string[], attributes?: OnnxNode['attributes'], prefix = ''): string {
    const output = `${prefix}${opType}_${this.counter++}`;
    this.nodes.push({ opType, inputs, outputs: [output], ...(attributes !== undefined ? { attributes } : {}) });
    return output;
  }

  /** A float32 scalar initializer, shared between uses. */
  constant(value: number): string {
    let name = this.constants.get(value);
    if (name === undefined) {
      name = `const_${this.constants.size}`;
      this.constants.set(value, name);
      this.initializers.push({ name, dims: [], values: Float32Array.of(value) });
    }
    return name;
  }

  activation(x: string, name: ActivationName, alpha: number | undefined, prefix: string): string {
    switch (name) {
      case 'linear': return x;
      case 'sigmoid': return this.add('Sigmoid', [x], undefined, prefix);
      case 'tanh': return this.add('Tanh', [x], undefined, prefix);
      case 'relu': return this.add('Relu', [x], undefined, prefix);
      case 'leakyRelu': return this.add('LeakyRelu', [x], { alpha: alpha ?? 0.01 }, prefix);
      case 'elu': return this.add('Elu', [x], { alpha: alpha ?? 1 }, prefix);
      case 'softplus': return this.add('Softplus', [x], undefined, prefix);
      case 'softmax': return this.add('Softmax', [x], { axis: { int: -1 } }, prefix);
      case 'logSoftmax': return this.add('LogSoftmax', [x], { axis: { int: -1 } }, prefix);
      case 'swish':
      case 'silu':
        // ONNX has no Swish before opset 24: x·σ(x), the standard decomposition.
        return this.add('Mul', [x, this.add('Sigmoid', [x], undefined, prefix)], undefined, prefix);
      case 'gelu':
        if (this.opset >= 20) return this.add('Gelu', [x], { approximate: 'none' }, prefix);
        // 0.5·x·(1 + erf(x/√2))
        return this.add('Mul', [this.add('Mul', [x, this.constant(0.5)], undefined, prefix), this.add('Add', [this.add('Erf', [this.add('Div', [x, this.constant(Math.SQRT2)], undefined, prefix)], undefined, prefix), this.constant(1)], undefined, prefix)], undefined, prefix);
      case 'geluTanh': {
        if (this.opset >= 20) return this.add('Gelu', [x], { approximate: 'tanh' }, prefix);
        // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
        const cube = this.add('Mul', [this.add('Mul', [x, x], undefined, prefix), x], undefined, prefix);
        const inner = this.add('Add', [x, this.add('Mul', [cube, this.constant(0.044715)], undefined, prefix)], undefined, prefix);
        const t = this.add('Tanh', [this.add('Mul', [inner, this.constant(Math.sqrt(2 / Math.PI))], undefined, prefix)], undefined, prefix);
        return this.add('Mul', [this.add('Mul', [x, this.constant(0.5)], undefined, prefix), this.add('Add', [t, this.constant(1)], undefined, prefix)], undefined, prefix);
      }
      default:
        throw new ModelFormatError(`activation '${String(name)}' has no ONNX export`);
    }
  }
}

/** The model as an ONNX graph description (not yet encoded). Browser-safe. */
export function modelToOnnxGraph(model: Sequential, options: ToOnnxOptions = {}): OnnxGraph {
  const opset = options.opset ?? ONNX_MIN_OPSET;
  if (!Number.isInteger(opset) || opset < ONNX_MIN_OPSET || opset > ONNX_MAX_OPSET) {
    throw new ValueError(`ONNX export: opset must be an integer from ${ONNX_MIN_OPSET} to ${ONNX_MAX_OPSET}, got ${opset}`);
  }
  if (!model.built) throw new ModelFormatError('cannot export a model that is not built: give the first Dense layer an inputDim or call model.build([N, D]) first');
  const firstDense = model.layers.find((l): l is Dense => l instanceof Dense);
  const inputShape = options.inputShape ?? (firstDense?.inputDim != null ? [firstDense.inputDim] : undefined);
  if (inputShape === undefined) throw new ModelFormatError('cannot tell the input shape of a model without Dense layers: pass { inputShape }');
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';

  const g = new GraphBuilder(opset);
  let x = inputName;
  let width = inputShape.reduce((a, b) => a * b, 1);
  let rank = inputShape.length + 1;
  model.layers.forEach((layer, i) => {
    const prefix = `layer${i}_`;
    if (layer instanceof Dense) {
      if (rank !== 2) throw new ModelFormatError(`layer ${i} (Dense) gets inputs of rank ${rank}; put a Flatten before it`);
      for (const [kind, t] of [['kernel', layer.kernel!], ['bias', layer.bias]] as const) {
        if (t === null) continue;
        assertFiniteForSave(`${i}.${kind}`, t.data, options);
        g.initializers.push({ name: `${i}.${kind}`, dims: [...t.shape], values: Float32Array.from(t.data) });
      }
      if (layer.bias !== null) {
        x = g.add('Gemm', [x, `${i}.kernel`, `${i}.bias`], undefined, prefix);
      } else {
        x = g.add('MatMul', [x, `${i}.kernel`], undefined, prefix);
      }
      x = g.activation(x, layer.activation, layer.options.activationAlpha, prefix);
      width = layer.units;
    } else if (layer instanceof Activation) {
      x = g.activation(x, layer.activation, activationAlphaOf(layer), prefix);
    } else if (layer instanceof Dropout) {
      // Inference graph: dropout is the identity.
    } else if (layer instanceof Flatten) {
      x = g.add('Flatten', [x], { axis: { int: 1 } }, prefix);
      rank = 2;
    } else {
      throw new ModelFormatError(`cannot export layer ${i} (${layer.constructor.name}) to ONNX: only Dense, Activation, Dropout and Flatten layers can be exported`);
    }
  });
  if (rank !== 2) throw new ModelFormatError('the model output is not [N, C]: end it with a Dense layer or a Flatten');
  // Name the last value `output` (an Identity when the last layer computed nothing new).
  const last = g.nodes[g.nodes.length - 1];
  if (last !== undefined && last.outputs[0] === x) last.outputs[0] = outputName;
  else g.nodes.push({ opType: 'Identity', inputs: [x], outputs: [outputName] });
  return { opset, inputName, outputName, inputShape: [...inputShape], outputWidth: width, nodes: g.nodes, initializers: g.initializers };
}

type OnnxNamespace = typeof import('onnx-proto').onnx;

async function loadOnnxSchema(): Promise<OnnxNamespace> {
  try {
    const module = (await import('onnx-proto')) as unknown as { default?: { onnx: OnnxNamespace }; onnx?: OnnxNamespace };
    const onnx = module.onnx ?? module.default?.onnx;
    if (onnx === undefined) throw new Error('the module has no onnx namespace');
    return onnx;
  } catch (error) {
    throw new ModelFormatError(`ONNX export needs the 'onnx-proto' package (npm install onnx-proto): ${(error as Error).message}`);
  }
}

/** Encode a graph description as ONNX ModelProto bytes. */
export async function encodeOnnxGraph(graph: OnnxGraph): Promise<Uint8Array> {
  const onnx = await loadOnnxSchema();
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const A = onnx.AttributeProto.AttributeType;
  const attribute = (name: string, value: number | string | { int: number }): import('onnx-proto').onnx.IAttributeProto =>
    typeof value === 'string'
      ? { name, type: A.STRING, s: new TextEncoder().encode(value) }
      : typeof value === 'number'
        ? { name, type: A.FLOAT, f: value }
        : { name, type: A.INT, i: value.int };
  const tensorType = (dims: (number | string)[]) => ({
    tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } },
  });
  const littleEndian = (values: Float32Array): Uint8Array => {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return bytes;
  };
  const model = onnx.ModelProto.create({
    // IR version 8 goes with opsets 17-18, 9 with 19-20 (the ONNX versioning table).
    irVersion: graph.opset >= 19 ? 9 : 8,
    producerName: 'gradiente',
    producerVersion: '0.1.0',
    opsetImport: [{ domain: '', version: graph.opset }],
    graph: {
      name: 'gradiente_sequential',
      node: graph.nodes.map((n, k) => ({
        name: `${n.opType}_${k}`,
        opType: n.opType,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attributes ?? {}).map(([name, value]) => attribute(name, value)),
      })),
      initializer: graph.initializers.map((t) => ({ name: t.name, dims: t.dims, dataType: FLOAT, rawData: littleEndian(t.values) })),
      input: [{ name: graph.inputName, type: tensorType(['N', ...graph.inputShape]) }],
      output: [{ name: graph.outputName, type: tensorType(['N', graph.outputWidth]) }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** The model as ONNX bytes (a `.onnx` file). */
export async function modelToOnnx(model: Sequential, options: ToOnnxOptions = {}): Promise<Uint8Array> {
  return encodeOnnxGraph(modelToOnnxGraph(model, options));
}
