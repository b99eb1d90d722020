import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import type { ResponseOf } from '../../../app/contract/handlers.ts';
import { selectBackend } from '../../../app/engine/backend.ts';
import { computeMetrics } from '../../../app/evaluation/metrics.ts';
import { meanOf } from '../../../app/evaluation/tta.ts';
import { parsePreprocessing, toModelInput } from '../../../app/preprocessing/index.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { createStudio, type Studio } from '../../../app/studio.ts';
import { fileIoHandler } from '../../../app/training/fs-io.ts';

type Evaluation = ResponseOf<'evaluation-run'>;
let dir: string;
let studio: Studio;
let runId: number;
const catalogPath = () => path.join(dir, 'tta.sqlite');

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const reply = await studio.dispatch(channel, payload);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.result as T;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-tta-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: 10, seed: 7 });
  // WebAssembly in the workers and, for the independent check below, here: the same floats.
  studio = createStudio({
    catalogPath: catalogPath(),
    dataDir: dir,
    mode: 'browser',
    backend: 'wasm',
  });
  await call('catalogue-import', { folder: path.join(dir, 'sample') });
  const ended = new Promise<string>((resolve) =>
    studio.subscribe((event, payload) => {
      const status = (payload as { status?: string }).status ?? '';
      if (event === 'training-status' && ['finished', 'failed', 'stopped'].includes(status))
        resolve(status);
    }),
  );
  // Random 40 px crops: the model takes 40×40 and every prediction is of the centre crop.
  ({ runId } = await call<{ runId: number }>('training-start', {
    config: {
      model: 'compact-cnn',
      epochs: 1,
      batchSize: 32,
      validationFraction: 0.2,
      augmentation: { crop: { size: 40, padding: 2 } },
    },
  }));
  expect(await ended).toBe('finished');
}, 240_000);
afterAll(async () => {
  await studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The run's test images and labels, and its saved model, read without the studio. */
async function independent() {
  // Only now: this process's wasm helper thread would compete with the training worker.
  await selectBackend('wasm');
  const db = new Database(catalogPath(), { readonly: true });
  const rows = db
    .prepare(
      `SELECT i.pixels, r.label FROM run_images r JOIN images i ON i.id = r.image_id
       WHERE r.run_id = ? AND r.role = 'test' ORDER BY i.id`,
    )
    .raw()
    .all(runId) as [Buffer, string][];
  const row = db.prepare('SELECT model_path, preprocessing FROM runs WHERE id = ?').get(runId) as {
    model_path: string;
    preprocessing: string | null;
  };
  db.close();
  const modelDir = path.isAbsolute(row.model_path)
    ? row.model_path
    : path.join(`${catalogPath()}.studio`, row.model_path);
  const model = await tf.loadLayersModel(fileIoHandler(modelDir));
  const preprocessing = parsePreprocessing(row.preprocessing);
  const pixels = new Uint8Array(rows.length * 2304);
  rows.forEach(([bytes], i) => pixels.set(bytes, i * 2304));
  const labels = rows.map(([, label]) =>
    CLASS_NAMES.indexOf(label as (typeof CLASS_NAMES)[number]),
  );
  return { model, preprocessing, pixels, labels };
}

const argmax = (probs: Float32Array) =>
  Array.from({ length: probs.length / 7 }, (_, i) => {
    let best = 0;
    for (let c = 1; c < 7; c++) if ((probs[i * 7 + c] ?? 0) > (probs[i * 7 + best] ?? 0)) best = c;
    return best;
  });

describe('test-time flip', () => {
  it('is the mean of each image’s and its mirror’s prediction; the plain figure is unchanged', async () => {
    const plain = await call<Evaluation>('evaluation-run', { runId });
    const flip = await call<Evaluation>('evaluation-run', { runId, tta: 'flip' });
    const plainAgain = await call<Evaluation>('evaluation-run', { runId, tta: 'none' });
    expect(plain.tta).toBe('none');
    expect(flip.tta).toBe('flip');
    expect(plainAgain).toEqual(plain);

    const { model, preprocessing, pixels, labels } = await independent();
    expect(preprocessing).toMatchObject({ inputHeight: 40, centerCrop: 40 });
    const n = labels.length;
    const xs = tf.tensor4d(toModelInput(pixels, preprocessing), [n, 40, 40, 1]);
    const a = model.predict(xs) as tf.Tensor;
    const b = model.predict(tf.reverse(xs, 2)) as tf.Tensor;
    const own = a.dataSync() as Float32Array;
    const mirrored = b.dataSync() as Float32Array;
    const plainMetrics = computeMetrics(labels, argmax(own));
    const flipMetrics = computeMetrics(labels, argmax(meanOf(own, mirrored)));
    tf.dispose([xs, a, b]);
    model.dispose();
    expect(plain.confusion).toEqual(plainMetrics.confusion);
    expect(flip.confusion).toEqual(flipMetrics.confusion);
    expect(flip.accuracy).toBe(flipMetrics.accuracy);
    // The mirror changes some predictions (else this test could not tell flip from plain).
    expect(meanOf(own, mirrored)).not.toEqual(own);
  });

  it('meanOf averages element-wise and refuses mismatched lengths', () => {
    expect(Array.from(meanOf(Float32Array.of(0.2, 0.8), Float32Array.of(0.6, 0.4)))).toEqual([
      Math.fround(0.4),
      Math.fround(0.6),
    ]);
    expect(() => meanOf(new Float32Array(7), new Float32Array(14))).toThrow(/7 and 14/);
  });

  it('the augmentation preview returns crops at their size; a crop larger than the image is refused', async () => {
    const { images } = await call<{ images: string[] }>('training-augment-preview', {
      augmentation: { crop: { size: 40, padding: 2 } },
      count: 2,
    });
    // PNG width and height are the big-endian words at bytes 16 and 20.
    const side = (url: string) => Buffer.from(url.split(',')[1] ?? '', 'base64').readUInt32BE(16);
    expect(images.map(side)).toEqual([48, 40, 40]);
    const reply = await studio.dispatch('training-augment-preview', {
      augmentation: { crop: { size: 60 } },
    });
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('bad-request');
      expect(reply.error.message).toMatch(/60 px\) is larger than the 48×48 image/);
    }
  });

  it('exports stay plain, at the crop size, and preprocessing.json says so', async () => {
    const out = path.join(dir, 'export');
    await call('export-model', { runId, format: 'tfjs', out });
    const contract = JSON.parse(fs.readFileSync(path.join(out, 'preprocessing.json'), 'utf8'));
    expect(contract.testTimeAugmentation).toBe('none');
    expect(contract.input.shape).toEqual([null, 40, 40, 1]);
    expect(contract.input.resize).toMatch(/centre 40x40 crop/);
  });
});
