/**
 * Ctrl-C during training: the first one lets the current batch finish and asks fit() to
 * stop, so the run can be saved and resumed; a second one quits at once. SIGTERM (what
 * `kill` and container runtimes send) and SIGHUP (the terminal closed) are handled the same
 * way, and every message names the signal that came.
 */
import type { Callback, Logs, TrainingContext } from '../node.js';
import { EXIT_INTERRUPTED } from './errors.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

function signalName(signal: NodeJS.Signals): string {
  return signal === 'SIGINT' ? 'Ctrl-C' : signal;
}

export class InterruptHandler implements Callback {
  /** Set once Ctrl-C was pressed. */
  requested = false;
  /** Exit status to end with: 128 + the signal number, as shells report it (130 for Ctrl-C). */
  exitCode = EXIT_INTERRUPTED;
  /** Where training stood when it stopped for Ctrl-C (1-based epoch, iteration of the run). */
  stoppedAt: { epoch: number; batch: number; iteration: number } | null = null;
  /** What stopped the run, as a person reads it: 'Ctrl-C', 'SIGTERM', 'SIGHUP'. */
  cause = 'Ctrl-C';
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    const name = signalName(signal);
    if (this.requested) {
      process.stderr.write(`\nsecond ${name}: quitting without saving (the last checkpoint can still be resumed)\n`);
      process.exit(this.exitCode);
    }
    this.requested = true;
    this.cause = name;
    this.exitCode = 128 + (SIGNAL_NUMBERS[signal] ?? EXIT_INTERRUPTED - 128);
    process.stderr.write(`\n${name}: finishing the current batch, then saving (${name === 'Ctrl-C' ? 'press Ctrl-C again' : `send ${name} again`} to quit at once)\n`);
  };

  install(): void {
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
  }

  uninstall(): void {
    for (const signal of SIGNALS) process.off(signal, this.onSignal);
  }

  onBatchEnd(batch: number, logs: Logs, context: TrainingContext): void {
    if (!this.requested || this.stoppedAt !== null) return;
    this.stoppedAt = { epoch: logs.epoch + 1, batch: batch + 1, iteration: logs.iteration };
    context.stop('callback', `interrupted by ${this.cause} at epoch ${logs.epoch + 1}, iteration ${batch + 1}/${context.iterationsPerEpoch}`);
  }
}
