import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import type { ResponseOf, RunSummary } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { writeKeras2H5, type Keras2File } from '../../fixtures/keras2-h5.ts';
import { keras2Functional, keras2Sequential, withLayer } from '../../fixtures/keras2-models.ts';
import { openSession, type Session } from '../session.ts';

let dir: string;
let s: Session;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-import-bad-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: 4, seed: 2 });
  s = openSession(dir, 'bad');
  await s.call('catalogue-import', { folder: path.join(dir, 'sample') });
}, 60_000);
afterAll(async () => {
  await s?.studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every file under the data dir and the catalogue's run rows: what a failed import must not change. */
async function snapshot() {
  const files = fs.existsSync(path.join(dir, 'bad.sqlite.studio'))
    ? fs.readdirSync(path.join(dir, 'bad.sqlite.studio'), { recursive: true })
    : [];
  const runs = (await s.call<{ runs: RunSummary[] }>('runs-list', {})).runs;
  return { files: files.map(String).sort(), runs: runs.map((r) => r.id) };
}

async function refused(request: Record<string, unknown>, message: RegExp) {
  const before = await snapshot();
  const error = await s.failure('model-import', request);
  expect(error.message).toMatch(message);
  expect(error.message).not.toMatch(/\n\s+at /);
  expect(await snapshot()).toEqual(before);
  return error;
}

async function h5(name: string, spec: Keras2File): Promise<string> {
  const file = path.join(dir, name);
  await writeKeras2H5(file, spec);
  return file;
}

describe('bad model files are refused with a clear message and change nothing', () => {
  it('a file that is neither zip nor HDF5', async () => {
    const file = path.join(dir, 'notes.keras');
    fs.writeFileSync(file, 'this is not a model\n');
    await refused({ path: file }, /notes\.keras is neither a Keras model/);
  });

  it('truncated HDF5 and truncated .keras archives', async () => {
    const { config, layers } = keras2Sequential(7);
    const whole = fs.readFileSync(await h5('whole.h5', { modelConfig: config, layers }));
    const cut = path.join(dir, 'cut.h5');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    await refused({ path: cut }, /cut\.h5 is truncated/);
    const zip = path.join(dir, 'cut.keras');
    // A zip's local header, then nothing: what an interrupted copy leaves.
    fs.writeFileSync(
      zip,
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), whole.subarray(0, 500)]),
    );
    await refused({ path: zip }, /damaged or truncated zip/);
  });

  it('an HDF5 file with weights only', async () => {
    const { config, layers } = keras2Sequential(7);
    const file = await h5('weights.h5', { modelConfig: config, layers, weightsOnly: true });
    await refused({ path: file }, /holds weights only: the architecture is missing/);
  });

  it('Lambda, custom and other unsupported layers, named with class, name and position', async () => {
    const { config, layers } = keras2Sequential(7);
    const lambda = withLayer(config, 5, {
      class_name: 'Lambda',
      config: { name: 'lambda', function: ['4wEAAA…', null, null], arguments: {} },
    });
    await refused(
      { path: await h5('lambda.h5', { modelConfig: lambda, layers }) },
      /Layer 6 \(Lambda "lambda"\) cannot be imported: Lambda layers/,
    );
    const custom = withLayer(config, 6, { class_name: 'MyAttention', config: { name: 'att' } });
    await refused(
      { path: await h5('custom.h5', { modelConfig: custom, layers }) },
      /Layer 7 \(MyAttention "att"\) cannot be imported/,
    );
    const lstm = withLayer(config, 2, { class_name: 'LSTM', config: { name: 'lstm', units: 4 } });
    await refused(
      { path: await h5('lstm.h5', { modelConfig: lstm, layers }) },
      /Layer 3 \(LSTM "lstm"\)/,
    );
  });

  it('an input that is not an image', async () => {
    const { config, layers } = keras2Sequential(7);
    const flat = structuredClone(config);
    (flat.config.layers[0] as { config: { batch_input_shape: unknown } }).config.batch_input_shape =
      [null, 1024];
    await refused(
      { path: await h5('flat.h5', { modelConfig: flat, layers }) },
      /input is \[None, 1024\], not an image/,
    );
  });

  it('more than 7 outputs without a mapping; unknown or repeated class names', async () => {
    const { config, layers } = keras2Sequential(9);
    const file = await h5('nine.h5', { modelConfig: config, layers });
    await refused({ path: file }, /has 9 outputs, not 7: give the class of each output/);
    const nine = [...CLASS_NAMES, '-', '-'];
    await refused(
      { path: file, classes: ['contempt', ...nine.slice(1)] },
      /Unknown class "contempt"/,
    );
    await refused(
      { path: file, classes: ['happy', 'happy', ...nine.slice(2)] },
      /"happy" appears twice/,
    );
    await refused({ path: file, classes: CLASS_NAMES }, /7 names but the model has 9 outputs/);
    // With a mapping it imports, ignored outputs dropped.
    const ok = await s.call<ResponseOf<'model-import'>>('model-import', {
      path: file,
      classes: nine,
    });
    expect(ok.classes).toEqual([...CLASS_NAMES, null, null]);
    // The snapshot sees what an import writes, so the refusals above really changed nothing.
    const after = await snapshot();
    expect(after.runs).toEqual([ok.runId]);
    expect(after.files.some((f) => f.endsWith('model.json'))).toBe(true);
    expect(ok.range).toBe('0,255');
    expect(ok.notes.join(' ')).toMatch(/starts with Rescaling/);
  });

  it('a model over 200 M parameters, with its size (checked before any weight is read)', async () => {
    const { config, layers } = keras2Sequential(7);
    const file = await h5('huge.h5', {
      modelConfig: config,
      layers,
      hugeShapes: { 'dense_1/kernel:0': [20_000, 12_000] },
    });
    expect(fs.statSync(file).size).toBeLessThan(5_000_000);
    await refused({ path: file }, /240\.\d M parameters \(\d+ MB of weights\)/);
  });

  it('a model whose last layer is not softmax is imported with softmax applied, and says so', async () => {
    const { config, layers } = keras2Functional();
    const file = await h5('linear.h5', { modelConfig: config, layers });
    const result = await s.call<ResponseOf<'model-import-preview'>>('model-import-preview', {
      path: file,
    });
    expect(result.notes.join(' ')).toMatch(
      /dense\) ends in linear, not softmax: softmax was applied/,
    );
    for (const sample of result.samples) expect(sample.confidence).toBeLessThanOrEqual(1);
  });
});
