import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResponseOf, RunDetail, RunSummary } from '../../../app/contract/handlers.ts';
import { deleteRun } from '../../../app/runs/run-edit.ts';
import { createRunStore } from '../../../app/runs/run-store.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession, type Session } from '../session.ts';

let dir: string;
let s: Session;
let first: number;
let second: number;
/** A second connection to the session's catalogue file, to look at rows and paths directly. */
let db: Database.Database;

const runs = async () => (await s.call<{ runs: RunSummary[] }>('runs-list', {})).runs;
const runDir = (runId: number) => createRunStore(db).runDir(runId);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-run-edit-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: 8, seed: 2 });
  s = openSession(dir, 'edit');
  await s.call('catalogue-import', { folder: path.join(dir, 'sample') });
  const config = { model: 'compact-cnn', epochs: 1, batchSize: 32, validationFraction: 0.2 };
  first = await s.train(config);
  const ended = s.ended(first + 1);
  ({ runId: second } = await s.call<{ runId: number }>('training-start', {
    config,
    parentRunId: first,
  }));
  await ended;
  db = new Database(path.join(dir, 'edit.sqlite'));
}, 180_000);
afterAll(async () => {
  db.close();
  await s.studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('runs: name, notes, test accuracy, delete', () => {
  test('test accuracy comes from the stored evaluation, and is empty before one', async () => {
    expect((await runs()).find((r) => r.id === first)?.testAccuracy).toBeNull();
    const evaluation = await s.call<ResponseOf<'evaluation-run'>>('evaluation-run', {
      runId: first,
      split: 'test',
    });
    const accuracy = (await runs()).find((r) => r.id === first)?.testAccuracy;
    expect(accuracy).toBeCloseTo(evaluation.accuracy, 10);
  });

  test('a run is renamed and annotated; a blank name goes back to none', async () => {
    await s.call('run-update', { runId: first, name: '  baseline  ', notes: 'first try\nlr 1e-3' });
    let run = await s.call<RunDetail>('run-get', { runId: first });
    expect([run.name, run.notes]).toEqual(['baseline', 'first try\nlr 1e-3']);
    await s.call('run-update', { runId: first, name: '' });
    run = await s.call<RunDetail>('run-get', { runId: first });
    expect([run.name, run.notes]).toEqual([null, 'first try\nlr 1e-3']);
    expect(await s.failure('run-update', { runId: 999, name: 'x' })).toMatchObject({
      code: 'not-found',
      message: 'No run 999 in the catalogue.',
    });
    const long = await s.failure('run-update', { runId: first, name: 'x'.repeat(81) });
    expect(long.code).toBe('bad-request');
  });

  test('a speed test times a short epoch on random faces, once per model and batch size', async () => {
    const request = { model: 'compact-cnn', batchSize: 32 };
    const speed = await s.call<{ secondsPerImageEpoch: number; backend: string }>(
      'training-speed',
      request,
    );
    expect(speed.secondsPerImageEpoch).toBeGreaterThan(0);
    // The real runs above trained the same model here: the test lands within 10× of their pace.
    const run = (await runs()).find((r) => r.id === second) as RunSummary;
    const measured = run.seconds / (run.epochsDone * (run.trainImages + run.valImages));
    expect(speed.secondsPerImageEpoch / measured).toBeGreaterThan(0.1);
    expect(speed.secondsPerImageEpoch / measured).toBeLessThan(10);
    expect(speed.backend).toMatch(/WebAssembly|JavaScript CPU|TensorFlow/);
    // Measured once: the second answer is the stored figure, equal to the last bit (a second
    // timing would differ), without a wall-clock bound that fails under load.
    expect(await s.call('training-speed', request)).toEqual(speed);
    expect((await s.failure('training-speed', { model: 'no-such-net' })).message).toMatch(
      /Unknown model "no-such-net"/,
    );
  });

  test('a training run cannot be deleted', () => {
    const store = createRunStore(db);
    expect(() => deleteRun(db, store, second, second)).toThrow(
      `Run ${second} is training; stop it before deleting it.`,
    );
    expect(fs.existsSync(runDir(second))).toBe(true);
  });

  test('delete removes the run, its rows and its folder; a run continued from it stays', async () => {
    const folder = runDir(first);
    expect(fs.existsSync(path.join(folder, 'model', 'model.json'))).toBe(true);
    expect(await s.call('run-delete', { runId: first })).toEqual({
      runId: first,
      removedFolder: true,
    });
    expect(fs.existsSync(folder)).toBe(false);
    expect(fs.readdirSync(path.dirname(folder)).filter((f) => f.includes('deleting'))).toEqual([]);
    expect((await runs()).map((r) => r.id)).toEqual([second]);
    for (const table of ['run_epochs', 'run_images', 'predictions', 'prediction_models'])
      expect(db.prepare(`SELECT count(*) FROM ${table} WHERE run_id = ?`).pluck().get(first)).toBe(
        0,
      );
    const child = await s.call<RunDetail>('run-get', { runId: second });
    expect(child.parentRunId).toBeNull();
    expect(fs.existsSync(path.join(runDir(second), 'model', 'model.json'))).toBe(true);
    expect(await s.failure('run-delete', { runId: first })).toMatchObject({ code: 'not-found' });
  });

  test('a folder outside the catalogue’s own (an older shared layout) is left alone', async () => {
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-shared-run-'));
    fs.writeFileSync(path.join(shared, 'keep.txt'), 'another catalogue’s run');
    db.prepare('UPDATE runs SET run_dir = ? WHERE id = ?').run(shared, second);
    expect(await s.call('run-delete', { runId: second })).toEqual({
      runId: second,
      removedFolder: false,
    });
    expect(fs.readFileSync(path.join(shared, 'keep.txt'), 'utf8')).toBe('another catalogue’s run');
    expect(await runs()).toEqual([]);
    fs.rmSync(shared, { recursive: true, force: true });
  });

  test('the next run after deleting the newest gets a new id, not the deleted one’s', async () => {
    expect(await runs()).toEqual([]);
    const next = await s.train({ model: 'compact-cnn', epochs: 1, batchSize: 32 });
    expect(next).toBe(second + 1);
    expect(path.basename(runDir(next))).toBe(`run-${second + 1}`);
  });
});
