import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../../../models/index.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { parseTrainConfig } from '../../../app/training/config.ts';
import { buildSeeded } from '../../../app/training/model-input.ts';
import { openSession } from '../session.ts';
import { useCpu } from './helpers.ts';

let dir: string;
let sample: string;
beforeAll(async () => {
  await useCpu();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-seeded-'));
  sample = path.join(dir, 'faces');
  await writeSampleDataset(sample, { perClass: 10, seed: 4 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function weightsOf(model: tf.LayersModel): number[][] {
  const values = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return values;
}

describe('a seed pins a run', () => {
  it('builds every model with the same initial weights from one seed and others from another', () => {
    for (const entry of Object.values(MODELS)) {
      const first = weightsOf(buildSeeded(entry.build, parseTrainConfig({ seed: 1 })));
      const again = weightsOf(buildSeeded(entry.build, parseTrainConfig({ seed: 1 })));
      const other = weightsOf(buildSeeded(entry.build, parseTrainConfig({ seed: 2 })));
      expect(again, entry.name).toEqual(first);
      expect(other, entry.name).not.toEqual(first);
    }
  });

  it('puts Math.random back, also when the build throws', () => {
    const original = Math.random;
    const recipe = parseTrainConfig({});
    expect(() =>
      buildSeeded(() => {
        throw new Error('no such layer');
      }, recipe),
    ).toThrow('no such layer');
    expect(Math.random).toBe(original);
    weightsOf(buildSeeded(MODELS['compact-cnn']!.build, recipe));
    expect(Math.random).toBe(original);
  });

  it('two studio runs of one recipe and seed train to the same weights, byte for byte', async () => {
    const s = openSession(dir, 'seeded');
    await s.call('catalogue-import', { folder: sample });
    const recipe = { epochs: 2, batchSize: 32, validationFraction: 0.2 };
    const runs = [
      await s.train({ ...recipe, seed: 7 }),
      await s.train({ ...recipe, seed: 7 }),
      await s.train({ ...recipe, seed: 8 }),
    ];
    await s.studio.close();
    const weights = runs.map((id) =>
      fs.readFileSync(
        path.join(dir, 'seeded.sqlite.studio', 'runs', `run-${id}`, 'model', 'weights.bin'),
      ),
    );
    expect(weights[0]?.length).toBeGreaterThan(100_000);
    expect(weights[1]?.equals(weights[0] as Buffer)).toBe(true);
    expect(weights[2]?.equals(weights[0] as Buffer)).toBe(false);
  });
});
