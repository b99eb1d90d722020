import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';

/**
 * FusedBatchNorm gradient with broadcasting instead of tfjs' `tile` of the per-channel factor to
 * the full activation shape (Tile was ~25 % of a training step on wasm). Same maths, every backend.
 */
export const fusedBatchNormGradConfig: GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const g = dy as Tensor;
    const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
    const eps = attrs['varianceEpsilon'] as number;
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: Tensor) => (axes.length > 0 ? tf.sum(t, axes) : t).reshape(mean.shape);
    const rsqrt = () => tf.rsqrt(tf.add(variance, eps));
    const gain = () => (scale ? tf.mul(rsqrt(), scale) : rsqrt());
    const dyDotCentered = () => reduce(tf.mul(g, tf.sub(x, mean)));
    return {
      x: () => tf.mul(g, gain()),
      mean: () => tf.neg(tf.mul(reduce(g), gain())),
      variance: () => {
        const r = rsqrt();
        const k = tf.mul(tf.mul(tf.mul(r, r), r), -0.5);
        return tf.mul(dyDotCentered(), scale ? tf.mul(k, scale) : k);
      },
      scale: () => tf.mul(dyDotCentered(), rsqrt()),
      offset: () => reduce(g),
    };
  },
};
