import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import { exportModel } from '../../../app/export/index.ts';
import { onnx } from '../../../app/export/onnx-builder.ts';
import { maxAbsDiff, randomImages, saveModel, tempDir, trainedLike } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

describe('ONNX export', () => {
  test.each(['compact-cnn', 'seed-cnn'] as const)(
    '%s: onnxruntime matches tfjs on 64 random images within 1e-4',
    async (name) => {
      const model = trainedLike(name, 7);
      const modelDir = await saveModel(model, join(dir, name));
      const out = join(dir, `${name}.onnx`);
      const stages: string[] = [];
      const { files } = await exportModel({
        modelDir,
        format: 'onnx',
        out,
        runInfo: { runId: 3, model: name },
        onProgress: (f, stage) => stages.push(`${stage}:${f.toFixed(2)}`),
      });
      expect(files).toEqual([out, join(dir, `${name}.onnx.preprocessing.json`)]);
      expect(stages.at(-1)).toBe('done:1.00');

      const session = await ort.InferenceSession.create(out);
      expect(session.inputNames).toEqual(['input']);
      expect(session.outputNames).toEqual(['probabilities']);
      const x = randomImages(64, 11);
      const expected = (model.predict(x) as tf.Tensor).dataSync();
      const result = await session.run({
        input: new ort.Tensor('float32', x.dataSync() as Float32Array, [64, 48, 48, 1]),
      });
      const probabilities = result['probabilities'] as ort.Tensor;
      expect(probabilities.dims).toEqual([64, 7]);
      expect(maxAbsDiff(probabilities.data as Float32Array, expected)).toBeLessThan(1e-4);
      // Not a degenerate model: predictions differ between images.
      expect(maxAbsDiff(expected.slice(0, 7), expected.slice(7, 14))).toBeGreaterThan(1e-6);
      await session.release();
      x.dispose();
      model.dispose();
    },
  );

  test('the file carries opset 13, producer, class names and the preprocessing contract', async () => {
    const modelDir = await saveModel(trainedLike('compact-cnn'), join(dir, 'meta'));
    const out = join(dir, 'meta.onnx');
    await exportModel({ modelDir, format: 'onnx', out, runInfo: { runId: 9 } });
    const proto = onnx.ModelProto.decode(await readFile(out));
    expect(proto.producerName).toBe('FER Studio');
    expect(proto.opsetImport.map((o) => Number(o.version))).toEqual([13]);
    const meta = Object.fromEntries(proto.metadataProps.map((p) => [p.key, p.value]));
    expect(JSON.parse(meta['class_names'] as string)).toEqual([...CLASS_NAMES]);
    const input = proto.graph?.input?.[0]?.type?.tensorType?.shape?.dim;
    expect(input?.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['N', 48, 48, 1]);
    const contract = JSON.parse(await readFile(join(dir, 'meta.onnx.preprocessing.json'), 'utf8'));
    expect(contract.input).toMatchObject({ shape: [null, 48, 48, 1], layout: 'NHWC' });
    expect(contract.input.scaling.divideBy).toBe(255);
    expect(contract.output.classNames).toEqual([...CLASS_NAMES]);
    expect(contract.source.runId).toBe(9);
  });

  test('a layer ONNX cannot express fails naming its class and name; tfjs export still works', async () => {
    const model = tf.sequential({ name: 'odd' });
    model.add(tf.layers.conv2d({ inputShape: [48, 48, 1], filters: 4, kernelSize: 3 }));
    model.add(tf.layers.upSampling2d({ size: [2, 2], name: 'grow' }));
    model.add(tf.layers.globalAveragePooling2d({}));
    model.add(tf.layers.dense({ units: 7, activation: 'softmax' }));
    const modelDir = await saveModel(model, join(dir, 'odd'));
    const out = join(dir, 'odd.onnx');
    await expect(exportModel({ modelDir, format: 'onnx', out })).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(
        /^The model's UpSampling2D layer "grow" cannot be exported to ONNX \(.*\); the TensorFlow.js export works\.$/,
      ),
    });
    await expect(readFile(out)).rejects.toThrow();
    const { files } = await exportModel({ modelDir, format: 'tfjs', out: join(dir, 'odd-tfjs') });
    expect(files).toHaveLength(3);
  });
});
