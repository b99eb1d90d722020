import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PIXELS_PER_IMAGE } from '../../../app/contract/classes.ts';
import { recalibrateBatchNorm } from '../../../app/evaluation/batch-norm.ts';
import { createRng } from '../../../app/util/rng.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** 12×12 after pooling keeps the cpu backend quick; two batch norms, as in a real CNN. */
function model(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.averagePooling2d({ inputShape: [48, 48, 1], poolSize: 4 }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, useBias: false, kernelInitializer: init(1) }),
      tf.layers.batchNormalization({ momentum: 0.9 }),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.conv2d({ filters: 3, kernelSize: 3, useBias: false, kernelInitializer: init(2) }),
      tf.layers.batchNormalization({ momentum: 0.9 }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 7, activation: 'softmax', kernelInitializer: init(3) }),
    ],
  });
}

function images(n: number): Uint8Array {
  const rng = createRng(4);
  return Uint8Array.from({ length: n * PIXELS_PER_IMAGE }, () => 40 + rng.int(180));
}

describe('recalibrateBatchNorm', () => {
  it('sets the first layer’s moving statistics to the exact moments of its input', () => {
    const m = model();
    const pixels = images(50);
    const bn = m.layers[2] as tf.layers.Layer;
    // Stale averages, as after training: far from the data's statistics.
    bn.setWeights([...bn.getWeights().slice(0, 2), tf.fill([4], 5), tf.fill([4], 9)]);
    const before = tf.memory().numTensors;
    recalibrateBatchNorm(m, pixels, 16); // 50 = 16 + 16 + 16 + 2: uneven batches on purpose
    expect(tf.memory().numTensors).toBe(before);

    // The input of the first batch norm, over all 50 images at once.
    const conv = tf.model({ inputs: m.inputs, outputs: m.layers[1]?.output as tf.SymbolicTensor });
    const x = tf.tensor4d(pixels, [50, 48, 48, 1]).toFloat().div(255);
    const { mean, variance } = tf.moments(conv.predict(x) as tf.Tensor, [0, 1, 2]);
    const [movingMean, movingVariance] = bn.getWeights().slice(2);
    const close = (a: tf.Tensor | undefined, b: tf.Tensor) =>
      Array.from(a?.dataSync() ?? []).map((v, i) => Math.abs(v - (b.dataSync()[i] ?? NaN)));
    expect(Math.max(...close(movingMean, mean))).toBeLessThan(1e-4);
    expect(Math.max(...close(movingVariance, variance))).toBeLessThan(1e-4);
    // The second layer moved off its initial 0 / 1 too.
    const second = (m.layers[5] as tf.layers.Layer).getWeights()[2]?.dataSync() ?? [];
    expect(Array.from(second).some((v) => Math.abs(v) > 1e-3)).toBe(true);
    tf.dispose([x, mean, variance]);
    m.dispose();
  });

  it('makes inference match training mode on the data it saw', () => {
    const m = model();
    const pixels = images(64);
    const x = tf.tensor4d(pixels, [64, 48, 48, 1]).toFloat().div(255);
    const staleGap = tf.tidy(() =>
      (m.apply(x, { training: true }) as tf.Tensor)
        .sub(m.predict(x) as tf.Tensor)
        .abs()
        .max(),
    );
    recalibrateBatchNorm(m, pixels, 64);
    const gap = tf.tidy(() =>
      (m.apply(x, { training: true }) as tf.Tensor)
        .sub(m.predict(x) as tf.Tensor)
        .abs()
        .max(),
    );
    // One batch of all images: training mode normalises with exactly the recalibrated moments.
    expect(gap.dataSync()[0]).toBeLessThan(1e-3);
    expect(staleGap.dataSync()[0]).toBeGreaterThan(10 * (gap.dataSync()[0] ?? 0));
    tf.dispose([x, staleGap, gap]);
    m.dispose();
  });
});
