/** What every command shares: --debug, and reading which flags the user actually typed. */
import type { Command } from 'commander';

export function addCommonOptions(cmd: Command): Command {
  return cmd.option('--debug', 'on an error, print the stack trace too');
}

/**
 * The options given on the command line, by attribute name. Commander's defaults are left
 * out on purpose: a --config file may set those, and flags win only when typed.
 */
export function flagsGiven(command: Command): Record<string, unknown> {
  const values = command.opts();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (command.getOptionValueSource(key) === 'cli') out[key] = value;
  }
  return out;
}
