/**
 * Checkpoints: after every epoch, everything needed to continue the run exactly where it
 * was — weights and optimizer state (the library's model format), the two random
 * generators (data order, dropout), the history so far and the backend that computed it.
 *
 * Layout of RUN/checkpoint/:
 *   epoch-0003/model/               model.json + weights.bin, with the optimizer state
 *   epoch-0003/training-state.json  generators, history, gradient norms, backend
 *   epoch-0003/checksums.json       SHA-256 of every file above: written last, it seals the directory
 *   latest.json                     {"epoch": 3, "dir": "epoch-0003"}: the commit point
 *
 * A checkpoint directory is complete and sealed before latest.json, replaced atomically,
 * names it; only then are older ones removed, keeping the one before as a fallback. A crash
 * at any instant (even `kill -9`) leaves latest.json naming a complete checkpoint. On
 * reading, every file is checked against its checksum: a damaged or edited checkpoint is
 * refused (never resumed into a different result), and the previous one is used if intact.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { globalRandom, loadModel, saveModel, Tensor, type Random, type Sequential, type StateDict } from '../node.js';
import { beforeRemove } from '../node/test-hooks.js';
import { CliError } from './errors.js';
import { exists, readJson, writeFileAtomic, writeJsonAtomic } from './files.js';
import type { GradientNormsJson, HistoryJson } from './recorders.js';

export const CHECKPOINT_DIR = 'checkpoint';
const LATEST = 'latest.json';
const STATE = 'training-state.json';
const FORMAT = 'gradiente-checkpoint';
const CHECKSUMS = 'checksums.json';

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
  /** The backend that computed the run so far ('js', 'wasm', ...): resuming on another one changes the numbers. Absent in older checkpoints. */
  backend?: string;
  /**
   * Early stopping that restores the best weights at the end: the epoch (0-based) whose weights
   * are in best-weights.bin (float32, in this order of names and shapes), so a resumed run
   * restores the same weights as the run left alone.
   */
  best?: { epoch: number; names: string[]; shapes: number[][] };
}

/** The weights of the best epoch so far (early stopping with restored weights). */
export interface BestWeights {
  epoch: number;
  weights: StateDict;
}

const BEST = 'best-weights.bin';

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

/** Every regular file under `dir`, as paths relative to it ('/'-separated), sorted. */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await filesUnder(dir, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
}

export async function saveCheckpoint(
  runDir: string,
  model: Sequential,
  lossOptions: { fromLogits?: boolean },
  state: Omit<TrainingState, 'format' | 'version' | 'shuffleRandom' | 'globalRandom' | 'best'>,
  shuffleRandom: Random,
  warn: (message: string) => void,
  best: BestWeights | null = null,
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
  if (best !== null) {
    const names = Object.keys(best.weights);
    const values = new Float32Array(names.reduce((n, name) => n + best.weights[name]!.size, 0));
    let offset = 0;
    for (const name of names) {
      values.set(best.weights[name]!.data, offset);
      offset += best.weights[name]!.size;
    }
    await writeFileAtomic(path.join(dir, BEST), new Uint8Array(values.buffer));
    full.best = { epoch: best.epoch, names, shapes: names.map((name) => [...best.weights[name]!.shape]) };
  }
  await writeJsonAtomic(path.join(dir, STATE), full);
  const checksums: Record<string, string> = {};
  for (const rel of await filesUnder(dir)) if (rel !== CHECKSUMS) checksums[rel] = await sha256(path.join(dir, rel));
  await writeJsonAtomic(path.join(dir, CHECKSUMS), checksums);
  await writeJsonAtomic(path.join(root, LATEST), { epoch: state.epochsDone, dir: name });
  // Only now are older checkpoints unreferenced; the one just before stays as a fallback.
  const older = (await fs.readdir(root)).filter((e) => /^epoch-\d+$/.test(e) && e < name).sort();
  for (const entry of older.slice(0, -1)) {
    try {
      beforeRemove(path.join(root, entry));
      await fs.rm(path.join(root, entry), { recursive: true, force: true });
    } catch (error) {
      warn(`could not remove the old checkpoint ${path.join(root, entry)} (${(error as Error).message}); training goes on, remove it by hand to free the space`);
    }
  }
}

export interface LoadedCheckpoint {
  dir: string;
  state: TrainingState;
}

/** Why the checkpoint in `dir` cannot be used, or its state when every file matches its checksum. */
async function verifyCheckpoint(dir: string): Promise<{ state: TrainingState } | { problem: string; incomplete?: true }> {
  let checksums: unknown;
  try {
    checksums = await readJson(path.join(dir, CHECKSUMS));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: `it is incomplete (no ${CHECKSUMS}: the run stopped while writing it)`, incomplete: true };
    return { problem: `its ${CHECKSUMS} is damaged (${(error as Error).message})` };
  }
  if (typeof checksums !== 'object' || checksums === null || Array.isArray(checksums)) return { problem: `its ${CHECKSUMS} is not a list of checksums` };
  const listed = checksums as Record<string, unknown>;
  let present: string[];
  try {
    present = (await filesUnder(dir)).filter((f) => f !== CHECKSUMS);
  } catch (error) {
    return { problem: `it cannot be read (${(error as Error).message})` };
  }
  for (const rel of present) if (!(rel in listed)) return { problem: `${rel} is not part of it (added after it was written)` };
  for (const [rel, expected] of Object.entries(listed)) {
    if (!present.includes(rel)) return { problem: `${rel} is missing` };
    let actual: string;
    try {
      actual = await sha256(path.join(dir, rel));
    } catch (error) {
      return { problem: `${rel} cannot be read (${(error as Error).message})` };
    }
    if (actual !== expected) return { problem: `${rel} does not match its checksum (damaged or edited)` };
  }
  if (!(STATE in listed)) return { problem: `it has no ${STATE}` };
  const state = (await readJson(path.join(dir, STATE))) as TrainingState;
  if (state.format !== FORMAT || state.version !== 1) return { problem: `${STATE} is not a gradiente checkpoint (format ${String(state.format)})` };
  if (epochDirName(state.epochsDone) !== path.basename(dir)) return { problem: `${STATE} says epoch ${String(state.epochsDone)}, not the epoch of its folder` };
  return { state };
}

/**
 * The latest intact checkpoint of a run; null when the run stopped before writing any (it
 * can simply start over). A damaged latest checkpoint falls back to the one before it, with
 * a warning; when none is intact, a clear error says why.
 */
export async function readCheckpoint(runDir: string, warn: (message: string) => void): Promise<LoadedCheckpoint | null> {
  const root = path.join(runDir, CHECKPOINT_DIR);
  const latestPath = path.join(root, LATEST);
  let entries: string[];
  try {
    entries = (await fs.readdir(root)).filter((e) => /^epoch-\d+$/.test(e)).sort().reverse();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let named: string | null = null;
  // Damage found on the way: reported when it made us skip a checkpoint. A checkpoint folder
  // without checksums.json was never committed (a crash while writing it) and is no damage.
  const problems: string[] = [];
  if (await exists(latestPath)) {
    try {
      const latest = (await readJson(latestPath)) as { dir?: unknown };
      if (typeof latest.dir === 'string' && /^epoch-\d+$/.test(latest.dir)) named = latest.dir;
      else problems.push(`${latestPath} does not name a checkpoint folder`);
    } catch (error) {
      problems.push(`${latestPath} is damaged (${(error as Error).message})`);
    }
  }
  // Folders newer than the one latest.json names were never committed (a crash while writing them).
  const candidates = named === null ? entries : [named, ...entries.filter((e) => e < named!)];
  for (const entry of candidates) {
    const dir = path.join(root, entry);
    const checked = await verifyCheckpoint(dir);
    if ('state' in checked) {
      if (problems.length > 0) warn(`${problems.join('; ')}; resuming from the intact checkpoint ${dir} (end of epoch ${checked.state.epochsDone}) instead`);
      return { dir, state: checked.state };
    }
    if (checked.incomplete && entry !== named) continue;
    problems.push(`the checkpoint ${dir} is unusable: ${checked.problem}`);
  }
  // Nothing was ever committed: the run stopped while writing its very first checkpoint.
  if (problems.length === 0) return null;
  throw new CliError(`--resume ${runDir}: no intact checkpoint (${problems.join('; ')}); start the run again with --config ${path.join(runDir, 'config.json')} --out <new dir>`);
}

/** The best epoch's weights a checkpoint keeps (verified with the rest of it), or null. */
export async function readBestWeights(checkpoint: LoadedCheckpoint): Promise<BestWeights | null> {
  const best = checkpoint.state.best;
  if (best === undefined) return null;
  const bytes = await fs.readFile(path.join(checkpoint.dir, BEST));
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const weights: StateDict = {};
  let offset = 0;
  best.names.forEach((name, i) => {
    const shape = best.shapes[i]!;
    const size = shape.reduce((a, b) => a * b, 1);
    weights[name] = new Tensor(values.slice(offset, offset + size), shape);
    offset += size;
  });
  if (offset !== values.length) throw new CliError(`${path.join(checkpoint.dir, BEST)}: holds ${values.length} values, the checkpoint names ${offset}`);
  return { epoch: best.epoch, weights };
}

/**
 * Put a freshly built model (same settings, same seed) back where the checkpoint left it:
 * weights, optimizer state, and both generators.
 */
export async function restoreCheckpoint(checkpoint: LoadedCheckpoint, model: Sequential, shuffleRandom: Random): Promise<void> {
  const saved = await loadModel(path.join(checkpoint.dir, 'model'), { allowNonFinite: true });
  model.loadStateDict(saved.stateDict());
  model.optimizer.attach(model.parameters());
  const optimizerState = saved.optimizer.stateDict();
  // The checkpoint written before the first iteration holds an optimizer that has not met its
  // parameters yet: no state to restore, the freshly attached one is that same optimizer.
  if (!(optimizerState.state.length === 0 && optimizerState.iterations === 0)) model.optimizer.loadStateDict(optimizerState);
  shuffleRandom.setState(randomFromJson(checkpoint.state.shuffleRandom));
  globalRandom.setState(randomFromJson(checkpoint.state.globalRandom));
}
