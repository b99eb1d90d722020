import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../app/engine/backend.ts';
import { MODELS } from '../../../models/index.ts';

/** Separable toy data: class k has a bright k-th horizontal band. */
function toyBatch(n: number, size: number, classes: number): [tf.Tensor4D, tf.Tensor2D] {
  return tf.tidy(() => {
    const labels = tf.tensor1d(
      Array.from({ length: n }, (_, i) => i % classes),
      'int32',
    );
    const bandOfRow = Array.from({ length: size }, (_, r) => Math.floor((r * classes) / size));
    const band = tf
      .tensor4d(bandOfRow, [1, size, 1, 1])
      .equal(labels.reshape([n, 1, 1, 1]).cast('float32'));
    const x = band
      .cast('float32')
      .mul(0.8)
      .add(tf.randomUniform([n, size, size, 1], 0, 0.2)) as tf.Tensor4D;
    return [x, tf.oneHot(labels, classes).cast('float32') as tf.Tensor2D];
  });
}

describe('training on the wasm backend', () => {
  beforeAll(async () => {
    const info = await selectBackend('wasm', undefined, { wasmThreads: 1 });
    expect(info.name).toBe('wasm');
  });

  for (const name of Object.keys(MODELS)) {
    it(`${name}: a small copy trains, loss falls, tensor count stays flat`, async () => {
      const entry = MODELS[name];
      if (!entry) throw new Error(name);
      const model = entry.build({ inputShape: [16, 16, 1], numClasses: 4, dropout: 0 });
      model.compile({ optimizer: tf.train.adam(3e-3), loss: 'categoricalCrossentropy' });
      const [x, y] = toyBatch(16, 16, 4);
      const losses: number[] = [];
      let counts: number[] = [];
      for (let step = 0; step < 12; step++) {
        losses.push((await model.trainOnBatch(x, y)) as number);
        counts.push(tf.memory().numTensors);
      }
      counts = counts.slice(2); // Adam creates its slots on the first steps.
      expect(new Set(counts).size).toBe(1);
      const first = (losses[0] ?? 0) + (losses[1] ?? 0);
      const last = (losses[10] ?? 0) + (losses[11] ?? 0);
      expect(last).toBeLessThan(first * 0.7);
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  it('builds models with the FER shapes: [N,48,48,1] in, softmax over 7 out', () => {
    for (const entry of Object.values(MODELS)) {
      const a = entry.build();
      const b = entry.build();
      expect(a).not.toBe(b);
      expect(a.inputs[0]?.shape).toEqual([null, 48, 48, 1]);
      expect(a.outputs[0]?.shape).toEqual([null, 7]);
      const p = tf.tidy(() => (a.predict(tf.zeros([2, 48, 48, 1])) as tf.Tensor).sum(1).dataSync());
      p.forEach((v) => expect(v).toBeCloseTo(1, 4));
      a.dispose();
      b.dispose();
    }
  });
});
