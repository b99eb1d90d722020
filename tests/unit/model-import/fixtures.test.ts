import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { openModel } from '../../../app/model-import/build.ts';
import { readNpy } from './npy.ts';

const FIXTURES = join(import.meta.dirname, '../../../../shared/keras-fixtures');
const MODELS = [
  { name: 'seed-like', format: 'keras3', shape: [48, 48, 1], layers: 11 },
  { name: 'xception-like', format: 'keras3', shape: [64, 64, 1], layers: 25 },
] as const;

async function predict(model: tf.LayersModel, inputs: { shape: number[]; data: Float32Array }) {
  const out = tf.tidy(() => model.predict(tf.tensor(inputs.data, inputs.shape)) as tf.Tensor);
  const values = await out.data();
  out.dispose();
  return values;
}

describe.skipIf(!existsSync(FIXTURES))('real Keras 3.6 models (../shared/keras-fixtures)', () => {
  for (const m of MODELS)
    for (const ext of ['.keras', '.h5'])
      it(`${m.name}${ext}: imports and predicts what Keras predicted within 1e-5`, async () => {
        await tf.setBackend('cpu');
        const opened = await openModel(join(FIXTURES, `${m.name}${ext}`));
        try {
          expect(opened.source.format).toBe(m.format);
          expect(opened.topology.inputShape).toEqual(m.shape);
          expect(opened.outputs).toBe(7);
          expect(opened.topology.notes).toEqual([]);
          const inputs = readNpy(join(FIXTURES, `${m.name}.inputs.npy`));
          const expected = (
            JSON.parse(readFileSync(join(FIXTURES, `${m.name}.expected.json`), 'utf8')) as {
              probabilities: number[][];
            }
          ).probabilities.flat();
          const got = await predict(opened.model, inputs);
          expect(got.length).toBe(expected.length);
          let worst = 0;
          got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (expected[i] as number)))));
          expect(worst).toBeLessThan(1e-5);
        } finally {
          opened.model.dispose();
        }
      });
});
