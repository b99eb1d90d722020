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
  foldsDone: number;
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

  it('Cancel ends the cross-validation: the caller gets "cancelled", and no fold is half-stored', async () => {
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
    const plan = await s.call<Plan>('label-issues-plan', { runId });
    expect(plan).toMatchObject({ ready: false, foldsDone: 0 });
    expect(storedTrain(runId).size).toBe(0);
  });

  it('keeps the folds that finished before Cancel, and the next search trains only the rest', async () => {
    const runId = recordUntrainedRun(catalogPath, dir, { epochs: 10, batchSize: 16 });
    const request = { runId, folds: 4, epochs: 10 };
    const before = s.events.length;
    const reply = s.studio.dispatch('label-issues', request);
    // Fold 2's progress comes after fold 1's predictions were stored.
    while (!s.events.slice(before).some(isFold(runId, 2)))
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await s.call('label-issues-cancel', { runId })).toEqual({ cancelled: true });
    const answer = await reply;
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.message).toMatch(/finished are kept/);
    const kept = storedTrain(runId);
    const plan = await s.call<Plan>('label-issues-plan', { runId });
    expect(plan.ready).toBe(false);
    expect(plan.foldsDone).toBeGreaterThanOrEqual(1);
    expect(plan.foldsDone).toBeLessThan(4);
    // Whole folds only: about a quarter of the training images per fold kept.
    expect(kept.size).toBeGreaterThanOrEqual(Math.floor(plan.trainImages / 4) * plan.foldsDone);
    expect(kept.size).toBeLessThanOrEqual(Math.ceil(plan.trainImages / 4) * plan.foldsDone);

    const resumedFrom = s.events.length;
    const done = await s.call<{ total: number }>('label-issues', request);
    expect(done.total).toBeGreaterThan(0);
    const resumed = s.events.slice(resumedFrom).filter(isFold(runId));
    const folds = new Set(resumed.map((e) => (e.payload as { fold: number }).fold));
    // The kept folds were not trained again, and their predictions are the same bytes.
    for (let f = 1; f <= plan.foldsDone; f++) expect(folds.has(f)).toBe(false);
    expect(folds.has(4)).toBe(true);
    const all = storedTrain(runId);
    expect(all.size).toBe(plan.trainImages);
    for (const [id, probs] of kept) expect(all.get(id)).toEqual(probs);
    expect(await s.call<Plan>('label-issues-plan', { runId })).toMatchObject({
      ready: true,
      foldsDone: 0,
    });
  }, 120_000);
});

function isFold(runId: number, fold?: number) {
  return (e: { event: string; payload: unknown }) => {
    const p = e.payload as { runId?: number; fold?: number | null };
    return (
      e.event === 'evaluation-progress' &&
      p.runId === runId &&
      (fold === undefined ? p.fold !== null : p.fold === fold)
    );
  };
}

/** The run's stored out-of-fold training predictions, by image id. */
function storedTrain(runId: number): Map<number, Buffer> {
  const catalogue = openCatalogue(catalogPath);
  try {
    const rows = catalogue.db
      .prepare(
        `SELECT p.image_id, p.probs FROM predictions p JOIN run_images r
         ON r.run_id = p.run_id AND r.image_id = p.image_id
         WHERE p.run_id = ? AND r.role = 'train' AND p.out_of_sample = 1`,
      )
      .raw()
      .all(runId) as [number, Buffer][];
    return new Map(rows);
  } finally {
    catalogue.close();
  }
}
