/**
 * Ctrl-C during training: the first one lets the current batch finish and asks fit() to
 * stop, so the run can be saved and resumed; a second one quits at once. SIGTERM (what
 * `kill` and container runtimes send) is handled the same way.
 */
import type { Callback, Logs, TrainingContext } from '../node.js';
import { EXIT_INTERRUPTED } from './errors.js';

export class InterruptHandler implements Callback {
  /** Set once Ctrl-C was pressed. */
  requested = false;
  /** Exit status to end with: 128 + the signal number, as shells report it (130 for Ctrl-C). */
  exitCode = EXIT_INTERRUPTED;
  /** Where training stood when it stopped for Ctrl-C (1-based epoch, iteration of the run). */
  stoppedAt: { epoch: number; batch: number; iteration: number } | null = null;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.requested) {
      process.stderr.write('\nsecond Ctrl-C: quitting without saving\n');
      process.exit(this.exitCode);
    }
    this.requested = true;
    this.exitCode = signal === 'SIGTERM' ? 143 : EXIT_INTERRUPTED;
    process.stderr.write('\nCtrl-C: finishing the current batch, then saving (press Ctrl-C again to quit at once)\n');
  };

  install(): void {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  uninstall(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }

  onBatchEnd(batch: number, logs: Logs, context: TrainingContext): void {
    if (!this.requested || this.stoppedAt !== null) return;
    this.stoppedAt = { epoch: logs.epoch + 1, batch: batch + 1, iteration: logs.iteration };
    context.stop('callback', `interrupted by Ctrl-C at epoch ${logs.epoch + 1}, iteration ${batch + 1}/${context.iterationsPerEpoch}`);
  }
}
