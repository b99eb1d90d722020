import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogue } from '../../../app/catalogue/catalogue.ts';
import type { RunDetail } from '../../../app/contract/handlers.ts';
import { defaultCvEpochs } from '../../../app/evaluation/cv-epochs.ts';
import { createRunStore } from '../../../app/runs/run-store.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession, type Session } from '../session.ts';
import { recordUntrainedRun } from './untrained-run.ts';

interface Plan {
  folds: number;
  epochs: number;
  trainImages: number;
  estimatedSeconds: number | null;
  ready: boolean;
}

let dir: string;
let s: Session;
let catalogPath: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-issues-cancel-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: 12, seed: 4 });
  s = openSession(dir, 'cancel');
  catalogPath = path.join(dir, 'cancel.sqlite');
  await s.call('catalogue-import', { folder: path.join(dir, 'sample') });
});
afterAll(async () => {
  await s.studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Gives a recorded run one epoch of history at `imagesPerSec`, as training would. */
function addEpoch(runId: number, imagesPerSec: number) {
  const catalogue = openCatalogue(catalogPath);
  try {
    createRunStore(catalogue.db).addEpoch(runId, {
      epoch: 1,
      loss: 1.9,
      acc: 0.2,
      valLoss: null,
      valAcc: null,
      lr: 1e-3,
      imagesPerSec,
      seconds: 1,
    });
  } finally {
    catalogue.close();
  }
}

describe('label issues: cost up front, and cancel', () => {
  it('says how many fold models it will train and about how long, from the run’s own speed', async () => {
    const config = { epochs: 8, batchSize: 32 } as const;
    const runId = recordUntrainedRun(catalogPath, dir, config);
    const unknown = await s.call<Plan>('label-issues-plan', { runId });
    expect(unknown.estimatedSeconds).toBeNull();
    addEpoch(runId, 100);
    const plan = await s.call<Plan>('label-issues-plan', { runId });
    const trainImages = plan.trainImages;
    expect(trainImages).toBeGreaterThan(50);
    const { config: runConfig } = await s.call<RunDetail>('run-get', { runId });
    const epochs = defaultCvEpochs(runConfig, trainImages, 4);
    expect(plan).toMatchObject({ folds: 4, epochs, ready: false });
    const trained = 4 * epochs * Math.ceil((trainImages * 3) / 4);
    expect(plan.estimatedSeconds).toBeGreaterThanOrEqual(trained / 100);
    expect(plan.estimatedSeconds).toBeLessThan((trained / 100) * 1.2 + 10);
  });

  it('Cancel ends the cross-validation: the caller gets "cancelled" and nothing is stored', async () => {
    const runId = recordUntrainedRun(catalogPath, dir, { epochs: 200, batchSize: 16 });
    expect(await s.call('label-issues-cancel', { runId })).toEqual({ cancelled: false });
    const reply = s.studio.dispatch('label-issues', { runId, folds: 2, epochs: 200 });
    while (!s.events.some((e) => e.event === 'evaluation-progress'))
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await s.call('label-issues-cancel', { runId })).toEqual({ cancelled: true });
    const answer = await reply;
    // It ended early, measured in work rather than wall-clock time (which fails under load):
    // the cross-validation's last progress is far short of its 2 folds × 200 epochs.
    const progress = s.events
      .filter((e) => e.event === 'evaluation-progress')
      .map((e) => e.payload as { done: number; total: number });
    const last = progress.at(-1);
    expect(last?.total).toBeGreaterThan(0);
    expect((last?.done ?? Infinity) / (last?.total ?? 1)).toBeLessThan(0.5);
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.error.code).toBe('cancelled');
      expect(answer.error.message).toMatch(/cancelled/i);
    }
    expect((await s.call<Plan>('label-issues-plan', { runId })).ready).toBe(false);
  });
});
