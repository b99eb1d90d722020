import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from './seed-cnn.ts';

export interface XceptionFerConfig extends ModelConfig {
  /** Channel multiplier: stem 8·width, modules 16/32/64/128·width. */
  width?: number;
  /** Separable convolutions per residual module (mini-Xception: 2). */
  depth?: number;
}

type Layerish = tf.SymbolicTensor;

// Momentum 0.9, not Keras' 0.99 (as compact-cnn): the moving statistics must settle within the
// few hundred steps of a small dataset, or inference runs on the initial mean 0 / variance 1.
const batchNorm = (x: Layerish) =>
  tf.layers.batchNormalization({ momentum: 0.9 }).apply(x) as Layerish;
const relu = (x: Layerish) => tf.layers.activation({ activation: 'relu' }).apply(x) as Layerish;

/**
 * Residual module: main path = `depth` × (SeparableConv2D 3×3 + BN, ReLU between them), then
 * max-pool 3×3/2; shortcut = 1×1 conv stride 2 + BN; the two are added.
 */
function xceptionModule(x: Layerish, filters: number, depth: number): Layerish {
  const shortcut = batchNorm(
    tf.layers
      .conv2d({ filters, kernelSize: 1, strides: 2, padding: 'same', useBias: false })
      .apply(x) as Layerish,
  );
  let y = x;
  for (let i = 0; i < depth; i++) {
    // No bias: the batch-norm shift replaces it.
    y = tf.layers
      .separableConv2d({ filters, kernelSize: 3, padding: 'same', useBias: false })
      .apply(y) as Layerish;
    y = batchNorm(y);
    if (i < depth - 1) y = relu(y);
  }
  y = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(y) as Layerish;
  return tf.layers.add().apply([y, shortcut]) as Layerish;
}

/**
 * mini-Xception (oarriaga/face_classification, 2017) made scalable: two 3×3 "valid" conv + BN +
 * ReLU stem layers, four residual depthwise-separable modules, a 3×3 conv to the class count and
 * global average pooling into the softmax (no dense layer). `width` and `depth` grow it where the
 * CPU budget allows; dropout (if any) sits before the classifier conv. The original's L2 0.01 on
 * the stem is left to the recipe's weight decay.
 */
export function buildXceptionFer(config: XceptionFerConfig = {}): tf.LayersModel {
  const { inputShape = [48, 48, 1], numClasses = 7, dropout = 0.2 } = config;
  const { width = 2, depth = 2 } = config;
  if (!(Number.isInteger(width) && width >= 1))
    throw new Error(`xception width must be a whole number ≥ 1 (got ${width})`);
  if (!(Number.isInteger(depth) && depth >= 1))
    throw new Error(`xception depth must be a whole number ≥ 1 (got ${depth})`);
  const input = tf.input({ shape: inputShape });
  let x: Layerish = input;
  for (let i = 0; i < 2; i++) {
    x = tf.layers
      .conv2d({ filters: 8 * width, kernelSize: 3, useBias: false })
      .apply(x) as Layerish;
    x = relu(batchNorm(x));
  }
  for (const filters of [16, 32, 64, 128]) x = xceptionModule(x, filters * width, depth);
  if (dropout > 0) x = tf.layers.dropout({ rate: dropout }).apply(x) as Layerish;
  x = tf.layers
    .conv2d({ filters: numClasses, kernelSize: 3, padding: 'same' })
    .apply(x) as Layerish;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as Layerish;
  const output = tf.layers.activation({ activation: 'softmax' }).apply(x) as Layerish;
  const name = width === 1 && depth === 2 ? 'mini_xception' : `xception_fer_w${width}d${depth}`;
  return tf.model({ inputs: input, outputs: output, name });
}
