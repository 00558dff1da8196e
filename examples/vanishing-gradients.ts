/**
 * Activations and vanishing gradients: backpropagation multiplies, layer after layer, by
 * the activation's derivative. Sigmoid's is at most 0.25, so in a deep network the
 * gradient reaching the first layers shrinks by orders of magnitude and they barely
 * learn; ReLU's is 1 wherever a unit is active, so the gradient arrives intact.
 *
 *   npm run build && node dist/examples/vanishing-gradients.js
 */
import { pathToFileURL } from 'node:url';
import { binaryCrossentropy, circles, Dense, manualSeed, Sequential, square, sum, type ActivationName } from '../src/index.js';

/** L2 norm of each layer's weight gradient, first (input side) to last. */
function layerGradientNorms(activation: ActivationName, depth: number): number[] {
  manualSeed(7); // the same initial weights for both activations
  const data = circles({ n: 256, seed: 1 });
  const layers = [new Dense(32, { activation, inputDim: 2 })];
  for (let i = 1; i < depth; i++) layers.push(new Dense(32, { activation }));
  layers.push(new Dense(1, { activation: 'sigmoid' }));
  const model = new Sequential(layers);
  const loss = binaryCrossentropy(data.y.reshape([-1, 1]), model.forward(data.x));
  loss.backward();
  return layers.map((layer) => Math.sqrt(sum(square(layer.kernel!.grad!)).item()));
}

export interface VanishingGradientsResult {
  depth: number;
  norms: Record<'sigmoid' | 'relu', number[]>;
}

export function vanishingGradients(log: (line: string) => void = () => {}, depth = 8): VanishingGradientsResult {
  const norms = { sigmoid: layerGradientNorms('sigmoid', depth), relu: layerGradientNorms('relu', depth) };
  log(`‖dLoss/dW‖ per layer of a network with ${depth} hidden layers, after one backward pass (same data, same initial weights)`);
  log('layer            sigmoid        relu');
  norms.sigmoid.forEach((s, i) => {
    const name = i === 0 ? '1 (input side)' : i === depth ? `${i + 1} (output)` : String(i + 1);
    log(`${name.padEnd(15)} ${s.toExponential(2).padStart(9)}   ${norms.relu[i]!.toExponential(2).padStart(9)}`);
  });
  const ratio = (n: number[]): number => n[depth]! / n[0]!;
  log(`output layer / first layer: sigmoid ${ratio(norms.sigmoid).toExponential(1)}×, relu ${ratio(norms.relu).toFixed(1)}×`);
  log('with sigmoid the first layers get almost no gradient: they would barely learn.');
  return { depth, norms };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  vanishingGradients((line) => console.log(line));
}
