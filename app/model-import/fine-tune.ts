import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import { needsConversion, parsePreprocessing } from '../preprocessing/index.ts';
import { isCropping } from '../training/augment.ts';
import type { TrainConfig, TrainConfigInput } from '../training/config.ts';
import { fileIoHandler } from '../training/fs-io.ts';

/**
 * The parent run's saved model, ready to train on: every layer trainable, or with
 * `trainLastLayers` = N only the last N layers that have weights (the rest frozen, transfer
 * learning's usual start). Frozen batch-norm layers keep their moving statistics too.
 */
export async function loadForFineTune(
  modelDir: string,
  trainLastLayers: number | null,
): Promise<tf.LayersModel> {
  const model = await tf.loadLayersModel(fileIoHandler(modelDir));
  if (trainLastLayers !== null) {
    const weighted = model.layers.filter((l) => l.weights.length > 0);
    const keep = new Set(weighted.slice(Math.max(0, weighted.length - trainLastLayers)));
    for (const layer of weighted) layer.trainable = keep.has(layer);
  }
  return model;
}

/** Why a fine-tune request cannot start, or null; checked before any run exists. */
export function fineTuneProblem(parent: {
  id: number;
  status: string;
  model_path: string | null;
}): string | null {
  if (parent.status !== 'finished' || !parent.model_path)
    return `Run ${parent.id} has no finished model to train from (status ${parent.status}).`;
  return null;
}

/**
 * A fine-tune's own defaults under the request: Adam (its small rates suit trained weights, where
 * the default recipe's SGD 0.05 would undo them) and no random crop unless asked (the parent's
 * input decides, see fineTuneConfig).
 */
export function fineTuneRecipe(input: TrainConfigInput): TrainConfigInput {
  return {
    ...input,
    optimizer: { name: 'adam', ...input.optimizer },
    augmentation: {
      ...input.augmentation,
      crop: { size: IMAGE_SIZE, padding: 0, ...input.augmentation?.crop },
    },
  };
}

/**
 * The config a fine-tuned run trains with: the parent's model name and preprocessing record (an
 * imported model keeps its size, range and class order; a cropped studio run its crop size).
 */
export function fineTuneConfig(
  config: TrainConfig,
  parent: {
    id: number;
    status: string;
    model: string;
    model_path: string | null;
    preprocessing: string | null;
  },
): { config: TrainConfig; modelDir: string } {
  const fineTune = config.fineTune;
  if (!fineTune) throw new StudioError('bad-request', 'No run to train from was given.');
  const problem = fineTuneProblem(parent);
  if (problem || !parent.model_path) throw new StudioError('bad-request', problem ?? '');
  const preprocessing = parsePreprocessing(parent.preprocessing);
  let augmentation = config.augmentation;
  if (needsConversion(preprocessing)) {
    if (isCropping(augmentation))
      throw new StudioError(
        'bad-request',
        `Run ${parent.id}'s model takes ${preprocessing.inputHeight}×${preprocessing.inputWidth} inputs of its own: train from it without random crops.`,
      );
  } else {
    // A studio model's input is its crop: keep training on crops of that size.
    const size = preprocessing.centerCrop ?? IMAGE_SIZE;
    augmentation = { ...augmentation, crop: { ...augmentation.crop, size } };
  }
  return {
    config: {
      ...config,
      model: parent.model,
      augmentation,
      fineTune: { ...fineTune, preprocessing },
    },
    modelDir: parent.model_path,
  };
}
