/**
 * Checkpoints: after every epoch, everything needed to continue the run exactly where it
 * was — weights and optimizer state (the library's model format), the two random
 * generators (data order, dropout), and the history so far.
 *
 * Layout of RUN/checkpoint/:
 *   epoch-0003/model/               model.json + weights.bin, with the optimizer state
 *   epoch-0003/training-state.json  generators, history, gradient norms
 *   latest.json                     {"epoch": 3, "dir": "epoch-0003"}: the commit point
 *
 * A checkpoint directory is complete before latest.json, replaced atomically, names it;
 * older ones are removed only after that. A crash at any instant (even `kill -9`) leaves
 * latest.json naming a complete checkpoint.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { globalRandom, loadModel, saveModel, type Random, type Sequential } from '../node.js';
import { CliError } from './errors.js';
import { exists, readJson, writeJsonAtomic } from './files.js';
import type { GradientNormsJson, HistoryJson } from './recorders.js';

export const CHECKPOINT_DIR = 'checkpoint';
const LATEST = 'latest.json';
const STATE = 'training-state.json';
const FORMAT = 'gradiente-checkpoint';

export interface TrainingState {
  format: typeof FORMAT;
  version: 1;
  /** Epochs completed: training continues with epoch index `epochsDone` (0-based). */
  epochsDone: number;
  /** State of the generator that shuffles the samples each epoch. */
  shuffleRandom: (number | null)[];
  /** State of the global generator (dropout, anything else drawing from it). */
  globalRandom: (number | null)[];
  history: HistoryJson | null;
  gradientNorms: GradientNormsJson | null;
  /** Seconds spent training before this checkpoint, over all sessions. */
  trainingSeconds: number;
}

function epochDirName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}`;
}

// NOTE: JSON has no NaN; the generator's "no spare normal" slot (NaN) is written as null.
function randomToJson(state: number[]): (number | null)[] {
  return state.map((v) => (Number.isNaN(v) ? null : v));
}

function randomFromJson(state: (number | null)[]): number[] {
  return state.map((v) => (v === null ? Number.NaN : v));
}

export async function saveCheckpoint(
  runDir: string,
  model: Sequential,
  lossOptions: { fromLogits?: boolean },
  state: Omit<TrainingState, 'format' | 'version' | 'shuffleRandom' | 'globalRandom'>,
  shuffleRandom: Random,
): Promise<void> {
  const root = path.join(runDir, CHECKPOINT_DIR);
  const name = epochDirName(state.epochsDone);
  const dir = path.join(root, name);
  // Left over from a session killed while writing this very epoch: not referenced, so safe to replace.
  await fs.rm(dir, { recursive: true, force: true });
  await saveModel(model, path.join(dir, 'model'), { includeOptimizer: true, allowNonFinite: true, lossOptions });
  const full: TrainingState = {
    format: FORMAT,
    version: 1,
    ...state,
    shuffleRandom: randomToJson(shuffleRandom.getState()),
    globalRandom: randomToJson(globalRandom.getState()),
  };
  await writeJsonAtomic(path.join(dir, STATE), full);
  await writeJsonAtomic(path.join(root, LATEST), { epoch: state.epochsDone, dir: name });
  // Only now are older checkpoints unreferenced.
  for (const entry of await fs.readdir(root)) {
    if (entry !== name && entry.startsWith('epoch-')) await fs.rm(path.join(root, entry), { recursive: true, force: true });
  }
}

export interface LoadedCheckpoint {
  dir: string;
  state: TrainingState;
}

/** The latest complete checkpoint of a run, or a clear error saying why there is none. */
export async function readCheckpoint(runDir: string): Promise<LoadedCheckpoint> {
  const root = path.join(runDir, CHECKPOINT_DIR);
  const latestPath = path.join(root, LATEST);
  if (!(await exists(latestPath))) {
    throw new CliError(`--resume ${runDir}: no checkpoint there (${latestPath} is missing); the run stopped before its first checkpoint, or this is not a run directory`);
  }
  let latest: { epoch?: unknown; dir?: unknown };
  try {
    latest = (await readJson(latestPath)) as typeof latest;
  } catch (error) {
    throw new CliError(`${latestPath}: cannot read it (${(error as Error).message})`);
  }
  if (typeof latest.dir !== 'string' || !/^epoch-\d+$/.test(latest.dir)) throw new CliError(`${latestPath}: does not name a checkpoint directory`);
  const dir = path.join(root, latest.dir);
  let state: TrainingState;
  try {
    state = (await readJson(path.join(dir, STATE))) as TrainingState;
  } catch (error) {
    throw new CliError(`${path.join(dir, STATE)}: cannot read it (${(error as Error).message})`);
  }
  if (state.format !== FORMAT || state.version !== 1) throw new CliError(`${path.join(dir, STATE)}: not a gradiente checkpoint (format ${String(state.format)})`);
  return { dir, state };
}

/**
 * Put a freshly built model (same settings, same seed) back where the checkpoint left it:
 * weights, optimizer state, and both generators.
 */
export async function restoreCheckpoint(checkpoint: LoadedCheckpoint, model: Sequential, shuffleRandom: Random): Promise<void> {
  const saved = await loadModel(path.join(checkpoint.dir, 'model'), { allowNonFinite: true });
  model.loadStateDict(saved.stateDict());
  model.optimizer.attach(model.parameters());
  model.optimizer.loadStateDict(saved.optimizer.stateDict());
  shuffleRandom.setState(randomFromJson(checkpoint.state.shuffleRandom));
  globalRandom.setState(randomFromJson(checkpoint.state.globalRandom));
}
