import * as tf from '@tensorflow/tfjs';

export interface ModelConfig {
  inputShape?: [number, number, number];
  numClasses?: number;
  /** Dropout rate after the dense layer; conv blocks use half of it. */
  dropout?: number;
}

/**
 * The reference notebook's custom CNN: four 3×3 conv layers in three conv/pool/dropout blocks,
 * then a 256-unit dense layer (most of its ~1.4 M parameters) and a softmax.
 */
export function buildSeedCnn(config: ModelConfig = {}): tf.LayersModel {
  const { inputShape = [48, 48, 1], numClasses = 7, dropout = 0.5 } = config;
  const conv = (filters: number) =>
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: 'heNormal',
    });
  const model = tf.sequential({ name: 'seed_cnn' });
  model.add(tf.layers.inputLayer({ inputShape }));
  model.add(conv(32));
  model.add(conv(64));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: dropout / 2 }));
  model.add(conv(128));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: dropout / 2 }));
  model.add(conv(128));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.dropout({ rate: dropout / 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dropout({ rate: dropout }));
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}
