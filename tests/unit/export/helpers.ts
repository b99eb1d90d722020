import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fileIoHandler } from '../../../app/training/fs-io.ts';
import { MODELS } from '../../../models/index.ts';

export async function tempDir(
  prefix = 'fer-export-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A model as training leaves it: random weights and batch-norm statistics far from the initial
 * mean 0 / variance 1, so a converter that ignored them would not match.
 */
export function trainedLike(name: 'compact-cnn' | 'seed-cnn', seed = 1): tf.LayersModel {
  const model = (MODELS[name] as { build: () => tf.LayersModel }).build();
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const ws = layer.getWeights();
    layer.setWeights(
      ws.map((w, i) =>
        i === ws.length - 1
          ? tf.randomUniform(w.shape, 0.3, 2, 'float32', seed + i)
          : tf.randomNormal(w.shape, 0, 0.5, 'float32', seed + i),
      ),
    );
  }
  return model;
}

/** Saves `model` as a run does (`<runDir>/model`), returning the model folder. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<string> {
  const modelDir = join(dir, 'run', 'model');
  await model.save(fileIoHandler(modelDir));
  return modelDir;
}

export function randomImages(n: number, seed: number): tf.Tensor4D {
  return tf.randomUniform([n, 48, 48, 1], 0, 1, 'float32', seed);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++)
    max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}
