import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { writeKeras2H5 } from '../../fixtures/keras2-h5.ts';
import { keras2Sequential } from '../../fixtures/keras2-models.ts';
import { runCli } from '../core/cli-helpers.ts';
import { openSession } from '../session.ts';

let dir: string;
let model: string;

const cli = (...args: string[]) => runCli(dir, [...args, '--catalog', 'c.sqlite']);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-import-cli-'));
  await writeSampleDataset(path.join(dir, 'faces'), { perClass: 6, seed: 4 });
  const s = openSession(dir, 'c');
  await s.call('catalogue-import', { folder: path.join(dir, 'faces') });
  await s.studio.close();
  await tf.setBackend('cpu');
  const { config, layers } = keras2Sequential(7);
  model = path.join(dir, 'fer2013.h5');
  await writeKeras2H5(model, { modelConfig: config, layers });
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('fer-studio import-model', () => {
  it('imports with FER-2013 CSV order and prints the run summary as the last line; evaluate accepts it', async () => {
    const order = 'angry,disgust,fear,happy,sad,surprise,neutral';
    const r = await cli('import-model', model, '--classes', order, '--name', 'csv model');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Record<
      string,
      unknown
    >;
    expect(last).toEqual({
      runId: 1,
      format: 'keras2-h5',
      inputShape: [32, 32, 1],
      classes: order.split(','),
      layers: 12,
      params: expect.any(Number) as number,
    });
    const ignoreFirst = '-,disgust,fear,happy,sad,surprise,neutral';
    const json = await cli(
      'import-model',
      model,
      '--input-range',
      '-1,1',
      '--classes',
      ignoreFirst,
      '--json',
    );
    expect(JSON.parse(json.stdout)).toMatchObject({
      runId: 2,
      format: 'keras2-h5',
      classes: [null, ...ignoreFirst.split(',').slice(1)],
    });
    const evaluation = await cli('evaluate', '--run', '1', '--split', 'test', '--json');
    expect(evaluation.status).toBe(0);
    const scores = JSON.parse(evaluation.stdout) as { accuracy: number; confusion: number[][] };
    expect(scores.confusion.flat().reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }, 120_000);

  it('refuses bad input with a message and exit code, no stack trace', async () => {
    const bad = await cli('import-model', model, '--input-range', '0,2');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--input-range must be one of 0,1, -1,1, 0,255/);
    const missing = await cli('import-model', path.join(dir, 'nope.keras'));
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/nope\.keras does not exist/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
