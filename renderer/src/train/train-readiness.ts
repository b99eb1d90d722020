import type { Stats } from '../../../app/contract/index.ts';
import { isActive } from '../store/live-run.ts';
import type { StudioState } from '../store/store.ts';

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

export const selectTrainBlocker = (state: StudioState): string | null => trainBlocker(state.stats);

/**
 * The form is locked while a run trains. Each control sets `disabled` itself rather than relying
 * on the fieldset alone, so every field (text ones included) reads and styles as locked.
 */
export const selectFormLocked = (state: StudioState): boolean =>
  state.live !== null && isActive(state.live.status);
