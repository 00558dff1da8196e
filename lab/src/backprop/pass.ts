/**
 * One training iteration of a 2 → 3 → 1 network, every number of it, from the engine itself:
 * the forward pass with its ops, the loss with the library's MSE, the gradients with the same
 * `backward()` that trains every model, and the SGD update. No DOM: the page draws these numbers
 * and a test checks them.
 *
 * Hidden and output neurons use the sigmoid σ; the loss is L = (ŷ − y)² for one sample. With a
 * batch of one sample, ∂L/∂z of a neuron is exactly the gradient of its bias (∂z/∂b = 1), which
 * is how the neurons' ∂L/∂z are read from the engine instead of computed by hand.
 */
import { add, getActivation, manualSeed, matmul, meanSquaredError, noGrad, randn, tensor, type Tensor } from '../../../src/index.js';

export const INPUTS = 2;
export const HIDDEN = 3;

/** The weights, as plain numbers (row-major: w1[i * HIDDEN + j] joins input i to hidden neuron j). */
export interface Weights {
  w1: number[];
  b1: number[];
  w2: number[];
  b2: number[];
}

export interface Sample {
  x: [number, number];
  y: number;
}

export interface Pass {
  weights: Weights;
  sample: Sample;
  /** Forward: z and a = σ(z) of each hidden neuron, then of the output (a = ŷ). */
  zHidden: number[];
  aHidden: number[];
  zOut: number;
  yHat: number;
  loss: number;
  /** Backward (from the engine): ∂L/∂ŷ, ∂L/∂z of every neuron, ∂L/∂w of every weight. */
  dLdyHat: number;
  dzOut: number;
  dzHidden: number[];
  grads: Weights;
  /** σ′(z) of each hidden neuron and of the output, for the formulas. */
  fPrimeHidden: number[];
  fPrimeOut: number;
  /** The update w ← w − η·∂L/∂w and the loss after it. */
  learningRate: number;
  after: Weights;
  lossAfter: number;
}

const sigmoid = getActivation('sigmoid');

/** Small random starting weights (seeded, so every reader sees the same network). */
export function initialWeights(seed = 4): Weights {
  manualSeed(seed);
  const draw = (n: number, scale: number): number[] => Array.from(randn([n]).data, (v) => Number((v * scale).toFixed(2)));
  return { w1: draw(INPUTS * HIDDEN, 0.8), b1: draw(HIDDEN, 0.3), w2: draw(HIDDEN, 0.8), b2: draw(1, 0.3) };
}

function tensors(w: Weights, requiresGrad: boolean): { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor } {
  return {
    w1: tensor(w.w1, [INPUTS, HIDDEN], { requiresGrad }),
    b1: tensor(w.b1, [HIDDEN], { requiresGrad }),
    w2: tensor(w.w2, [HIDDEN, 1], { requiresGrad }),
    b2: tensor(w.b2, [1], { requiresGrad }),
  };
}

function forward(t: ReturnType<typeof tensors>, sample: Sample): { z1: Tensor; a1: Tensor; z2: Tensor; yHat: Tensor; loss: Tensor } {
  const x = tensor(sample.x, [1, INPUTS]);
  const z1 = add(matmul(x, t.w1), t.b1);
  const a1 = sigmoid(z1);
  const z2 = add(matmul(a1, t.w2), t.b2);
  const yHat = sigmoid(z2);
  const loss = meanSquaredError(tensor([sample.y], [1, 1]), yHat);
  return { z1, a1, z2, yHat, loss };
}

/** The loss alone (no gradients): what the "nudge a weight" experiment measures. */
export function lossAt(weights: Weights, sample: Sample): number {
  return noGrad(() => forward(tensors(weights, false), sample).loss.item());
}

const list = (t: Tensor): number[] => Array.from(t.data);

export function runPass(weights: Weights, sample: Sample, learningRate: number): Pass {
  const t = tensors(weights, true);
  const f = forward(t, sample);
  f.loss.backward();
  const grads: Weights = { w1: list(t.w1.grad!), b1: list(t.b1.grad!), w2: list(t.w2.grad!), b2: list(t.b2.grad!) };
  const step = (w: number[], g: number[]): number[] => w.map((v, k) => v - learningRate * g[k]!);
  const after: Weights = { w1: step(weights.w1, grads.w1), b1: step(weights.b1, grads.b1), w2: step(weights.w2, grads.w2), b2: step(weights.b2, grads.b2) };
  const aHidden = list(f.a1);
  const yHat = f.yHat.item();
  return {
    weights,
    sample,
    zHidden: list(f.z1),
    aHidden,
    zOut: f.z2.item(),
    yHat,
    loss: f.loss.item(),
    // ∂L/∂ŷ of L = (ŷ − y)² (shown on the loss; every other gradient is the engine's).
    dLdyHat: 2 * (yHat - sample.y),
    dzOut: grads.b2[0]!,
    dzHidden: grads.b1,
    grads,
    fPrimeHidden: aHidden.map((a) => a * (1 - a)),
    fPrimeOut: yHat * (1 - yHat),
    learningRate,
    after,
    lossAfter: lossAt(after, sample),
  };
}

/** The weights by name, for the "nudge" experiment: w1[i][j] (input i → hidden j) and w2[j] (hidden j → output). */
export type WeightId = `w1.${number}.${number}` | `w2.${number}`;

export const weightIds: WeightId[] = [
  ...Array.from({ length: INPUTS * HIDDEN }, (_, k): WeightId => `w1.${Math.floor(k / HIDDEN)}.${k % HIDDEN}`),
  ...Array.from({ length: HIDDEN }, (_, j): WeightId => `w2.${j}`),
];

export function getWeight(w: Weights, id: WeightId): number {
  const [layer, a, b] = id.split('.');
  return layer === 'w1' ? w.w1[Number(a) * HIDDEN + Number(b)]! : w.w2[Number(a)]!;
}

export function withWeight(w: Weights, id: WeightId, value: number): Weights {
  const copy: Weights = { w1: [...w.w1], b1: [...w.b1], w2: [...w.w2], b2: [...w.b2] };
  const [layer, a, b] = id.split('.');
  if (layer === 'w1') copy.w1[Number(a) * HIDDEN + Number(b)] = value;
  else copy.w2[Number(a)] = value;
  return copy;
}

/** "If I change a weight a little, does the error improve, and by how much?": measured and predicted. */
export function nudge(pass: Pass, id: WeightId, delta: number): { measured: number; predicted: number } {
  const moved = withWeight(pass.weights, id, getWeight(pass.weights, id) + delta);
  return { measured: lossAt(moved, pass.sample) - pass.loss, predicted: getWeight(pass.grads, id) * delta };
}

/** The phases of one iteration, in order (→ goes forward, ← back). */
export const phases = ['weights', 'forwardHidden', 'forwardOutput', 'loss', 'backwardOutput', 'backwardHidden', 'update'] as const;
export type Phase = (typeof phases)[number];
