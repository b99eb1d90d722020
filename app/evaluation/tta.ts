import * as tf from '@tensorflow/tfjs';

export type Tta = 'none' | 'flip';

/** The NHWC batch mirrored left–right: what the model sees of each image's mirror. */
export function mirror(xs: tf.Tensor4D): tf.Tensor4D {
  return tf.reverse(xs, 2);
}

/**
 * Element-wise mean of two equally long probability arrays: test-time flip's figure for each
 * image is the mean of its own and its mirror image's class probabilities.
 */
export function meanOf(a: Float32Array, b: Float32Array): Float32Array {
  if (a.length !== b.length) throw new Error(`Cannot average ${a.length} and ${b.length} values.`);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = ((a[i] ?? 0) + (b[i] ?? 0)) / 2;
  return out;
}
