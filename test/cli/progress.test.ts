/** The terminal progress display: a Keras-like bar on a terminal, plain lines elsewhere, JSON for scripts. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { History, type Logs, type TrainingContext } from '../../src/index.js';
import { formatNumber, ProgressPrinter, type ProgressMode } from '../../src/cli/progress.js';

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  columns = 160;
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Two epochs of 4 iterations over 100 samples in batches of 32 (the last batch has 4). */
function drive(mode: ProgressMode, jsonIterations = false): string {
  const stream = new Capture(mode === 'bar');
  const printer = new ProgressPrinter({ mode, jsonIterations, stream });
  const context: TrainingContext = { model: null as never, history: new History(4, 32, 100), epochs: 2, iterationsPerEpoch: 4, stop: () => undefined };
  printer.onTrainBegin(context);
  let iteration = 0;
  for (let epoch = 0; epoch < 2; epoch++) {
    printer.onEpochBegin(epoch, context);
    for (let batch = 0; batch < 4; batch++) {
      const logs: Logs = { epoch, iteration: ++iteration, batch, loss: 1 / iteration, metrics: { accuracy: batch === 3 ? 1 : 0.5 }, learningRate: 0.01 };
      printer.onBatchEnd(batch, logs, context);
    }
    printer.onEpochEnd(epoch, { epoch, iteration, batch: 3, loss: 0.5, metrics: { accuracy: 0.75 }, learningRate: 0.01, val: { loss: 0.6, accuracy: 0.7 } }, context);
  }
  printer.onTrainEnd();
  return stream.text;
}

describe('progress', () => {
  it('on a terminal: "Epoch k/n", a live bar with iterations, ETA, ms/step and running values, then a summary line', () => {
    const text = drive('bar');
    expect(text).toContain('Epoch 1/2\n');
    expect(text).toContain('Epoch 2/2\n');
    // The bar redraws in place (carriage control), ending at 4/4 with the running means weighted by batch size.
    expect(text).toMatch(/ 4\/4 \[=+\] ETA: \d+s - [\d.]+ ms\/step - loss: \d\.\d{4} - accuracy: 0\.5200/);
    expect(text).toMatch(/\x1b\[/);
    expect(text).toMatch(/ 4\/4 - [\d.]+s [\d.]+ms\/step - loss: 0\.5000 - accuracy: 0\.7500 - val_loss: 0\.6000 - val_accuracy: 0\.7000\n/);
  });

  it('without a terminal: one plain line per epoch, no control characters', () => {
    const text = drive('lines');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Epoch 1\/2 - 4\/4 iterations - [\d.]+s [\d.]+ms\/step - loss: 0\.5000 - accuracy: 0\.7500 - val_loss: 0\.6000 - val_accuracy: 0\.7000$/);
    expect(text).not.toMatch(/\x1b/);
  });

  it('--json: start, one object per epoch; --json-iterations adds one per iteration', () => {
    const events = drive('json').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.event)).toEqual(['start', 'epoch', 'epoch']);
    expect(events[1]).toMatchObject({ epoch: 1, epochs: 2, iteration: 4, loss: 0.5, accuracy: 0.75, val_loss: 0.6, val_accuracy: 0.7, learningRate: 0.01 });
    const detailed = drive('json', true).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(detailed.filter((e) => e.event === 'iteration')).toHaveLength(8);
    expect(detailed[1]).toEqual({ event: 'iteration', epoch: 1, iteration: 1, batch: 1, loss: 1, accuracy: 0.5, learningRate: 0.01 });
  });

  it('--quiet: nothing', () => {
    expect(drive('quiet')).toBe('');
  });

  it('numbers read as in a log', () => {
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(1234567)).toBe('1.235e+6');
    expect(formatNumber(0.00001234)).toBe('1.234e-5');
    expect(formatNumber(Number.NaN)).toBe('nan');
    expect(formatNumber(Infinity)).toBe('inf');
  });
});
