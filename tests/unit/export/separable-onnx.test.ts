import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportModel } from '../../../app/export/index.ts';
import { findModel } from '../../../models/index.ts';
import { buildXceptionFer } from '../../../models/xception-fer.ts';
import { maxAbsDiff, randomImages, saveModel, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  ({ dir, cleanup } = await tempDir('fer-separable-'));
});
afterAll(() => cleanup());

/**
 * As training leaves a model: batch-norm statistics far from mean 0 / variance 1 and non-zero
 * biases (kernels keep their random initialisation), so a converter that dropped or mis-ordered
 * any of them fails.
 */
function trainedLikeGraph(model: tf.LayersModel, seed: number): tf.LayersModel {
  model.layers.forEach((layer, l) => {
    const bn = layer.getClassName() === 'BatchNormalization';
    const ws = layer.getWeights();
    const s = seed + l * 7;
    layer.setWeights(
      ws.map((w, i) => {
        if (bn && i === 0) return tf.randomUniform(w.shape, 0.5, 1.5, 'float32', s + i);
        if (bn && i === ws.length - 1) return tf.randomUniform(w.shape, 0.5, 2, 'float32', s + i);
        if (bn || w.rank === 1) return tf.randomNormal(w.shape, 0, 0.3, 'float32', s + i);
        return w;
      }),
    );
  });
  return model;
}

const MODELS: [string, () => tf.LayersModel][] = [
  ['mini-xception', () => findModel('mini-xception')!.build()],
  // Three separable convs per module, width 2, dropout. Then a hand-made graph with biases and a
  // depth multiplier (on DepthwiseConv2D only: tfjs drops SeparableConv2D's from its saved config).
  ['xception-fer-w2d3', () => findModel('xception-fer-w2d3')!.build()],
  [
    'depthwise (multiplier 2) + separable with biases and relu',
    () => {
      const input = tf.input({ shape: [48, 48, 1] });
      let x = tf.layers
        .conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' })
        .apply(input) as tf.SymbolicTensor;
      const a = tf.layers
        .depthwiseConv2d({
          kernelSize: 3,
          depthMultiplier: 2,
          padding: 'valid',
          activation: 'relu',
        })
        .apply(x) as tf.SymbolicTensor;
      const b = tf.layers
        .separableConv2d({
          filters: 8,
          kernelSize: 3,
          padding: 'valid',
          activation: 'relu',
        })
        .apply(x) as tf.SymbolicTensor;
      x = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
      x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
      const out = tf.layers
        .dense({ units: 7, activation: 'softmax' })
        .apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: out });
    },
  ],
];

describe('ONNX export of depthwise-separable residual networks', () => {
  test.each(MODELS)(
    '%s: onnxruntime matches tfjs on 32 random images within 1e-4',
    async (name, build) => {
      const model = trainedLikeGraph(build(), 17);
      const slug = name.replace(/\W+/g, '-');
      const modelDir = await saveModel(model, join(dir, slug));
      const out = join(dir, `${slug}.onnx`);
      await exportModel({ modelDir, format: 'onnx', out });
      const session = await ort.InferenceSession.create(out);
      const x = randomImages(32, 5);
      const expected = (model.predict(x) as tf.Tensor).dataSync();
      const result = await session.run({
        input: new ort.Tensor('float32', x.dataSync() as Float32Array, [32, 48, 48, 1]),
      });
      const probabilities = result['probabilities'] as ort.Tensor;
      expect(probabilities.dims).toEqual([32, 7]);
      expect(maxAbsDiff(probabilities.data as Float32Array, expected)).toBeLessThan(1e-4);
      // Not a degenerate model: predictions differ between images.
      expect(maxAbsDiff(expected.slice(0, 7), expected.slice(7, 14))).toBeGreaterThan(1e-4);
      await session.release();
      x.dispose();
      model.dispose();
    },
  );

  test('the builders are what the registry names', () => {
    const a = buildXceptionFer({ width: 2, depth: 3 });
    const b = findModel('xception-fer-w2d3')!.build();
    expect(b.countParams()).toBe(a.countParams());
    expect(findModel('mini-xception')!.build().countParams()).toBe(58_423);
    expect(findModel('xception-fer-w0')).toBeUndefined();
    expect(findModel('xception-fer-w2x')).toBeUndefined();
    [a, b].forEach((m) => m.dispose());
  });
});
