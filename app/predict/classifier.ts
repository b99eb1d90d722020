import * as tf from '@tensorflow/tfjs';
import { PIXELS_PER_IMAGE } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import { loadModel } from '../export/load-model.ts';
import {
  IDENTITY_PREPROCESSING,
  toModelInput,
  toStudioProbabilities,
  type Preprocessing,
} from '../preprocessing/index.ts';

export interface Classifier {
  /** Studio-order probabilities, 7 per crop, for 48×48 grayscale crops laid end to end. */
  classify(crops: Uint8Array): Promise<Float32Array>;
  dispose(): void;
}

/**
 * Loads a run's saved model and checks it matches the run's preprocessing record (input size,
 * channels, outputs): a model that expects another input gets a message instead of a shape error
 * deep inside tfjs. Crops go through the same toModelInput as evaluation.
 */
export async function loadClassifier(
  modelDir: string,
  p: Preprocessing = IDENTITY_PREPROCESSING,
): Promise<Classifier> {
  const model = await loadModel(modelDir);
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  const [, h, w, c] = input;
  if (input.length !== 4 || h !== p.inputHeight || w !== p.inputWidth || c !== p.channels) {
    model.dispose();
    throw new StudioError(
      'bad-request',
      `This run's model expects input ${JSON.stringify(input.slice(1))}, but its preprocessing gives ${p.inputHeight}×${p.inputWidth}×${p.channels}; pick another run.`,
    );
  }
  if (output[output.length - 1] !== p.classOrder.length) {
    model.dispose();
    throw new StudioError(
      'bad-request',
      `This run's model outputs ${JSON.stringify(output)}, not the ${p.classOrder.length} class scores its record names.`,
    );
  }
  return {
    async classify(crops) {
      const n = crops.length / PIXELS_PER_IMAGE;
      if (n === 0) return new Float32Array(0);
      const probs = tf.tidy(() => {
        const xs = tf.tensor4d(toModelInput(crops, p), [
          n,
          p.inputHeight,
          p.inputWidth,
          p.channels,
        ]);
        return model.predict(xs) as tf.Tensor;
      });
      const out = (await probs.data()) as Float32Array;
      probs.dispose();
      return toStudioProbabilities(out, p);
    },
    dispose: () => model.dispose(),
  };
}
