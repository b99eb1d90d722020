import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import { exportModel } from '../../../app/export/index.ts';
import { fileIoHandler } from '../../../app/training/fs-io.ts';
import { maxAbsDiff, randomImages, saveModel, tempDir, trainedLike } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

describe('TensorFlow.js export', () => {
  test('the exported folder loads in Node and predicts exactly as the original', async () => {
    const model = trainedLike('compact-cnn', 3);
    const modelDir = await saveModel(model, dir);
    const out = join(dir, 'web-model');
    const { files } = await exportModel({
      modelDir,
      format: 'tfjs',
      out,
      runInfo: { runId: 12, model: 'compact-cnn', bestValAccuracy: 0.61 },
    });
    expect((await readdir(out)).sort()).toEqual([
      'model.json',
      'preprocessing.json',
      'weights.bin',
    ]);
    expect(files.sort()).toEqual(
      ['model.json', 'preprocessing.json', 'weights.bin'].map((f) => join(out, f)),
    );

    const loaded = await tf.loadLayersModel(fileIoHandler(out));
    const x = randomImages(16, 5);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(maxAbsDiff(a, b)).toBe(0);

    const contract = JSON.parse(await readFile(join(out, 'preprocessing.json'), 'utf8'));
    expect(contract).toMatchObject({
      producer: 'FER Studio',
      format: 'tfjs',
      input: {
        shape: [null, 48, 48, 1],
        layout: 'NHWC',
        dtype: 'float32',
        colorSpace: 'grayscale',
      },
      output: { classNames: [...CLASS_NAMES] },
      source: { runId: 12, model: 'compact-cnn', bestValAccuracy: 0.61 },
    });
    expect(Number.isNaN(Date.parse(contract.source.exportedAt))).toBe(false);
    x.dispose();
    model.dispose();
    loaded.dispose();
  });
});
