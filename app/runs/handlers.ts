import { encode as encodePng } from 'fast-png';
import { StudioError } from '../contract/errors.ts';
import type { Handlers } from '../contract/handlers.ts';
import type { Catalogue } from '../catalogue/catalogue.ts';
import { previewAugmentations } from '../training/augment.ts';
import type { RunManager } from './run-manager.ts';
import type { RunStore } from './run-store.ts';

type TrainingHandlers = Pick<
  Handlers,
  | 'training-options'
  | 'training-start'
  | 'training-stop'
  | 'training-resume'
  | 'runs-list'
  | 'run-get'
  | 'training-live'
  | 'training-augment-preview'
>;

/** A square grayscale image as a PNG data URL; random crops are smaller than 48×48. */
const dataUrl = (pixels: Uint8Array) => {
  const side = Math.round(Math.sqrt(pixels.length));
  return `data:image/png;base64,${Buffer.from(encodePng({ width: side, height: side, data: pixels, channels: 1, depth: 8 })).toString('base64')}`;
};

/** The training slice of the handler map. */
export function createTrainingHandlers(
  catalogue: Catalogue,
  store: RunStore,
  manager: RunManager,
): TrainingHandlers {
  return {
    'training-options': () => manager.options(),
    'training-start': ({ config, parentRunId }) => manager.start(config, parentRunId ?? null),
    'training-stop': ({ runId }) => manager.stop(runId),
    'training-resume': ({ runId }) => manager.resume(runId),
    'runs-list': async () => ({ runs: store.list() }),
    'run-get': async ({ runId }) => store.get(runId),
    'training-live': async () => ({ run: manager.live() }),
    'training-augment-preview': async ({ imageId, augmentation, seed, count }) => {
      const id = imageId ?? catalogue.list({ split: 'train' }).ids[0];
      if (id === undefined)
        throw new StudioError('not-found', 'The catalogue has no training image to preview.');
      const pixels = catalogue.pixels(id);
      let samples: Uint8Array[];
      try {
        samples = previewAugmentations(pixels, augmentation, seed, count);
      } catch (error) {
        // A crop larger than the padded image: say so, as training would.
        throw new StudioError('bad-request', (error as Error).message);
      }
      return { images: [dataUrl(pixels), ...samples.map(dataUrl)] };
    },
  };
}
