/**
 * Full-step goldens: a 6-8-5-3 MLP trained 5 steps on one batch by PyTorch (float64,
 * test/golden/steps.json, written by test/golden/generate_steps.py) and by gradiente
 * (Sequential + Dense + our optimizers, float32) on every backend. The parameters after
 * every step must agree: this checks forward, loss, backward and the optimizer update
 * together, including the bookkeeping across steps (momentum buffers, Adam's bias
 * correction, schedules).
 *
 * The JSON stores torch's layout: `fcK.weight` is [out, in]; a Dense kernel is [in, out],
 * so weights are transposed on the way in and on the way back for comparison.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Adam,
  AdamW,
  Dense,
  RMSprop,
  SGD,
  Sequential,
  Tensor,
  categoricalCrossentropy,
  meanSquaredError,
  schedule,
  type ActivationName,
  type Optimizer,
  type ScheduleConfig,
  type StateDict,
} from '../../src/index.js';
import { backendsUnderTest, useBackend } from '../helpers/backends.js';

interface Stored {
  shape: number[];
  data: number[];
}
type TorchState = Record<string, Stored>;
interface StepCase {
  name: string;
  model: 'classifier' | 'regressor';
  optimizer: { type: 'sgd' | 'adam' | 'adamw' | 'rmsprop'; options: Record<string, number | boolean>; schedule?: ScheduleConfig };
  losses: number[];
  learningRates: number[];
  steps: TorchState[];
}
interface Golden {
  sizes: number[];
  x: Stored;
  targets: Record<'classifier' | 'regressor', Stored>;
  models: Record<'classifier' | 'regressor', { activations: ActivationName[]; loss: string; initial: TorchState }>;
  cases: StepCase[];
}

const golden = JSON.parse(readFileSync(new URL('./steps.json', import.meta.url), 'utf8')) as Golden;
const STEPS = 5;
const RTOL = 1e-5;
// NOTE: an absolute floor for values that pass near zero, where a relative bound means
// nothing; float32 spacing around 0.1-1 is ~1e-8-1e-7, so 1e-6 is still tight.
const ATOL = 1e-6;

const f32 = (s: Stored): Tensor => new Tensor(Float32Array.from(s.data), s.shape);

/** torch [out, in] row-major → [in, out] row-major. */
function transposed(s: Stored): Stored {
  const [rows, cols] = s.shape as [number, number];
  const data = new Array<number>(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[c * rows + r] = s.data[r * cols + c]!;
  return { shape: [cols, rows], data };
}

/** torch names/layout (fcK.weight, fcK.bias) → gradiente's (K.kernel, K.bias). */
function fromTorch(state: TorchState): Record<string, Stored> {
  const out: Record<string, Stored> = {};
  for (const [name, value] of Object.entries(state)) {
    const m = /^fc(\d+)\.(weight|bias)$/.exec(name);
    if (m === null) throw new Error(`unexpected torch parameter ${name}`);
    out[`${m[1]}.${m[2] === 'weight' ? 'kernel' : 'bias'}`] = m[2] === 'weight' ? transposed(value) : value;
  }
  return out;
}

function buildModel(kind: 'classifier' | 'regressor'): Sequential {
  const { activations, initial } = golden.models[kind];
  const [d, h1, h2, c] = golden.sizes as [number, number, number, number];
  const model = new Sequential([
    new Dense(h1, { activation: activations[0], inputDim: d }),
    new Dense(h2, { activation: activations[1] }),
    new Dense(c),
  ]);
  model.build([1, d]);
  const state: StateDict = {};
  for (const [name, value] of Object.entries(fromTorch(initial))) state[name] = f32(value);
  model.loadStateDict(state);
  return model;
}

function makeOptimizer(spec: StepCase['optimizer'], params: Tensor[]): Optimizer {
  const options = { ...spec.options, ...(spec.schedule ? { learningRate: schedule(spec.schedule) } : {}) };
  switch (spec.type) {
    case 'sgd': return new SGD(params, options);
    case 'adam': return new Adam(params, options);
    case 'adamw': return new AdamW(params, options);
    case 'rmsprop': return new RMSprop(params, options);
  }
}

/** Largest violation of |actual − expected| ≤ ATOL + RTOL·|expected|, as a ratio (≤ 1 passes). */
function worst(actual: ArrayLike<number>, expected: readonly number[]): { ratio: number; index: number } {
  let ratio = 0;
  let index = -1;
  for (let i = 0; i < expected.length; i++) {
    const r = Math.abs(actual[i]! - expected[i]!) / (ATOL + RTOL * Math.abs(expected[i]!));
    if (!(r <= ratio)) {
      ratio = r;
      index = i;
    }
  }
  return { ratio, index };
}

const backends = await backendsUnderTest();

describe('steps.json is a usable fixture', () => {
  it('holds every optimizer on both models, 5 steps each', () => {
    expect(golden.cases.length).toBeGreaterThanOrEqual(14);
    for (const kind of ['classifier', 'regressor'] as const) {
      const names = golden.cases.filter((c) => c.model === kind).map((c) => c.name);
      for (const opt of ['sgd_momentum', 'sgd_nesterov_weight_decay', 'adam', 'adamw', 'rmsprop_momentum', 'sgd_momentum_steplr']) {
        expect(names).toContain(`${kind}/${opt}`);
      }
    }
    for (const c of golden.cases) expect(c.steps).toHaveLength(STEPS);
  });

  it('the parameters really move, so a no-op optimizer could not pass', () => {
    for (const c of golden.cases) {
      const initial = golden.models[c.model].initial;
      const moved = Math.max(...Object.keys(initial).map((k) => worst(c.steps[0]![k]!.data, initial[k]!.data).ratio));
      expect(moved, c.name).toBeGreaterThan(100);
    }
  });
});

describe.each(backends)('%s backend: 5 training steps match PyTorch', (backend) => {
  beforeEach(() => useBackend(backend));
  afterEach(() => useBackend('js'));

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_label, c) => {
    const model = buildModel(c.model);
    const optimizer = makeOptimizer(c.optimizer, model.parameters());
    const x = f32(golden.x);
    const y = f32(golden.targets[c.model]);
    const lossFn =
      golden.models[c.model].loss === 'meanSquaredError'
        ? (t: Tensor, p: Tensor) => meanSquaredError(t, p)
        : (t: Tensor, p: Tensor) => categoricalCrossentropy(t, p, { fromLogits: true });

    for (let step = 0; step < STEPS; step++) {
      expect(optimizer.currentLearningRate).toBeCloseTo(c.learningRates[step]!, 12);
      optimizer.zeroGrad();
      const loss = lossFn(y, model.forward(x));
      expect(Math.abs(loss.item() - c.losses[step]!)).toBeLessThanOrEqual(ATOL + RTOL * Math.abs(c.losses[step]!));
      loss.backward();
      optimizer.step();

      const ours = model.stateDict();
      const expected = fromTorch(c.steps[step]!);
      expect(Object.keys(ours).sort()).toEqual(Object.keys(expected).sort());
      for (const [name, want] of Object.entries(expected)) {
        const got = ours[name]!;
        expect(got.shape, name).toEqual(want.shape);
        const { ratio, index } = worst(got.data, want.data);
        expect(
          ratio,
          `${c.name} step ${step + 1} ${name}[${index}]: got ${got.data[index]}, PyTorch ${want.data[index]}`,
        ).toBeLessThanOrEqual(1);
      }
    }
  });
});
