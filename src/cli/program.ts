/**
 * The `gradiente` command: commander parses, each command module does its work by calling
 * the library, and every failure ends as one line on stderr with a non-zero exit.
 */
import { Command, CommanderError } from 'commander';
import { registerCompare } from './commands/compare.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerExport } from './commands/export.js';
import { registerGradcheck } from './commands/gradcheck.js';
import { registerImport } from './commands/import.js';
import { registerInfo } from './commands/info.js';
import { registerLrFind } from './commands/lr-find.js';
import { registerPredict } from './commands/predict.js';
import { registerTrain } from './commands/train.js';
import { stopWasmThreads } from '../node.js';
import { formatError, oneLine } from './errors.js';

const OVERVIEW = `
Examples:
  $ gradiente train --data spiral --out runs/spiral   train, with progress and a report
  $ gradiente evaluate --model runs/spiral
  $ gradiente predict --model runs/penguins --input new-penguins.csv --output predictions.csv
  $ gradiente compare --batch-size 1,32,full --data circles
  $ gradiente lr-find --data mnist
  $ gradiente gradcheck --layers 8,4 --loss cce
  $ gradiente export --model runs/spiral --format onnx --out spiral.onnx
  $ gradiente import --from tfjs-model/model.json
  $ gradiente info

Run "gradiente <command> --help" for the options of each command.`;

/** Commander's own errors ("unknown option ... (Did you mean ...?)") as one line. */
const ONE_LINE_ERRORS = { outputError: (text: string, write: (text: string) => void): void => write(`${oneLine(text)}\n`) };

export function buildProgram(version: string): Command {
  const program = new Command('gradiente')
    .description('train, evaluate, compare and inspect neural networks from the terminal')
    .version(version, '-V, --version', 'print the version')
    .showSuggestionAfterError(true)
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput(ONE_LINE_ERRORS)
    .addHelpText('after', OVERVIEW);
  registerTrain(program);
  registerEvaluate(program);
  registerPredict(program);
  registerCompare(program);
  registerLrFind(program);
  registerGradcheck(program);
  registerExport(program);
  registerImport(program);
  registerInfo(program);
  // Every command exits through exitOverride too, and shares the one-line error output.
  for (const cmd of program.commands) cmd.exitOverride().showSuggestionAfterError(true).configureOutput(ONE_LINE_ERRORS);
  return program;
}

/** Run the command line; resolves to the exit status. */
export async function run(argv: string[], version: string): Promise<number> {
  const debug = argv.includes('--debug');
  const program = buildProgram(version);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version "fail" with exit code 0; real parse errors were already printed.
      return error.exitCode;
    }
    process.stderr.write(`${formatError(error, debug)}\n`);
    return 1;
  } finally {
    // The wasm backend's worker threads would keep the process alive after the command ends.
    stopWasmThreads();
  }
}
