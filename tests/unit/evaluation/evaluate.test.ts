import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import type { EventOf, ResponseOf } from '../../../app/contract/handlers.ts';
import { createPredictionStore } from '../../../app/evaluation/prediction-store.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession, type Session } from '../session.ts';

let dir: string;
let s: Session;
let runId: number;
type Evaluation = ResponseOf<'evaluation-run'>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-eval-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: 20, seed: 5 });
  s = openSession(dir, 'eval');
  await s.call('catalogue-import', { folder: path.join(dir, 'sample') });
  runId = await s.train({
    model: 'compact-cnn',
    epochs: 2,
    batchSize: 32,
    validationFraction: 0.2,
  });
}, 120_000);
afterAll(async () => {
  await s.studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const progress = () =>
  s.events
    .filter((e) => e.event === 'evaluation-progress')
    .map((e) => e.payload as EventOf<'evaluation-progress'>);

describe('evaluating a run', () => {
  it('evaluation-stored answers without predicting: null at first, the stored figures after', async () => {
    expect(await s.call('evaluation-stored', { runId, split: 'test' })).toEqual({
      evaluation: null,
    });
    expect(progress()).toEqual([]);
    const val = await s.call<Evaluation>('evaluation-run', { runId, split: 'val' });
    const events = progress().length;
    expect(await s.call('evaluation-stored', { runId, split: 'val' })).toEqual({ evaluation: val });
    expect(await s.call('evaluation-stored', { runId, split: 'test' })).toEqual({
      evaluation: null,
    });
    expect(progress()).toHaveLength(events);
    s.events.length = 0;
  });

  it('scores the test images in a worker, then answers from the stored predictions', async () => {
    const tests = (await s.call<{ ids: number[] }>('catalogue-list', { split: 'test' })).ids;
    const result = await s.call<Evaluation>('evaluation-run', { runId });
    expect(result).toMatchObject({ runId, split: 'test', images: tests.length });
    expect(result.labels).toEqual([...CLASS_NAMES]);
    const flat = result.confusion.flat();
    expect(flat.reduce((a, b) => a + b, 0)).toBe(tests.length);
    const trace = result.confusion.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
    expect(result.accuracy).toBeCloseTo(trace / tests.length, 10);
    CLASS_NAMES.forEach((name, i) =>
      expect(result.perClass[name].support).toBe(
        (result.confusion[i] ?? []).reduce((a, b) => a + b, 0),
      ),
    );
    expect(result.loss).toBeGreaterThan(0);
    expect(Number.isFinite(result.loss)).toBe(true);
    const events = progress();
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({
      runId,
      phase: 'predicting',
      done: tests.length,
      total: tests.length,
    });

    // A relabel after the run changes nothing: evaluation uses the labels the run recorded.
    const first = tests[0] as number;
    await s.call('labels-set', { changes: [{ imageId: first, label: 'exclude' }] });
    // Served from the stored predictions: no prediction pass (no progress event), whatever the load.
    s.events.length = 0;
    const again = await s.call<Evaluation>('evaluation-run', { runId, split: 'test' });
    expect(progress()).toHaveLength(0);
    expect(again).toEqual(result);
    await s.call('labels-undo', {});
  });

  it('lists a confusion cell most confident first', async () => {
    const result = await s.call<Evaluation>('evaluation-run', { runId, split: 'val' });
    expect(result.split).toBe('val');
    for (const [t, trueLabel] of CLASS_NAMES.entries())
      for (const [p, predicted] of CLASS_NAMES.entries()) {
        const cell = await s.call<{ ids: number[]; confidences: number[] }>('evaluation-cell', {
          runId,
          split: 'val',
          trueLabel,
          predicted,
        });
        expect(cell.ids).toHaveLength(result.confusion[t]?.[p] ?? -1);
        expect(cell.confidences).toEqual([...cell.confidences].sort((a, b) => b - a));
      }
  });

  it('gives one image its probabilities, role and whether they are out of sample', async () => {
    const test = (await s.call<{ ids: number[] }>('catalogue-list', { split: 'test' })).ids[0];
    const t = await s.call<ResponseOf<'image-predictions'>>('image-predictions', {
      runId,
      imageId: test,
    });
    expect(t).toMatchObject({ runId, role: 'test', outOfSample: true });
    expect(t.probabilities?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const run = await s.call<{ trainImages: number }>('run-get', { runId });
    expect(run.trainImages).toBeGreaterThan(0);
    const train = (await s.call<{ ids: number[] }>('catalogue-list', { split: 'train' })).ids;
    const roles = await Promise.all(
      train
        .slice(0, 10)
        .map((imageId) =>
          s.call<ResponseOf<'image-predictions'>>('image-predictions', { runId, imageId }),
        ),
    );
    const trained = roles.find((r) => r.role === 'train');
    expect(trained).toMatchObject({ outOfSample: false });
    expect(trained?.probabilities).toHaveLength(7);
    expect((await s.failure('image-predictions', { runId, imageId: 99_999 })).code).toBe(
      'not-found',
    );
  });

  it('refuses a missing run, a run without a model and a corrupt model, leaving the catalogue alone', async () => {
    expect((await s.failure('evaluation-run', { runId: 4242 })).code).toBe('not-found');
    const db = new Database(path.join(dir, 'eval.sqlite'));
    const at = new Date().toISOString();
    const failedRun = Number(
      db
        .prepare(
          `INSERT INTO runs (created_at, updated_at, status, model, config, run_dir)
           VALUES (?, ?, 'failed', 'compact-cnn', '{}', '') `,
        )
        .run(at, at).lastInsertRowid,
    );
    const imported = Number(
      db
        .prepare(
          `INSERT INTO runs (created_at, updated_at, status, model, config, run_dir, imported)
           VALUES (?, ?, 'finished', 'imported', '{}', '', '{}') `,
        )
        .run(at, at).lastInsertRowid,
    );
    db.prepare(
      `INSERT INTO run_images (run_id, image_id, label, role) SELECT ?, image_id, label, role FROM run_images WHERE run_id = ?`,
    ).run(failedRun, runId);
    db.close();
    // An imported model has no validation images: said in words, not as "val".
    const noVal = await s.failure('evaluation-run', { runId: imported, split: 'val' });
    expect(noVal.message).toBe(
      `Run ${imported} has no validation images (its model was imported: trained elsewhere); evaluate it on the test images.`,
    );
    const noModel = await s.failure('evaluation-run', { runId: failedRun });
    expect(noModel).toMatchObject({ code: 'not-found' });
    expect(noModel.message).toMatch(/has no saved model/);

    const modelDir = path.join(dir, 'eval.sqlite.studio', 'runs', `run-${runId}`, 'model');
    const saved = fs.readFileSync(path.join(modelDir, 'model.json'));
    const stats = await s.call('catalogue-stats', {});
    const train = (await s.call<{ ids: number[] }>('catalogue-list', { split: 'train' })).ids;
    try {
      // An image with nothing stored yet must load the model: a corrupt one fails clearly.
      fs.writeFileSync(path.join(modelDir, 'model.json'), '{"modelTopology": 12');
      const corrupt = await s.failure('image-predictions', { runId, imageId: train.at(-1) });
      expect(corrupt.code).toBe('training-failed');
      expect(corrupt.message).toMatch(/cannot be read/);
      fs.rmSync(path.join(modelDir, 'model.json'));
      const missing = await s.failure('image-predictions', { runId, imageId: train.at(-2) });
      expect(missing.code).toBe('not-found');
      expect(missing.message).toMatch(/model file of run \d+ is missing/);
    } finally {
      fs.writeFileSync(path.join(modelDir, 'model.json'), saved);
    }
    expect(await s.call('catalogue-stats', {})).toEqual(stats);
    const ok = await s.call<ResponseOf<'image-predictions'>>('image-predictions', {
      runId,
      imageId: train.at(-1),
    });
    expect(ok.probabilities).toHaveLength(7);
  });

  it('predicts again when the run saved a new model (a resumed run), keeping nothing stale', async () => {
    const first = await s.call<Evaluation>('evaluation-run', { runId });
    const weights = path.join(
      dir,
      'eval.sqlite.studio',
      'runs',
      `run-${runId}`,
      'model',
      'weights.bin',
    );
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(weights, later, later);
    s.events.length = 0;
    const again = await s.call<Evaluation>('evaluation-run', { runId });
    expect(progress().length).toBeGreaterThan(0);
    expect(again.confusion).toEqual(first.confusion);
  });

  it('ranks held-out images by the run’s own predictions and training images by cross-validation', async () => {
    await s.call<Evaluation>('evaluation-run', { runId, split: 'test' });
    await s.call<Evaluation>('evaluation-run', { runId, split: 'val' });
    const db = new Database(path.join(dir, 'eval.sqlite'));
    const store = createPredictionStore(db);
    const held = [store.load(runId, 'val'), store.load(runId, 'test')].flatMap((p) =>
      p.ids.map((id, i) => ({ id, probs: Array.from(p.probs.subarray(i * 7, i * 7 + 7)) })),
    );
    // Per class c, the held-out image the model gives c most: mislabel it, in the run's snapshot
    // and the catalogue, as a class k it finds less likely than the held-out images labelled k do
    // on average (k's confident-learning threshold; one plant per k keeps that true after the
    // plant joins k). It clears c's threshold and not k's, so it must be flagged, suggesting c.
    const given = new Map(
      db
        .prepare(`SELECT image_id, label FROM run_images WHERE run_id = ? AND role != 'train'`)
        .raw()
        .all(runId) as [number, string][],
    );
    const threshold = CLASS_NAMES.map((name, k) => {
      const mine = held.filter((h) => given.get(h.id) === name);
      return mine.reduce((sum, h) => sum + (h.probs[k] ?? 0), 0) / mine.length;
    });
    const tops = CLASS_NAMES.map((_, c) =>
      held.reduce((a, b) => ((b.probs[c] ?? 0) > (a.probs[c] ?? 0) ? b : a)),
    );
    // Classes the tops leave keep their thresholds only if nothing is planted into them.
    const taken = new Set(
      tops.map((top) => (CLASS_NAMES as readonly string[]).indexOf(given.get(top.id) ?? '')),
    );
    const planted = new Map<number, { label: string; suggested: string }>();
    tops.forEach((top, c) => {
      if (top.probs.indexOf(Math.max(...top.probs)) !== c || planted.has(top.id)) return;
      const k = CLASS_NAMES.findIndex(
        (_, j) => j !== c && !taken.has(j) && (top.probs[j] ?? 0) < (threshold[j] ?? 0),
      );
      if (k < 0) return;
      taken.add(k);
      planted.set(top.id, { label: CLASS_NAMES[k] as string, suggested: CLASS_NAMES[c] as string });
    });
    for (const [id, { label }] of planted) {
      db.prepare('UPDATE run_images SET label = ? WHERE run_id = ? AND image_id = ?').run(
        label,
        runId,
        id,
      );
      db.prepare('UPDATE labels SET label = ? WHERE image_id = ?').run(label, id);
    }
    const roles = new Map(
      db.prepare('SELECT image_id, role FROM run_images WHERE run_id = ?').raw().all(runId) as [
        number,
        string,
      ][],
    );
    db.close();
    expect(planted.size).toBeGreaterThan(0);

    const { issues } = await s.call<ResponseOf<'label-issues'>>('label-issues', {
      runId,
      limit: 5000,
      folds: 2,
      epochs: 1,
      // The run recorded training dynamics, which label-issues now uses by default: ask for k-fold.
      method: 'k-fold',
      // Planted swaps do not follow how people read FER-2013's labels: judge by the model alone.
      reading: 'model',
    });
    for (const issue of issues)
      expect(issue.source).toBe(roles.get(issue.id) === 'train' ? 'cross-validation' : 'held-out');
    for (const [id, { label, suggested }] of planted)
      expect(issues.find((issue) => issue.id === id)).toMatchObject({
        label,
        suggested,
        source: 'held-out',
      });
    const selfConfidences = issues.map((issue) => issue.selfConfidence);
    expect(selfConfidences).toEqual([...selfConfidences].sort((a, b) => a - b));
    const train = [...roles].find(([, role]) => role === 'train')?.[0];
    const trained = await s.call<ResponseOf<'image-predictions'>>('image-predictions', {
      runId,
      imageId: train,
    });
    expect(trained).toMatchObject({ role: 'train', outOfSample: true });
  });
});
