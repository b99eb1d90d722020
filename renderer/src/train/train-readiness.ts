import type { Stats } from '../../../app/contract/index.ts';
import { isActive } from '../store/live-run.ts';
import type { StudioState } from '../store/store.ts';
import { NUMBER_FIELDS, NUMBER_KEYS } from './number-fields.ts';
import { dropoutError, parseDraft, type TrainDraft } from './train-form.ts';

/**
 * Why the catalogue cannot be trained on yet, in the user's words; null when it can. Mirrors the
 * core's own refusal (it needs training images of at least two classes), so the page never
 * offers a click that can only fail.
 */
export function trainBlocker(stats: Stats | null): string | null {
  if (stats === null) return null;
  const withImages = Object.values(stats.classes).filter((c) => c.train > 0).length;
  if (withImages === 0)
    return 'No labelled images yet: import a folder or open the sample set on the Dataset page.';
  if (withImages === 1)
    return 'Only one class has training images: a classifier needs at least two. Import more on the Dataset page.';
  return null;
}

/** Training images after the validation share leaves, split per class as the core does. */
export function trainingImages(stats: Stats, validationFraction: number): number {
  return Object.values(stats.classes).reduce(
    (sum, { train: n }) =>
      sum + n - Math.min(Math.round(n * validationFraction), Math.max(0, n - 1)),
    0,
  );
}

/**
 * Why these settings cannot start a run, naming the field (it may sit folded under Advanced);
 * null when they can. The batch check mirrors the core's refusal.
 */
export function settingsBlocker(draft: TrainDraft | null, stats: Stats | null): string | null {
  if (draft === null) return null;
  const { config, errors } = parseDraft(draft);
  const wrong = NUMBER_KEYS.flatMap((key) =>
    errors[key] ? [`${NUMBER_FIELDS[key].name} (${errors[key]})`] : [],
  );
  const dropout = dropoutError(draft.dropout);
  if (dropout) wrong.push(`Dropout (${dropout})`);
  if (wrong.length > 0) return `Cannot train yet: fix ${wrong.join(', ')}.`;
  if (stats === null) return null;
  const images = trainingImages(stats, config.validationFraction);
  if (images === 0 || config.batchSize <= images) return null;
  const held = Math.round(config.validationFraction * 100);
  return `Batch size ${config.batchSize} is larger than the training set (${images} training images after ${held} % go to validation): use a batch size of at most ${images}.`;
}

/** The catalogue's blocker first, then the settings'. */
export const selectTrainBlocker = (state: StudioState): string | null =>
  trainBlocker(state.stats) ?? settingsBlocker(state.trainDraft, state.stats);

/**
 * The form is locked while a run trains. Each control sets `disabled` itself rather than relying
 * on the fieldset alone, so every field (text ones included) reads and styles as locked.
 */
export const selectFormLocked = (state: StudioState): boolean =>
  state.live !== null && isActive(state.live.status);
