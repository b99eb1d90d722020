import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { TrainConfigInput } from './config.ts';
import { parseTrainConfig, storedConfigInput } from './config.ts';
import type { TrainingData } from './dataset.ts';
import { fileIoHandler, nodeFs, toArrayBuffer } from './fs-io.ts';
import type { FileSystem } from './fs-io.ts';
import { encodeOptimizerState } from './optimizer-state.ts';
import type { EncodedTensors } from './optimizer-state.ts';
import { train } from './train.ts';
import type {
  CheckpointSnapshot,
  TrainCallbacks,
  TrainOptions,
  TrainResult,
  TrainState,
} from './train.ts';

/**
 * Run directory layout:
 *   latest.json           → { dir, epoch }: the one complete checkpoint to resume from
 *   epoch-0007-<stamp>/   model.json, weights.bin, optimizer.bin, best.bin, state.json
 * A checkpoint is written into `.tmp-…`, renamed into place, and only then does latest.json
 * (itself written to a temp file and renamed) point at it. A crash or full disk at any step
 * leaves latest.json naming the previous, complete checkpoint.
 */
export const LATEST_FILE = 'latest.json';
const STATE_FILE = 'state.json';
const OPTIMIZER_FILE = 'optimizer.bin';
const BEST_FILE = 'best.bin';
const FORMAT_VERSION = 1;

interface StateFile {
  version: number;
  state: TrainState;
  optimizerSpecs: tf.io.WeightsManifestEntry[];
  bestSpecs: tf.io.WeightsManifestEntry[] | null;
  savedAt: string;
}

export interface LoadedCheckpoint {
  dir: string;
  state: TrainState;
  model: tf.LayersModel;
  optimizer: EncodedTensors;
  bestWeights: tf.Tensor[] | null;
}

async function encodeBest(snapshot: CheckpointSnapshot): Promise<EncodedTensors | null> {
  if (!snapshot.bestWeights) return null;
  const named = snapshot.model.weights.map((w, i) => {
    const tensor = snapshot.bestWeights?.[i];
    if (!tensor) throw new Error(`Best weights lack ${w.originalName}`);
    return { name: `${i}:${w.originalName}`, tensor };
  });
  return tf.io.encodeWeights(named);
}

/** Writes the snapshot as the run's new latest checkpoint; throws (leaving latest intact) on any failure. */
export async function saveCheckpoint(
  runDir: string,
  snapshot: CheckpointSnapshot,
  fs: FileSystem = nodeFs,
): Promise<string> {
  const name = `epoch-${String(snapshot.epoch).padStart(4, '0')}-${Date.now().toString(36)}`;
  const tmp = join(runDir, `.tmp-${name}`);
  await fs.mkdir(tmp, { recursive: true });
  try {
    await snapshot.model.save(fileIoHandler(tmp, fs));
    const optimizer = await encodeOptimizerState(snapshot.optimizer);
    await fs.writeFile(join(tmp, OPTIMIZER_FILE), new Uint8Array(optimizer.data));
    const best = await encodeBest(snapshot);
    if (best) await fs.writeFile(join(tmp, BEST_FILE), new Uint8Array(best.data));
    const file: StateFile = {
      version: FORMAT_VERSION,
      state: snapshot.state,
      optimizerSpecs: optimizer.specs,
      bestSpecs: best?.specs ?? null,
      savedAt: new Date().toISOString(),
    };
    await fs.writeFile(join(tmp, STATE_FILE), JSON.stringify(file));
    await fs.rename(tmp, join(runDir, name));
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  const pointer = join(runDir, `${LATEST_FILE}.tmp`);
  await fs.writeFile(pointer, JSON.stringify({ dir: name, epoch: snapshot.epoch }));
  await fs.rename(pointer, join(runDir, LATEST_FILE));
  // Only now is the old checkpoint unreferenced.
  for (const entry of await fs.readdir(runDir)) {
    if (entry !== name && (entry.startsWith('epoch-') || entry.startsWith('.tmp-'))) {
      await fs.rm(join(runDir, entry), { recursive: true, force: true }).catch(() => undefined);
    }
  }
  return join(runDir, name);
}

/** `onCheckpoint` for train(): every epoch end becomes the run's latest checkpoint. */
export function checkpointTo(runDir: string, fs: FileSystem = nodeFs) {
  return async (snapshot: CheckpointSnapshot): Promise<void> => {
    await saveCheckpoint(runDir, snapshot, fs);
  };
}

export async function latestCheckpointDir(
  runDir: string,
  fs: FileSystem = nodeFs,
): Promise<string> {
  let pointer: { dir?: unknown };
  try {
    pointer = JSON.parse(new TextDecoder().decode(await fs.readFile(join(runDir, LATEST_FILE))));
  } catch {
    throw new Error(`No checkpoint in ${runDir} (missing or unreadable ${LATEST_FILE}).`);
  }
  if (typeof pointer.dir !== 'string' || pointer.dir.includes('/') || pointer.dir.includes('..')) {
    throw new Error(`${join(runDir, LATEST_FILE)} does not name a checkpoint directory.`);
  }
  return join(runDir, pointer.dir);
}

/** Loads the latest checkpoint; the caller owns the model and the best-weight tensors. */
export async function loadCheckpoint(
  runDir: string,
  fs: FileSystem = nodeFs,
): Promise<LoadedCheckpoint> {
  const dir = await latestCheckpointDir(runDir, fs);
  const file = JSON.parse(
    new TextDecoder().decode(await fs.readFile(join(dir, STATE_FILE))),
  ) as StateFile;
  if (file.version !== FORMAT_VERSION) {
    throw new Error(
      `Checkpoint format ${file.version} is not supported (expected ${FORMAT_VERSION}).`,
    );
  }
  const model = await tf.loadLayersModel(fileIoHandler(dir, fs));
  const optimizer = {
    data: toArrayBuffer(await fs.readFile(join(dir, OPTIMIZER_FILE))),
    specs: file.optimizerSpecs,
  };
  let bestWeights: tf.Tensor[] | null = null;
  if (file.bestSpecs) {
    const map = tf.io.decodeWeights(
      toArrayBuffer(await fs.readFile(join(dir, BEST_FILE))),
      file.bestSpecs,
    );
    bestWeights = file.bestSpecs.map((spec) => map[spec.name] as tf.Tensor);
  }
  return { dir, state: file.state, model, optimizer, bestWeights };
}

/** The best epoch's model of a run (or the latest, when best weights were not kept). */
export async function loadBestModel(
  runDir: string,
  fs: FileSystem = nodeFs,
): Promise<tf.LayersModel> {
  const checkpoint = await loadCheckpoint(runDir, fs);
  if (checkpoint.bestWeights) {
    checkpoint.model.setWeights(checkpoint.bestWeights);
    tf.dispose(checkpoint.bestWeights);
  }
  return checkpoint.model;
}

export interface ResumeOptions extends Omit<TrainOptions, 'resume'> {
  /** Config changes for the continuation, typically more `epochs`. */
  config?: Partial<TrainConfigInput>;
  fs?: FileSystem;
}

/**
 * Continues a run from its latest checkpoint, saving new checkpoints into the same directory.
 * The data must be the same images as in the original run, or the split will differ.
 */
export async function resumeTraining(
  runDir: string,
  data: TrainingData,
  callbacks: TrainCallbacks = {},
  options: ResumeOptions = {},
): Promise<TrainResult & { model: tf.LayersModel }> {
  const fs = options.fs ?? nodeFs;
  const checkpoint = await loadCheckpoint(runDir, fs);
  const config = parseTrainConfig({
    ...storedConfigInput(checkpoint.state.config),
    ...options.config,
  });
  const save = checkpointTo(runDir, fs);
  const resume = {
    state: checkpoint.state,
    optimizer: checkpoint.optimizer,
    ...(checkpoint.bestWeights ? { bestWeights: checkpoint.bestWeights } : {}),
  };
  const result = await train(
    checkpoint.model,
    data,
    config,
    {
      ...callbacks,
      onCheckpoint: async (snapshot) => {
        await save(snapshot);
        await callbacks.onCheckpoint?.(snapshot);
      },
    },
    { ...(options.signal ? { signal: options.signal } : {}), resume },
  );
  return { ...result, model: checkpoint.model };
}
