import * as tf from '@tensorflow/tfjs';
import { fileIoHandler } from '../../app/training/fs-io.ts';

/** A small RGB model (36×36×3) saved as a TensorFlow.js layers folder, the kind a web app ships. */
export async function writeModel(dir: string): Promise<void> {
  await tf.setBackend('cpu');
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [36, 36, 3], name: 'input' }));
  model.add(tf.layers.conv2d({ name: 'conv', filters: 4, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ name: 'head', units: 7, activation: 'softmax' }));
  await model.save(fileIoHandler(dir));
  model.dispose();
}
