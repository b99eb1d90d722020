import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf, RunSummary } from '../../../app/contract/handlers.ts';
import { openModel } from '../../../app/model-import/build.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession, type Session } from '../session.ts';
import { readNpy } from './npy.ts';

const FIXTURES = path.join(import.meta.dirname, '../../../../shared/keras-fixtures');
let dir: string;
let s: Session;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-model-import-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: 8, seed: 3 });
  s = openSession(dir, 'imp');
  await s.call('catalogue-import', { folder: path.join(dir, 'sample') });
}, 120_000);
afterAll(async () => {
  await s?.studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function predict(model: tf.LayersModel, file: string) {
  const inputs = readNpy(file);
  const out = tf.tidy(() => model.predict(tf.tensor(inputs.data, inputs.shape)) as tf.Tensor);
  const values = Array.from(await out.data());
  out.dispose();
  return values;
}

const worst = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs((a[i] as number) - (b[i] as number)));
  return w;
};

describe.skipIf(!fs.existsSync(FIXTURES))('an imported Keras model as a run', () => {
  let runId: number;

  it('previews predictions on catalogue images per class without saving anything', async () => {
    const preview = await s.call<ResponseOf<'model-import-preview'>>('model-import-preview', {
      path: path.join(FIXTURES, 'xception-like.keras'),
      inputRange: '-1,1',
      perClass: 2,
    });
    expect(preview).toMatchObject({ format: 'keras3', inputShape: [64, 64, 1], range: '-1,1' });
    expect(preview.samples).toHaveLength(14);
    for (const sample of preview.samples) expect(sample.confidence).toBeGreaterThan(0);
    expect((await s.call<{ runs: RunSummary[] }>('runs-list', {})).runs).toHaveLength(0);
    // Progress from the worker: rising fractions, per-image prediction stages.
    const progress = s.events
      .filter((e) => e.event === 'model-import-progress')
      .map((e) => e.payload as { fraction: number; stage: string });
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.map((p) => p.fraction)).toEqual(
      [...progress.map((p) => p.fraction)].sort((a, b) => a - b),
    );
    expect(progress.some((p) => p.stage === 'predicting 14 of 14 images')).toBe(true);
  });

  it('imports xception-like.keras as a finished run marked imported that evaluates', async () => {
    const file = path.join(FIXTURES, 'xception-like.keras');
    const result = await s.call<ResponseOf<'model-import'>>('model-import', {
      path: file,
      inputRange: '-1,1',
      name: 'mini xception',
    });
    runId = result.runId;
    expect(result).toMatchObject({ format: 'keras3', inputShape: [64, 64, 1], layers: 24 });
    expect(result.params).toBeGreaterThan(5000);
    const run = (await s.call<{ runs: RunSummary[] }>('runs-list', {})).runs[0];
    expect(run).toMatchObject({ id: runId, status: 'finished', hasModel: true, epochsDone: 0 });
    expect(run?.imported).toMatchObject({ name: 'mini xception', fileName: 'xception-like.keras' });
    const sha = (await import('node:crypto')).createHash('sha256').update(fs.readFileSync(file));
    expect(run?.imported?.sha256).toBe(sha.digest('hex'));
    const evaluation = await s.call<ResponseOf<'evaluation-run'>>('evaluation-run', { runId });
    const tests = (await s.call<{ ids: number[] }>('catalogue-list', { split: 'test' })).ids;
    expect(evaluation.images).toBe(tests.length);
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(tests.length);
    // The stored predictions are the model's own through the run's preprocessing.
    const one = await s.call<ResponseOf<'image-predictions'>>('image-predictions', {
      runId,
      imageId: tests[0],
    });
    expect(one.probabilities?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    // Held-out label issues need no cross-validation: the run has no training images.
    const { issues } = await s.call<ResponseOf<'label-issues'>>('label-issues', {
      runId,
      limit: 5,
    });
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(tests).toContain(issue.id);
    const report = await s.call<{ files: string[] }>('report-export', {
      runId,
      out: path.join(dir, 'report'),
    });
    expect(fs.readFileSync(report.files[0] as string, 'utf8')).toContain(`run #${runId}`);
  }, 120_000);

  it('round trip of a Functional import: keras, onnx and tfjs exports predict what Keras did', async () => {
    const inputs = path.join(FIXTURES, 'xception-like.inputs.npy');
    const expected = (
      JSON.parse(fs.readFileSync(path.join(FIXTURES, 'xception-like.expected.json'), 'utf8')) as {
        probabilities: number[][];
      }
    ).probabilities.flat();
    for (const format of ['keras', 'tfjs'] as const) {
      const out = path.join(dir, `x-${format}${format === 'keras' ? '.keras' : ''}`);
      await s.call('export-model', { runId, format, out });
      const again = await openModel(out);
      expect(worst(await predict(again.model, inputs), expected)).toBeLessThan(1e-5);
      again.model.dispose();
    }
    const onnxOut = path.join(dir, 'x.onnx');
    await s.call('export-model', { runId, format: 'onnx', out: onnxOut });
    const session = await ort.InferenceSession.create(onnxOut);
    const x = readNpy(inputs);
    const feeds = { [session.inputNames[0] as string]: new ort.Tensor('float32', x.data, x.shape) };
    const result = await session.run(feeds);
    const probs = result[session.outputNames[0] as string]?.data as Float32Array;
    expect(worst(probs, expected)).toBeLessThan(1e-5);
    const sidecar = JSON.parse(fs.readFileSync(`${onnxOut}.preprocessing.json`, 'utf8')) as {
      input: { shape: unknown[]; scaling: { range: number[] } };
    };
    expect(sidecar.input.shape).toEqual([null, 64, 64, 1]);
    expect(sidecar.input.scaling.range).toEqual([-1, 1]);
  }, 120_000);

  it('round trip: imports seed-like.h5, exports keras, onnx and tfjs that predict the same', async () => {
    const imported = await s.call<ResponseOf<'model-import'>>('model-import', {
      path: path.join(FIXTURES, 'seed-like.h5'),
    });
    const inputs = path.join(FIXTURES, 'seed-like.inputs.npy');
    const original = await openModel(path.join(FIXTURES, 'seed-like.h5'));
    const expected = await predict(original.model, inputs);
    original.model.dispose();
    for (const format of ['keras', 'tfjs'] as const) {
      const out = path.join(dir, `rt-${format}${format === 'keras' ? '.keras' : ''}`);
      await s.call('export-model', { runId: imported.runId, format, out });
      const again = await openModel(out);
      expect(worst(await predict(again.model, inputs), expected)).toBeLessThan(1e-5);
      again.model.dispose();
    }
    const onnxOut = path.join(dir, 'rt.onnx');
    await s.call('export-model', { runId: imported.runId, format: 'onnx', out: onnxOut });
    const session = await ort.InferenceSession.create(onnxOut);
    const x = readNpy(inputs);
    const feeds = { [session.inputNames[0] as string]: new ort.Tensor('float32', x.data, x.shape) };
    const result = await session.run(feeds);
    const probs = result[session.outputNames[0] as string]?.data as Float32Array;
    expect(worst(probs, expected)).toBeLessThan(1e-5);
  }, 120_000);
});
