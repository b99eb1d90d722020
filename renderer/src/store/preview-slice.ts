import type { StateCreator } from 'zustand';
import { errorMessage } from '../client/index.ts';
import { draftAugmentation } from '../train/train-form.ts';
import type { StoreDeps, StudioState } from './store.ts';

export interface PreviewSlice {
  /** PNG data URLs: the original first, then augmented samples. */
  previewImages: string[];
  previewLoading: boolean;
  previewError: string | null;
  previewSeed: number;
  /** Side of the augmented samples in pixels: the crop size when cropping, else 48. */
  previewSide: number;
  /** Ask for a preview of the draft's augmentation after `delayMs` (the debounce) unless asked again. */
  schedulePreview(delayMs?: number): void;
  newPreviewSamples(): void;
}

export const PREVIEW_COUNT = 7;

export function createPreviewSlice(
  deps: StoreDeps,
): StateCreator<StudioState, [], [], PreviewSlice> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  // The augmentation and seed of the last request, so an unchanged form does not ask again.
  let lastKey = '';
  // Only the newest reply may write, so a slow one never replaces a newer preview.
  let request = 0;

  return (set, get) => {
    async function fetchPreview(): Promise<void> {
      const draft = get().trainDraft;
      const augmentation = draft ? draftAugmentation(draft) : null;
      if (!augmentation) return;
      const seed = get().previewSeed;
      const key = JSON.stringify([augmentation, seed]);
      if (key === lastKey) return;
      lastKey = key;
      const mine = ++request;
      set({ previewLoading: true });
      try {
        const { images } = await deps.client.invoke('training-augment-preview', {
          augmentation,
          seed,
          count: PREVIEW_COUNT,
        });
        const { size, padding } = augmentation.crop;
        const previewSide = size < 48 || padding > 0 ? size : 48;
        if (mine === request)
          set({ previewImages: images, previewLoading: false, previewError: null, previewSide });
      } catch (error) {
        if (mine !== request) return;
        lastKey = '';
        set({ previewLoading: false, previewError: errorMessage(error) });
      }
    }

    return {
      previewImages: [],
      previewLoading: false,
      previewError: null,
      previewSeed: 1,
      previewSide: 48,

      schedulePreview(delayMs = deps.previewDebounceMs) {
        if (timer !== null) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          void fetchPreview();
        }, delayMs);
      },

      newPreviewSamples() {
        set({ previewSeed: get().previewSeed + 1 });
        get().schedulePreview(0);
      },
    };
  };
}
