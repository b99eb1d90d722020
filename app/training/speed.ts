import type * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES, PIXELS_PER_IMAGE } from '../contract/classes.ts';
import { createRng } from '../util/rng.ts';
import type { TrainConfig } from './config.ts';
import { train } from './train.ts';

export interface SpeedTest {
  /** Wall seconds per image per epoch (augmentation, training, validation), to scale estimates. */
  secondsPerImageEpoch: number;
  images: number;
}

/**
 * Trains `model` for one epoch on a few batches of random faces with `config`'s recipe, so the
 * first run of a model can say how long it will take before it starts. The first batch's warm-up
 * is included, so the figure errs towards longer.
 */
export async function measureTrainingSpeed(
  model: tf.LayersModel,
  config: TrainConfig,
  batches = 6,
): Promise<SpeedTest> {
  const images = config.batchSize * batches;
  const rng = createRng(7);
  const pixels = new Uint8Array(images * PIXELS_PER_IMAGE).map(() => Math.floor(rng.next() * 256));
  const labels = new Uint8Array(images).map((_, i) => i % CLASS_NAMES.length);
  const ids = Array.from({ length: images }, (_, i) => i + 1);
  let seconds = 0;
  await train(
    model,
    { pixels, labels, ids },
    { ...config, epochs: 1, recalibrateBatchNorm: false },
    {
      onEpochEnd: (metrics) => {
        seconds = metrics.seconds;
      },
    },
  );
  return { secondsPerImageEpoch: seconds / images, images };
}
