import { CLASS_NAMES, IMAGE_SIZE } from '../contract/classes.ts';
import { IDENTITY_PREPROCESSING, type Preprocessing } from '../preprocessing/index.ts';
import { withSeededRandom } from '../util/seeded-random.ts';

/**
 * The preprocessing record of a studio-trained run: the identity (48×48, pixel / 255) unless the
 * recipe trains on random crops smaller than the image; then the model takes crop.size² inputs
 * and every inference path feeds it the centre crop, through app/preprocessing's toModelInput.
 */
export function recipePreprocessing(recipe: {
  augmentation: { crop: { size: number } };
}): Preprocessing {
  const size = recipe.augmentation.crop.size;
  if (size >= IMAGE_SIZE) return IDENTITY_PREPROCESSING;
  return {
    inputHeight: size,
    inputWidth: size,
    channels: 1,
    range: '0,1',
    classOrder: [...CLASS_NAMES],
    centerCrop: size,
  };
}

/**
 * The record for a saved studio model read from its [null, s, s, 1] input shape, for callers
 * that have the model but not its recipe (a bare exported model dir).
 */
export function modelPreprocessing(model: {
  inputs: readonly { shape: readonly (number | null)[] }[];
}): Preprocessing {
  const side = model.inputs[0]?.shape[1];
  if (typeof side !== 'number' || side > IMAGE_SIZE) {
    throw new Error(
      `The model takes input ${JSON.stringify(model.inputs[0]?.shape)}, not a square of at most ${IMAGE_SIZE}×${IMAGE_SIZE}.`,
    );
  }
  return recipePreprocessing({ augmentation: { crop: { size: side } } });
}

/**
 * What the model builder gets from a recipe: the input side (the crop) and, when the recipe sets
 * one, the dropout rate; every builder in models/ takes both.
 */
export function modelBuildConfig(recipe: {
  augmentation: { crop: { size: number } };
  dropout: number | null;
}): { inputShape: [number, number, number]; dropout?: number } {
  const side = Math.min(IMAGE_SIZE, recipe.augmentation.crop.size);
  return {
    inputShape: [side, side, 1],
    ...(recipe.dropout === null ? {} : { dropout: recipe.dropout }),
  };
}

/** Keeps the initial weights' stream apart from the split's and the shuffle's, which use `seed` itself. */
const INIT_SEED_OFFSET = 0x1d872b41;

/**
 * Builds a recipe's fresh model with its initial weights drawn from the recipe's seed. tfjs's
 * initialisers draw from Math.random when they have no seed of their own, so an unseeded build
 * made two runs of one recipe and seed start from different weights (and land up to 1.6
 * validation points apart on the issue-10 proxies); with this the seed pins the whole run.
 */
export function buildSeeded<M>(
  build: (config: ReturnType<typeof modelBuildConfig>) => M,
  recipe: Parameters<typeof modelBuildConfig>[0] & { seed: number },
): M {
  return withSeededRandom(recipe.seed + INIT_SEED_OFFSET, () => build(modelBuildConfig(recipe)));
}
