import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { selectBackend } from '../../../app/engine/backend.ts';
import type { BackendPreference } from '../../../app/engine/backend.ts';
import { generateSampleSet } from '../../../app/sample/sample-set.ts';
import { parseTrainConfig } from '../../../app/training/config.ts';
import { plainRecipe } from './helpers.ts';
import { train } from '../../../app/training/train.ts';

/**
 * End-to-end learnability: a small CNN on 60 synthetic faces per class must beat 60 % validation
 * accuracy on 7 classes. Runs on the wasm backend with app/engine's training kernels: tfjs' cpu
 * backend computes Conv2DBackpropFilter element by element (20–50 s per epoch on this box).
 */
function smallCnn(): tf.LayersModel {
  const he = (seed: number) => tf.initializers.heNormal({ seed });
  return tf.sequential({
    layers: [
      tf.layers.averagePooling2d({ inputShape: [48, 48, 1], poolSize: 2 }),
      tf.layers.conv2d({
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: he(1),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: he(2),
      }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({
        units: 7,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      }),
    ],
  });
}

describe('learnability on the synthetic sample set', () => {
  test('a small CNN beats 60 % validation accuracy', async () => {
    await selectBackend((process.env.FER_TRAIN_BACKEND ?? 'wasm') as BackendPreference);
    const set = generateSampleSet({ perClass: 60, seed: 1 });
    const model = smallCnn();
    const config = parseTrainConfig(
      plainRecipe({
        epochs: 20,
        batchSize: 16,
        learningRate: 1e-2,
        validationFraction: 0.2,
        seed: 1,
        augmentation: { rotationDeg: 0, horizontalFlip: false, zoom: 0, shift: 0 },
        earlyStopping: { patience: 20 },
      }),
    );
    // Stop once clearly past the bar, to keep the suite fast.
    const controller = new AbortController();
    const result = await train(
      model,
      set,
      config,
      { onEpochEnd: (m) => void ((m.valAcc ?? 0) >= 0.7 && controller.abort()) },
      { signal: controller.signal },
    );
    const best = Math.max(...result.history.map((m) => m.valAcc ?? 0));
    expect(result.split.validation).toBe(84);
    expect(best).toBeGreaterThan(0.6);
    model.dispose();
  }, 600_000);
});
