/**
 * gradiente gradcheck: are backpropagation's gradients right? Each parameter tensor's
 * analytic gradient (backward()) is compared with central finite differences of the loss,
 * all in float64, on a small random network and batch.
 */
import type { Command } from 'commander';
import { Dense, getLoss, gradcheck, manualSeed, oneHot, randn, Tensor, toFloat64, globalRandom } from '../../node.js';
import { processConsole, type Console } from '../console.js';
import { CliError } from '../errors.js';
import { formatNumber } from '../progress.js';
import { buildModel } from '../session.js';
import { checkActivationName, checkLossName } from '../task.js';
import * as v from '../values.js';
import { addCommonOptions, flagsGiven } from './common.js';

const EXAMPLES = `
Examples:
  $ gradiente gradcheck                                   # 3 inputs → 8 → 4 → 2, tanh, mse
  $ gradiente gradcheck --layers 16,16,16 --activation sigmoid --loss cce --outputs 5
  $ gradiente gradcheck --loss bce --activation gelu --samples 20 --json

Relative error per parameter tensor: |analytic − numeric| / |numeric|, the largest over its
entries. Around 1e-8 or below: the gradient is right. A smooth activation (the default
tanh) keeps finite differences valid everywhere; relu has a kink at 0 where they are not.`;

export function registerGradcheck(program: Command): void {
  const cmd = program
    .command('gradcheck')
    .description("check the model's backpropagation gradients against finite differences")
    .option('--layers <sizes>', 'hidden layer sizes (default: 8,4)')
    .option('--activation <names>', 'hidden activation(s) (default: tanh)')
    .option('--output-activation <name>', 'output activation (default: from the loss)')
    .option('--loss <name>', 'loss to differentiate (default: mse)')
    .option('--inputs <n>', 'features per sample (default: 3)')
    .option('--outputs <n>', 'output units (default: 2; 1 for bce)')
    .option('--samples <n>', 'samples in the batch (default: 5)')
    .option('--seed <n>', 'seed of the weights and the data (default: 42)')
    .option('--json', 'print one JSON object');
  addCommonOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (_opts: unknown, command: Command) => {
    process.exitCode = await gradcheckCommand(flagsGiven(command), processConsole);
  });
}

export interface ParameterCheck {
  name: string;
  shape: number[];
  maxAbsError: number;
  maxRelError: number;
  ok: boolean;
}

export async function gradcheckCommand(flags: Record<string, unknown>, console: Console): Promise<number> {
  const layers = flags.layers === undefined ? [8, 4] : v.layerSizes(flags.layers, v.flagSource('--layers'));
  const activation = flags.activation === undefined ? ['tanh'] : v.list(flags.activation, v.flagSource('--activation')).map((a) => checkActivationName(v.text(a, v.flagSource('--activation')), '--activation'));
  if (activation.length !== 1 && activation.length !== layers.length) throw new CliError(`--activation lists ${activation.length} activations for ${layers.length} hidden layers; give one, or one per layer`);
  const loss = checkLossName(flags.loss === undefined ? 'mse' : v.text(flags.loss, v.flagSource('--loss')), '--loss');
  const inputs = flags.inputs === undefined ? 3 : v.positiveInteger(flags.inputs, v.flagSource('--inputs'));
  const samples = flags.samples === undefined ? 5 : v.positiveInteger(flags.samples, v.flagSource('--samples'));
  const seed = flags.seed === undefined ? 42 : v.integer(flags.seed, v.flagSource('--seed'));
  const outputs = flags.outputs === undefined ? (loss === 'binaryCrossentropy' ? 1 : loss === 'meanSquaredError' || loss === 'meanAbsoluteError' || loss === 'huber' ? 2 : 3) : v.positiveInteger(flags.outputs, v.flagSource('--outputs'));
  const classification = loss === 'binaryCrossentropy' || loss === 'categoricalCrossentropy' || loss === 'sparseCategoricalCrossentropy';
  if (loss !== 'binaryCrossentropy' && classification && outputs < 2) throw new CliError(`--outputs ${outputs}: ${loss} needs at least 2 output units (one per class)`);
  const outputActivation = checkActivationName(
    typeof flags.outputActivation === 'string' ? flags.outputActivation : loss === 'binaryCrossentropy' ? 'sigmoid' : classification ? 'softmax' : 'linear',
    '--output-activation',
  );

  manualSeed(seed);
  const model = buildModel({ layers, activation }, { outputUnits: outputs, outputActivation }, inputs);
  const x = toFloat64(randn([samples, inputs]));
  const y = toFloat64(targetsFor(loss, samples, outputs));
  const lossFn = getLoss(loss);
  const dense = model.layers.filter((l): l is Dense => l instanceof Dense);
  const named = model.namedParameters();
  const originals = dense.map((l) => [l.kernel!, l.bias] as const);
  const wide = named.map(([, p]) => toFloat64(p));

  const checks: ParameterCheck[] = named.map(([name, p], k) => {
    // The loss as a function of parameter tensor k alone, every other tensor held fixed.
    const fn = (param: Tensor): Tensor => {
      const values = wide.map((w, j) => (j === k ? param : w));
      let j = 0;
      for (const layer of dense) {
        layer.kernel = values[j++]!;
        if (layer.bias !== null) layer.bias = values[j++]!;
      }
      try {
        return lossFn(y, model.forward(x));
      } finally {
        dense.forEach((layer, i) => {
          layer.kernel = originals[i]![0];
          layer.bias = originals[i]![1];
        });
      }
    };
    const report = gradcheck(fn, [wide[k]!]);
    return { name, shape: [...p.shape], maxAbsError: report.maxAbsError, maxRelError: report.maxRelError, ok: report.ok };
  });
  const ok = checks.every((c) => c.ok);

  if (flags.json === true) {
    console.out(JSON.stringify({ ok, loss, layers, activation, outputs, outputActivation, samples, parameters: checks }));
    return ok ? 0 : 1;
  }
  console.out(`Model: ${inputs} inputs → ${layers.map((h, i) => `Dense(${h}, ${activation.length === 1 ? activation[0] : activation[i]})`).concat(`Dense(${outputs}, ${outputActivation})`).join(' → ')}; loss ${loss}; ${samples} random samples`);
  console.out('Analytic gradient (backpropagation) against central finite differences, in float64:');
  const width = Math.max(9, ...checks.map((c) => c.name.length));
  console.out(`  ${'parameter'.padEnd(width)}  ${'shape'.padEnd(9)}  ${'max rel error'.padStart(13)}  ${'max abs error'.padStart(13)}`);
  for (const c of checks) {
    console.out(`  ${c.name.padEnd(width)}  ${`[${c.shape.join(', ')}]`.padEnd(9)}  ${formatNumber(c.maxRelError).padStart(13)}  ${formatNumber(c.maxAbsError).padStart(13)}  ${c.ok ? 'ok' : 'MISMATCH'}`);
  }
  console.out(ok ? 'All gradients match the finite differences.' : 'Some gradients do not match: see MISMATCH above (with relu, a finite difference may straddle the kink at 0; try --activation tanh or another --seed).');
  return ok ? 0 : 1;
}

/** Random targets of the shape and kind the loss expects. */
function targetsFor(loss: string, samples: number, outputs: number): Tensor {
  if (loss === 'categoricalCrossentropy' || loss === 'sparseCategoricalCrossentropy') {
    const labels = Array.from({ length: samples }, () => globalRandom.int(outputs));
    return loss === 'sparseCategoricalCrossentropy' ? new Tensor(Float32Array.from(labels), [samples]) : oneHot(labels, outputs);
  }
  if (loss === 'binaryCrossentropy') return new Tensor(Float32Array.from({ length: samples * outputs }, () => globalRandom.int(2)), [samples, outputs]);
  return randn([samples, outputs]);
}
