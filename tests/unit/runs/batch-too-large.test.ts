import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunSummary, Stats } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession, type Session } from '../session.ts';

let dir: string;
let s: Session;
/** Training images after the validation share is held out. */
let trainImages: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-batch-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: 6, seed: 3 });
  s = openSession(dir, 'batch');
  await s.call('catalogue-import', { folder: path.join(dir, 'sample') });
  const stats = await s.call<Stats>('catalogue-stats', {});
  const perClass = Object.values(stats.classes).map((c) => c.train);
  // The core's stratified split: round(n × 20 %) per class to validation, at least one left.
  trainImages = perClass.reduce(
    (sum, n) => sum + n - Math.min(Math.round(n * 0.2), Math.max(0, n - 1)),
    0,
  );
}, 60_000);
afterAll(async () => {
  await s.studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a batch larger than the training set', () => {
  test('is refused before a run is made, saying how many images train', async () => {
    const refusal = await s.failure('training-start', {
      config: {
        model: 'compact-cnn',
        epochs: 1,
        batchSize: trainImages + 1,
        validationFraction: 0.2,
      },
    });
    expect(refusal.code).toBe('bad-request');
    expect(refusal.message).toContain(`Batch size ${trainImages + 1}`);
    expect(refusal.message).toContain(`${trainImages} training images`);
    expect((await s.call<{ runs: RunSummary[] }>('runs-list', {})).runs).toEqual([]);
  });

  test('the default batch size, not asked for, still trains a catalogue this small (one batch an epoch)', async () => {
    expect(trainImages).toBeLessThan(64); // the default, so this case is the one meant
    const { runId } = await s.call<{ runId: number }>('training-start', {
      config: { model: 'compact-cnn', epochs: 1, validationFraction: 0.2 },
    });
    expect((await s.ended(runId)).status).toBe('finished');
  });
});
