import * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES, PIXELS_PER_IMAGE } from '../contract/classes.ts';
import {
  IDENTITY_PREPROCESSING,
  toModelInput,
  toStudioProbabilities,
  type Preprocessing,
} from '../preprocessing/index.ts';
import { meanOf, mirror, type Tta } from './tta.ts';

const K = CLASS_NAMES.length;
const BATCH = 256;

/**
 * Softmax outputs for every image, in studio class order, in batches so memory stays flat on a
 * 35k catalogue. With `flip`, each row is the mean of the image's and its mirror's (tta.ts).
 */
export async function predictAll(
  model: tf.LayersModel,
  pixels: Uint8Array,
  onBatch: (done: number) => void,
  preprocessing: Preprocessing = IDENTITY_PREPROCESSING,
  tta: Tta = 'none',
): Promise<Float32Array> {
  const n = pixels.length / PIXELS_PER_IMAGE;
  const { inputHeight, inputWidth, channels } = preprocessing;
  const out = new Float32Array(n * K);
  const run = async (xs: tf.Tensor4D, size: number) => {
    const probs = model.predict(xs, { batchSize: size }) as tf.Tensor;
    try {
      return toStudioProbabilities(await probs.data<'float32'>(), preprocessing);
    } finally {
      probs.dispose();
    }
  };
  for (let start = 0; start < n; start += BATCH) {
    const size = Math.min(BATCH, n - start);
    const input = toModelInput(
      pixels.subarray(start * PIXELS_PER_IMAGE, (start + size) * PIXELS_PER_IMAGE),
      preprocessing,
    );
    const xs = tf.tensor4d(input, [size, inputHeight, inputWidth, channels]);
    try {
      const plain = await run(xs, size);
      if (tta === 'flip') {
        const mirrored = mirror(xs);
        try {
          out.set(meanOf(plain, await run(mirrored, size)), start * K);
        } finally {
          mirrored.dispose();
        }
      } else out.set(plain, start * K);
    } finally {
      xs.dispose();
    }
    onBatch(start + size);
  }
  return out;
}
