import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession, type Session } from '../session.ts';

let dir: string;
let sample: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-runs-'));
  sample = path.join(dir, 'sample');
  await writeSampleDataset(sample, { perClass: 20, seed: 5 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = (name: string): Session => openSession(dir, name);

const small = { epochs: 2, batchSize: 32, validationFraction: 0.2 };

describe('training runs', () => {
  it('trains in a worker, records epochs, backend, label snapshot and the final model', async () => {
    const s = open('basic');
    await s.call('catalogue-import', { folder: sample });
    const options = await s.call<{
      backend: { name: string };
      defaultModel: string;
      models: { name: string }[];
    }>('training-options', {});
    expect(options.models.map((m) => m.name)).toContain(options.defaultModel);
    const { runId } = await s.call<{ runId: number }>('training-start', { config: small });
    expect((await s.failure('training-start', { config: small })).code).toBe('busy');
    const end = await s.ended(runId);
    expect(end.status).toBe('finished');

    const run = await s.call<RunDetail>('run-get', { runId });
    expect(run).toMatchObject({
      status: 'finished',
      epochsDone: 2,
      hasModel: true,
      canResume: false,
      model: options.defaultModel,
    });
    expect(run.backend?.name).toBe(options.backend.name);
    expect(run.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(run.trainImages + run.valImages).toBe(112);
    expect(run.valImages).toBeGreaterThan(0);
    const statuses = s.events
      .filter((e) => e.event === 'training-status')
      .map((e) => (e.payload as { status: string }).status);
    expect(statuses).toEqual(['preparing', 'running', 'finished']);
    expect(s.events.filter((e) => e.event === 'training-epoch')).toHaveLength(2);
    expect(s.events.some((e) => e.event === 'training-batch')).toBe(true);
    expect(
      fs.existsSync(path.join(dir, 'basic.sqlite.studio/runs', `run-${runId}`, 'model/model.json')),
    ).toBe(true);
    expect((await s.call<{ runs: unknown[] }>('runs-list', {})).runs).toHaveLength(1);
    await s.studio.close();
  });

  it('a partial recipe gets the defaults that follow its fields: Adam’s rate, no warm-up in a 2-epoch run', async () => {
    const s = open('recipe');
    await s.call('catalogue-import', { folder: sample });
    const { runId } = await s.call<{ runId: number }>('training-start', {
      config: { ...small, optimizer: { name: 'adam' } },
    });
    expect((await s.ended(runId)).status).toBe('finished');
    const { config } = await s.call<RunDetail>('run-get', { runId });
    expect(config.learningRate).toBe(1e-3);
    expect(config.optimizer).toMatchObject({ name: 'adam', weightDecay: 0 });
    expect(config.schedule).toMatchObject({ kind: 'cosine', warmupEpochs: 0 });
    await s.studio.close();
  });

  it('stop, then resume from the last epoch checkpoint — also after the app was closed', async () => {
    let s = open('resume');
    await s.call('catalogue-import', { folder: sample });
    const { runId } = await s.call<{ runId: number }>('training-start', {
      config: { ...small, epochs: 3 },
    });
    // Stop as soon as the first epoch has been checkpointed.
    await new Promise<void>((resolve) => {
      s.studio.subscribe((event) => {
        if (event === 'training-epoch') resolve();
      });
    });
    await s.call('training-stop', { runId });
    const stopped = await s.ended(runId);
    expect(stopped.status).toBe('stopped');
    await s.studio.close();

    s = open('resume'); // a new process would see the same catalogue and run directory
    const before = await s.call<RunDetail>('run-get', { runId });
    expect(before.canResume).toBe(true);
    expect(before.epochsDone).toBeGreaterThanOrEqual(1);
    await s.call('training-resume', { runId });
    const end = await s.ended(runId);
    expect(end.status).toBe('finished');
    const after = await s.call<RunDetail>('run-get', { runId });
    expect(after.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(after.hasModel).toBe(true);
    await s.studio.close();
  });

  it('relabels made during training change the next run only', async () => {
    const s = open('snapshot');
    await s.call('catalogue-import', { folder: sample });
    const { runId } = await s.call<{ runId: number }>('training-start', { config: small });
    const db = new Database(path.join(dir, 'snapshot.sqlite'));
    db.prepare(
      `UPDATE labels SET label = 'happy' WHERE image_id IN (SELECT image_id FROM labels WHERE label = 'sad')`,
    ).run();
    expect((await s.ended(runId)).status).toBe('finished');
    const snapshot = db
      .prepare(`SELECT count(*) AS n FROM run_images WHERE run_id = ? AND label = 'sad'`)
      .get(runId) as { n: number };
    expect(snapshot.n).toBe(20);
    db.close();
    await s.studio.close();
  });

  it('refuses data that cannot train, with a clear reason, and records nothing', async () => {
    const s = open('bad');
    expect(await s.failure('training-start', {})).toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/empty/i),
    });
    const onlyHappy = path.join(dir, 'only-happy');
    fs.cpSync(path.join(sample, 'train/happy'), path.join(onlyHappy, 'train/happy'), {
      recursive: true,
    });
    await s.call('catalogue-import', { folder: onlyHappy });
    expect(await s.failure('training-start', {})).toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/one class \(happy\)/),
    });
    expect(
      (await s.failure('training-start', { config: { model: 'no-such-net' } })).message,
    ).toMatch(/Unknown model/);
    expect((await s.failure('training-start', { config: { epochs: 0 } })).code).toBe('bad-request');
    expect((await s.call<{ runs: unknown[] }>('runs-list', {})).runs).toHaveLength(0);
    expect((await s.failure('training-resume', { runId: 99 })).code).toBe('not-found');
    await s.studio.close();
  });
});
