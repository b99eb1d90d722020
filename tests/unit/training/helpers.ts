import * as tf from '@tensorflow/tfjs';
import { PIXELS_PER_IMAGE } from '../../../app/contract/classes.ts';
import { parseTrainConfig } from '../../../app/training/config.ts';
import type { TrainConfig, TrainConfigInput } from '../../../app/training/config.ts';
import type { TrainingData } from '../../../app/training/dataset.ts';
import { createRng } from '../../../app/util/rng.ts';

/**
 * Pooling to 12×12 first keeps the cpu backend's slow Conv2DBackpropFilter cheap while the
 * model still has a conv layer, so these tests exercise the same code paths as a real CNN.
 */
export function tinyCnn(seed = 1, dropout = 0, size = 48): tf.LayersModel {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * 10 + s });
  return tf.sequential({
    layers: [
      tf.layers.averagePooling2d({ inputShape: [size, size, 1], poolSize: 4 }),
      tf.layers.conv2d({
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.flatten(),
      ...(dropout > 0 ? [tf.layers.dropout({ rate: dropout })] : []),
      tf.layers.dense({ units: 7, activation: 'softmax', kernelInitializer: init(2) }),
    ],
  });
}

/** Class c is a bright bar at row band c plus noise: learnable in a few epochs by a tiny model. */
export function barData(perClass: number | number[], seed = 3): TrainingData {
  const counts = Array.isArray(perClass) ? perClass : Array.from({ length: 7 }, () => perClass);
  const n = counts.reduce((s, c) => s + c, 0);
  const rng = createRng(seed);
  const pixels = new Uint8Array(n * PIXELS_PER_IMAGE);
  const labels = new Uint8Array(n);
  let i = 0;
  counts.forEach((count, c) => {
    for (let k = 0; k < count; k++, i++) {
      labels[i] = c;
      for (let j = 0; j < PIXELS_PER_IMAGE; j++) {
        const row = Math.floor(j / 48);
        const bar = row >= 4 + c * 6 && row < 8 + c * 6 ? 160 : 0;
        pixels[i * PIXELS_PER_IMAGE + j] = Math.min(255, bar + rng.int(80));
      }
    }
  });
  return { pixels, labels };
}

/**
 * The recipe the studio trained with before issue 10's default (Adam, plateau, no warm-up, hard
 * labels, full 48-px input): what tests of the training loop with tiny 48×48 models are written against.
 * Nested fields merge, so an override of one field keeps the rest of this recipe.
 */
export function plainRecipe(overrides: TrainConfigInput = {}): TrainConfigInput {
  return {
    labelSmoothing: 0,
    ...overrides,
    optimizer: { name: 'adam', weightDecay: 0, ...overrides.optimizer },
    schedule: { kind: 'plateau', warmupEpochs: 0, ...overrides.schedule },
    augmentation: {
      ...overrides.augmentation,
      crop: { size: 48, padding: 0, ...overrides.augmentation?.crop },
    },
  };
}

export function quickConfig(overrides: TrainConfigInput = {}): TrainConfig {
  return parseTrainConfig(
    plainRecipe({
      epochs: 3,
      batchSize: 16,
      learningRate: 1e-2,
      validationFraction: 0.2,
      seed: 5,
      ...overrides,
    }),
  );
}

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}
