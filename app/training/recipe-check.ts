import { IMAGE_SIZE } from '../contract/classes.ts';
import type { TrainConfig } from './config.ts';
import { scheduleDecays } from './schedulers.ts';

type Recipe = Pick<
  TrainConfig,
  'epochs' | 'augmentation' | 'optimizer' | 'schedule' | 'earlyStopping' | 'reduceLrOnPlateau'
>;

/**
 * Recipes that pass the field ranges but cannot work, each as one sentence that says what to
 * change. Checked before a run starts (parseTrainConfig), so nothing is created for them.
 */
export function checkRecipe(recipe: Recipe): string[] {
  const problems: string[] = [];
  const { crop } = recipe.augmentation;
  if (crop.size > IMAGE_SIZE) {
    problems.push(
      `The random crop (${crop.size} px) is larger than the ${IMAGE_SIZE}×${IMAGE_SIZE} images: ` +
        `choose a crop of at most ${IMAGE_SIZE} px (44 is common), or crop ${IMAGE_SIZE} with padding to shift.`,
    );
  }
  const { warmupEpochs, kind } = recipe.schedule;
  if (warmupEpochs >= recipe.epochs) {
    problems.push(
      `The warm-up (${warmupEpochs} epochs) is not shorter than the run (${recipe.epochs} epochs): ` +
        `the rate would never reach its peak. Use fewer warm-up epochs or more epochs.`,
    );
  }
  const { momentum, name } = recipe.optimizer;
  if (!(momentum >= 0 && momentum < 1)) {
    problems.push(
      `Momentum ${momentum} is outside [0, 1): at 1 or above the updates never fade and SGD diverges. ` +
        `Use 0.9 (the usual value) or 0 for plain SGD${name === 'adam' ? '; Adam ignores it, but it must still be valid' : ''}.`,
    );
  }
  if (
    !recipe.earlyStopping.enabled &&
    warmupEpochs < recipe.epochs &&
    !scheduleDecays(recipe.epochs, recipe.schedule, recipe.reduceLrOnPlateau.enabled)
  ) {
    const why =
      kind === 'step'
        ? `the step schedule's first drop (every ${recipe.schedule.stepEvery} epochs after warm-up) falls after the last epoch`
        : kind === 'cosine'
          ? 'the cosine schedule ends at its starting rate'
          : kind === 'plateau'
            ? 'ReduceLROnPlateau is off'
            : 'the schedule is constant';
    problems.push(
      `The learning rate never decays (${why}) and early stopping is off, so the run ends at its ` +
        `high rate without the low-rate epochs where accuracy settles. Choose the cosine or step ` +
        `schedule, turn ReduceLROnPlateau on, or turn early stopping on.`,
    );
  }
  return problems;
}
