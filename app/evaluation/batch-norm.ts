import * as tf from '@tensorflow/tfjs';
import { PIXELS_PER_IMAGE } from '../contract/classes.ts';
import { toModelInput } from '../preprocessing/index.ts';
import { modelPreprocessing } from '../training/model-input.ts';

interface NormStats {
  mean: tf.LayerVariable;
  variance: tf.LayerVariable;
  momentum: number;
  meanSum: tf.Tensor;
  squareSum: tf.Tensor;
}

/**
 * Replaces every batch-norm layer's moving mean and variance by the exact statistics of `pixels`
 * under the model's final weights (one forward pass in training mode).
 *
 * Why: the moving averages trail the weights. After a few hundred Adam steps on a small fold they
 * still mix statistics of older weights, and inference-mode accuracy on the fold's own training
 * images measured 0.18–0.78 against 0.75–0.90 in training mode; recalibrated it was 0.90–0.98.
 */
export function recalibrateBatchNorm(model: tf.LayersModel, pixels: Uint8Array, batchSize = 64) {
  const n = pixels.length / PIXELS_PER_IMAGE;
  // A model trained on crops takes their centre crop: the same input as at inference.
  const preprocessing = modelPreprocessing(model);
  const side = preprocessing.inputHeight;
  const layers = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
  if (n === 0 || layers.length === 0) return;
  const stats: NormStats[] = layers.map((layer) => {
    const find = (suffix: string) => {
      const weight = layer.weights.find((w) => w.originalName.endsWith(suffix));
      if (!weight) throw new Error(`${layer.name} has no ${suffix} weight.`);
      return weight;
    };
    const mean = find('moving_mean');
    return {
      mean,
      variance: find('moving_variance'),
      momentum: Number(layer.getConfig()['momentum'] ?? 0.99),
      meanSum: tf.zerosLike(mean.read()),
      squareSum: tf.zerosLike(mean.read()),
    };
  });
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const before = stats.map((s) => [s.mean.read().clone(), s.variance.read().clone()] as const);
    tf.tidy(() => {
      const xs = tf.tensor4d(
        toModelInput(
          pixels.subarray(start * PIXELS_PER_IMAGE, (start + size) * PIXELS_PER_IMAGE),
          preprocessing,
        ),
        [size, side, side, 1],
      );
      model.apply(xs, { training: true });
    });
    // The layer moved its averages to m·before + (1 − m)·batch: solve for this batch's moments.
    stats.forEach((s, i) => {
      const [mean0, variance0] = before[i] as readonly [tf.Tensor, tf.Tensor];
      const [meanSum, squareSum] = tf.tidy(() => {
        const unmix = (after: tf.Tensor, prior: tf.Tensor) =>
          after.sub(prior.mul(s.momentum)).div(1 - s.momentum);
        const mean = unmix(s.mean.read(), mean0);
        const variance = unmix(s.variance.read(), variance0);
        return [
          s.meanSum.add(mean.mul(size)),
          s.squareSum.add(variance.add(mean.square()).mul(size)),
        ];
      });
      tf.dispose([mean0, variance0, s.meanSum, s.squareSum]);
      s.meanSum = meanSum as tf.Tensor;
      s.squareSum = squareSum as tf.Tensor;
    });
  }
  for (const s of stats) {
    tf.tidy(() => {
      const mean = s.meanSum.div(n);
      s.mean.write(mean);
      s.variance.write(s.squareSum.div(n).sub(mean.square()).relu());
    });
    tf.dispose([s.meanSum, s.squareSum]);
  }
}
