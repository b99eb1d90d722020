import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';

/**
 * Sum and Mean gradients as one Tile of dy instead of tfjs' `dy · ones(x.shape)`, which built a
 * full-size ones array in JavaScript for every reduction (batch-norm moments, pooling, losses):
 * 16 % of a wasm training step. Same maths on every backend, so registered globally.
 */
function broadcastBack(dy: Tensor, x: Tensor, axis: unknown, scale: number | null): Tensor {
  const axes = tf.util.parseAxisParam(axis as number | number[], x.shape);
  const kept = x.shape.slice();
  for (const a of axes) kept[a] = 1;
  const reps = x.shape.map((n, i) => n / (kept[i] as number));
  const small = scale === null ? dy : tf.div(dy, scale);
  return tf.tile(tf.reshape(small, kept), reps);
}

export const sumGradConfig: GradConfig = {
  kernelName: 'Sum',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    return { x: () => broadcastBack(dy as Tensor, x, attrs['axis'], null) };
  },
};

export const meanGradConfig: GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    const axes = tf.util.parseAxisParam(attrs['axis'] as number | number[], x.shape);
    const size = axes.reduce((p, a) => p * (x.shape[a] as number), 1);
    return { x: () => broadcastBack(dy as Tensor, x, attrs['axis'], size) };
  },
};
