import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import type { ResponseOf } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { createRng } from '../../../app/util/rng.ts';
import { openSession, type Session } from '../session.ts';
import { recordUntrainedRun } from './untrained-run.ts';

/**
 * The default method: a run records, while it trains, how it saw each training image, so label
 * issues are ready the moment it ends, without k-fold models (issue 22, item 3).
 */
let dir: string;
let s: Session;
const flipped = new Map<number, string>();
let runId = 0;
let trainIds: number[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-dynamics-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: 70, seed: 11 });
  s = openSession(dir, 'dyn');
  await s.call('catalogue-import', { folder: path.join(dir, 'sample') });
  const train = await s.call<{ ids: number[]; labels: string[] }>('catalogue-list', {
    split: 'train',
  });
  const rng = createRng(7);
  for (const i of rng.shuffle(train.ids.map((_, i) => i)).slice(0, 20)) {
    const from = train.labels[i] as string;
    const others = CLASS_NAMES.filter((c) => c !== from);
    flipped.set(train.ids[i] as number, others[rng.int(others.length)] as string);
  }
  await s.call('labels-set', {
    changes: [...flipped].map(([imageId, label]) => ({ imageId, label })),
  });
  ({ runId } = await s.call<{ runId: number }>('training-start', {
    config: { epochs: 8, batchSize: 32, learningRate: 3e-3, classWeighting: 'none', seed: 3 },
  }));
  expect((await s.ended(runId)).status).toBe('finished');
  const db = new Database(path.join(dir, 'dyn.sqlite'), { readonly: true });
  trainIds = (
    db
      .prepare("SELECT image_id FROM run_images WHERE run_id = ? AND role = 'train'")
      .pluck()
      .all(runId) as number[]
  ).sort((a, b) => a - b);
  db.close();
}, 300_000);
afterAll(async () => {
  await s.studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('label issues from training dynamics', () => {
  it('the run stored a record for every training image, and none for the others', () => {
    const db = new Database(path.join(dir, 'dyn.sqlite'), { readonly: true });
    const rows = db
      .prepare('SELECT image_id, epochs FROM training_dynamics WHERE run_id = ? ORDER BY image_id')
      .raw()
      .all(runId) as [number, number][];
    db.close();
    expect(trainIds.length).toBeGreaterThan(300);
    expect(rows.map((r) => r[0])).toEqual(trainIds);
    // The first quarter of an 8-epoch run is left out (the warm-up from random weights): 3…8.
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set([6]));
  });

  it('ranks by default from the dynamics: no fold model trains, flipped labels come first', async () => {
    const plan = await s.call<ResponseOf<'label-issues-plan'>>('label-issues-plan', { runId });
    expect(plan).toMatchObject({ method: 'training-dynamics', dynamics: true, ready: true });
    s.events.length = 0;
    // Random flips do not follow FER-2013's habits, which the default (people's) reading weighs
    // in: the mechanism is checked on the model alone; bench:cleaning judges both by the crowd.
    const reply = await s.call<ResponseOf<'label-issues'>>('label-issues', {
      runId,
      limit: 50_000,
      reading: 'model',
    });
    const byDefault = await s.call<ResponseOf<'label-issues'>>('label-issues', {
      runId,
      limit: 50_000,
    });
    const byPeople = await s.call<ResponseOf<'label-issues'>>('label-issues', {
      runId,
      limit: 50_000,
      reading: 'people',
    });
    expect(byDefault.issues).toEqual(byPeople.issues);
    expect(byDefault.reading).toBe('people');
    expect(byDefault.issues.map((i) => i.id)).not.toEqual(reply.issues.map((i) => i.id));
    // A run on the built-in sample alone (its folder is sample-<perClass>) is judged by the model.
    const rename = (to: (folder: string) => string) => {
      const rw = new Database(path.join(dir, 'dyn.sqlite'));
      for (const { id, folder } of rw.prepare('SELECT id, folder FROM imports').all() as {
        id: number;
        folder: string;
      }[])
        rw.prepare('UPDATE imports SET folder = ? WHERE id = ?').run(to(folder), id);
      rw.close();
    };
    rename((folder) => `${folder}-70`);
    const onSample = await s.call<ResponseOf<'label-issues'>>('label-issues', {
      runId,
      limit: 50_000,
    });
    rename((folder) => folder.replace(/-70$/, ''));
    expect(onSample.reading).toBe('model');
    expect(onSample.issues).toEqual(reply.issues);
    expect(reply.method).toBe('training-dynamics');
    expect(reply.total).toBe(reply.issues.length);
    const phases = s.events
      .filter((e) => e.event === 'evaluation-progress')
      .map((e) => (e.payload as { phase: string }).phase);
    expect(phases).not.toContain('cross-validating');
    const train = reply.issues.filter((i) => i.source === 'training-dynamics');
    expect(train.every((i) => trainIds.includes(i.id))).toBe(true);
    expect(reply.issues.filter((i) => i.source !== 'training-dynamics').length).toBeGreaterThan(0);
    const doubts = reply.issues.map((i) => i.doubt);
    expect(doubts).toEqual([...doubts].sort((a, b) => b - a));
    // Flipped training images (those the run trained on) against the rest of its training images.
    const candidates = [...flipped.keys()].filter((id) => trainIds.includes(id));
    const k = candidates.length;
    const top = train.slice(0, k).filter((i) => flipped.has(i.id)).length / k;
    const found = train.filter((i) => flipped.has(i.id));
    console.log(
      `dynamics: ${train.length} of ${trainIds.length} training images flagged; precision@${k} ${top.toFixed(2)} (base rate ${(k / trainIds.length).toFixed(2)}), recall ${(found.length / k).toFixed(2)}`,
    );
    // 8 epochs on 352 sample faces fit them loosely (most labels are doubted); what must hold is
    // that a flipped label ranks far above chance. Measured: 0.25 at a 0.05 base rate.
    expect(top).toBeGreaterThanOrEqual(3 * (k / trainIds.length));
    expect(found.length / k).toBeGreaterThanOrEqual(0.7);
    for (const issue of found) expect(issue.label).toBe(flipped.get(issue.id));
    for (const issue of reply.issues) {
      expect(issue.suggested).not.toBe(issue.label);
      expect(issue.doubt).toBeGreaterThanOrEqual(0);
      expect(issue.doubt).toBeLessThanOrEqual(1);
      if (issue.action === 'relabel')
        expect(issue.confidence).toBeGreaterThan(issue.selfConfidence);
    }
  });

  it('k-fold stays available as the thorough option, and says so', async () => {
    const plan = await s.call<ResponseOf<'label-issues-plan'>>('label-issues-plan', {
      runId,
      method: 'k-fold',
    });
    expect(plan).toMatchObject({ method: 'k-fold', dynamics: true, ready: false });
  });

  it('asking for dynamics a run never recorded gets a sentence saying what to do', async () => {
    const untrained = recordUntrainedRun(path.join(dir, 'dyn.sqlite'), dir, { epochs: 2 });
    const plan = await s.call<ResponseOf<'label-issues-plan'>>('label-issues-plan', {
      runId: untrained,
    });
    expect(plan).toMatchObject({ method: 'k-fold', dynamics: false });
    const error = await s.failure('label-issues', {
      runId: untrained,
      method: 'training-dynamics',
    });
    expect(error.code).toBe('bad-request');
    expect(error.message).toMatch(/no training dynamics.*k-fold/);
  });

  it('deleting the run deletes its dynamics', async () => {
    await s.call('run-delete', { runId });
    const db = new Database(path.join(dir, 'dyn.sqlite'), { readonly: true });
    const left = db
      .prepare('SELECT count(*) FROM training_dynamics WHERE run_id = ?')
      .pluck()
      .get(runId);
    db.close();
    expect(left).toBe(0);
  });
});
