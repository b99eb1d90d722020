import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { StudioError } from '../contract/errors.ts';
import { fileIoHandler, MODEL_FILE, type FileSystem, nodeFs } from '../training/fs-io.ts';

/** The parsed model.json plus the weight shard files it names. */
export interface ModelFiles {
  modelJson: tf.io.ModelJSON;
  shards: string[];
}

/** Checks that `dir` holds a tfjs layers model, with errors a user can act on. */
export async function readModelFiles(dir: string): Promise<ModelFiles> {
  const stat = await fsp.stat(dir).catch(() => null);
  if (!stat) throw new StudioError('not-found', `The model folder ${dir} does not exist.`);
  if (!stat.isDirectory())
    throw new StudioError('not-a-directory', `The model path ${dir} is not a folder.`);
  let text: string;
  try {
    text = await fsp.readFile(join(dir, MODEL_FILE), 'utf8');
  } catch {
    throw new StudioError(
      'not-found',
      `The folder ${dir} holds no model (${MODEL_FILE} is missing).`,
    );
  }
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(text) as tf.io.ModelJSON;
  } catch {
    throw new StudioError('bad-request', `${join(dir, MODEL_FILE)} is damaged (not JSON).`);
  }
  if (
    typeof modelJson !== 'object' ||
    modelJson === null ||
    typeof modelJson.modelTopology !== 'object' ||
    !Array.isArray(modelJson.weightsManifest)
  ) {
    throw new StudioError(
      'bad-request',
      `${join(dir, MODEL_FILE)} is not a TensorFlow.js layers model.`,
    );
  }
  const shards = modelJson.weightsManifest.flatMap((group) => group.paths);
  for (const shard of shards) {
    // Shards must stay inside the model folder; a manifest is untrusted input.
    if (shard.includes('/') || shard.includes('\\') || shard.startsWith('.'))
      throw new StudioError(
        'bad-request',
        `The model lists a weight file outside its folder (${shard}); refusing to read it.`,
      );
    if (!(await fsp.stat(join(dir, shard)).catch(() => null)))
      throw new StudioError(
        'not-found',
        `The model's weight file ${shard} is missing from ${dir}.`,
      );
  }
  return { modelJson, shards };
}

/** Loads the model with the active tfjs backend; the caller disposes it. */
export async function loadModel(dir: string, fs: FileSystem = nodeFs): Promise<tf.LayersModel> {
  await readModelFiles(dir);
  try {
    return await tf.loadLayersModel(fileIoHandler(dir, fs));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new StudioError('bad-request', `The model in ${dir} cannot be loaded: ${reason}`);
  }
}
