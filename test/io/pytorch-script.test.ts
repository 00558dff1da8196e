/**
 * The generated train.py is valid Python for every activation, loss, optimizer and schedule
 * gradiente has (parsed by Python itself, which needs no torch), and writes each of them the
 * way PyTorch spells it. The runs that execute it are in test/cli/pytorch-export.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { activationNames, lossNames, ValueError, type ScheduleConfig } from '../../src/index.js';
import { encodeNpy } from '../../src/io/pytorch-npy.js';
import { pytorchTrainScript, type PytorchProjectSpec } from '../../src/io/pytorch-script.js';

const PYTHON = '/usr/bin/python3';
const hasPython = spawnSync(PYTHON, ['-c', 'pass']).status === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'gradiente-script-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function spec(overrides: Partial<PytorchProjectSpec> = {}): PytorchProjectSpec {
  return {
    inputDim: 4,
    layers: [
      { class: 'Dense', config: { units: 8, activation: 'relu', useBias: true } },
      { class: 'Dense', config: { units: 3, activation: 'softmax', useBias: true } },
    ],
    parameters: [
      { name: '0.kernel', shape: [4, 8] },
      { name: '0.bias', shape: [8] },
      { name: '1.kernel', shape: [8, 3] },
      { name: '1.bias', shape: [3] },
    ],
    loss: 'categoricalCrossentropy',
    fromLogits: false,
    targetEncoding: 'onehot',
    metrics: ['accuracy'],
    optimizer: { type: 'adam', hyper: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupled: false } },
    learningRate: 0.001,
    batchSize: 32,
    epochs: 3,
    seed: 42,
    samples: { train: 90, validation: 10, test: 20 },
    recordedEpochs: 3,
    weights: 'initial',
    source: 'a test',
    ...overrides,
  };
}

/** Python's own parser over the script: a syntax error is a failure with Python's message. */
function parses(script: string): void {
  const file = path.join(dir, 'train.py');
  writeFileSync(file, script);
  const result = spawnSync(PYTHON, ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', file], { encoding: 'utf8' });
  expect(result.status, `${result.stderr}\n${script}`).toBe(0);
}

const SCHEDULES: ScheduleConfig[] = [
  { type: 'constant', learningRate: 0.01 },
  { type: 'step', learningRate: 0.01, stepSize: 10, gamma: 0.5 },
  { type: 'exponential', learningRate: 0.01, decaySteps: 10, decayRate: 0.9 },
  { type: 'cosine', learningRate: 0.01, decaySteps: 100, alpha: 0 },
  { type: 'warmup', warmupSteps: 10, after: { type: 'cosine', learningRate: 0.01, decaySteps: 90, alpha: 0.1 } },
];

describe.skipIf(!hasPython)('train.py is valid Python', () => {
  it.each(activationNames.map((a) => [a]))('with a hidden %s layer', (activation) => {
    const layers = spec().layers;
    const script = pytorchTrainScript(spec({ layers: [{ class: 'Dense', config: { units: 8, activation, activationAlpha: 0.2, useBias: true } }, layers[1]!] }));
    parses(script);
  });

  it.each(lossNames.flatMap((loss) => [[loss, false], [loss, true]] as const))('with the loss %s (fromLogits %s)', (loss, fromLogits) => {
    const targetEncoding = loss === 'sparseCategoricalCrossentropy' ? 'labels' : loss === 'binaryCrossentropy' ? 'binary' : loss.startsWith('categorical') ? 'onehot' : 'values';
    parses(pytorchTrainScript(spec({ loss, fromLogits, targetEncoding, metrics: targetEncoding === 'values' ? ['mae'] : ['accuracy'] })));
  });

  it.each(SCHEDULES.map((s) => [s.type, s] as const))('with the %s schedule', (_type, learningRate) => {
    parses(pytorchTrainScript(spec({ learningRate })));
  });

  it('with Dropout, Flatten and Activation layers and a Dense without bias', () => {
    parses(
      pytorchTrainScript(
        spec({
          layers: [
            { class: 'Flatten', config: {} },
            { class: 'Dense', config: { units: 8, activation: 'linear', useBias: false } },
            { class: 'Activation', config: { activation: 'elu', alpha: 0.5 } },
            { class: 'Dropout', config: { rate: 0.25 } },
            { class: 'Dense', config: { units: 3, activation: 'softmax', useBias: true } },
          ],
        }),
      ),
    );
  });
});

describe('what train.py spells out', () => {
  it("uses PyTorch's optimizer classes with gradiente's hyper-parameters", () => {
    expect(pytorchTrainScript(spec({ optimizer: { type: 'sgd', hyper: { momentum: 0.9, nesterov: true, weightDecay: 0 } } }))).toContain(
      'torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9, nesterov=True, weight_decay=0.0)',
    );
    expect(pytorchTrainScript(spec({ optimizer: { type: 'rmsprop', hyper: { rho: 0.9, momentum: 0, epsilon: 1e-8, weightDecay: 0 } } }))).toContain(
      'torch.optim.RMSprop(model.parameters(), lr=LEARNING_RATE, alpha=0.9, eps=1e-8, momentum=0.0, weight_decay=0.0)',
    );
    expect(pytorchTrainScript(spec())).toContain('torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)');
    expect(() => pytorchTrainScript(spec({ optimizer: { type: 'lion', hyper: {} } }))).toThrow(ValueError);
  });

  it('writes exact GELU, the ELU alpha and the fromLogits loss', () => {
    const gelu = pytorchTrainScript(spec({ layers: [{ class: 'Dense', config: { units: 8, activation: 'gelu', useBias: true } }, spec().layers[1]!] }));
    expect(gelu).toMatch(/\("gelu0", nn\.GELU\(\)\),  # exact/);
    const elu = pytorchTrainScript(spec({ layers: [{ class: 'Dense', config: { units: 8, activation: 'elu', activationAlpha: 0.3, useBias: true } }, spec().layers[1]!] }));
    expect(elu).toContain('nn.ELU(alpha=0.3)');
    const logits = pytorchTrainScript(spec({ fromLogits: true, layers: [spec().layers[0]!, { class: 'Dense', config: { units: 3, activation: 'linear', useBias: true } }] }));
    expect(logits).toContain('F.log_softmax(output, dim=1)');
    expect(logits).toContain('# no activation: raw scores (logits)');
  });

  it('keeps Dense kernels transposed for nn.Linear', () => {
    expect(pytorchTrainScript(spec())).toContain('("0.kernel", "dense0.weight", True),');
    expect(pytorchTrainScript(spec())).toContain('("0.bias", "dense0.bias", False),');
  });
});

describe('encodeNpy', () => {
  it('writes a version 1.0 header padded to 64 bytes, then the values', () => {
    const bytes = encodeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const headerLength = bytes[8]! | (bytes[9]! << 8);
    expect((10 + headerLength) % 64).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLength))).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect(Array.from(new Float32Array(bytes.slice(10 + headerLength).buffer))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new TextDecoder().decode(encodeNpy(new Int32Array(3), [3]).subarray(10, 70))).toContain("'descr': '<i4'");
    expect(new TextDecoder().decode(encodeNpy(new Int32Array(3), [3]).subarray(10, 70))).toContain("'shape': (3,)");
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(ValueError);
    const bytes8 = encodeNpy(Uint8Array.from([0, 255, 7]), [3]);
    expect(new TextDecoder().decode(bytes8.subarray(10, 70))).toContain("'descr': '|u1'");
    expect(Array.from(bytes8.subarray(bytes8.length - 3))).toEqual([0, 255, 7]);
  });
});
