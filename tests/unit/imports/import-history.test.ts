import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf, RunDetail, Stats } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession } from '../session.ts';

let dir: string;
let first: string;
let second: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-imports-'));
  first = path.join(dir, 'first');
  second = path.join(dir, 'second');
  await writeSampleDataset(first, { perClass: 10, seed: 1 });
  // The second folder holds all of the first (duplicates) plus faces of its own.
  const extra = path.join(dir, 'extra');
  await writeSampleDataset(extra, { perClass: 4, seed: 9 });
  fs.cpSync(first, second, { recursive: true });
  for (const file of fs.readdirSync(extra, { recursive: true, encoding: 'utf8' })) {
    const from = path.join(extra, file);
    if (fs.statSync(from).isFile())
      fs.copyFileSync(from, path.join(second, path.dirname(file), `new-${path.basename(file)}`));
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Imports = ResponseOf<'imports-list'>['imports'];

describe('taking an import back', () => {
  it('removes exactly the images it brought, keeps a training run whole, and can be undone', async () => {
    const s = openSession(dir, 'history');
    const a = await s.call<{ importId: number; imported: number }>('catalogue-import', {
      folder: first,
    });
    const b = await s.call<{ importId: number; imported: number; duplicates: number }>(
      'catalogue-import',
      { folder: second },
    );
    expect(a.imported).toBe(70);
    expect(b).toMatchObject({ imported: 28, duplicates: 70 });
    const firstIds = (await s.call<{ ids: number[] }>('catalogue-list', {})).ids.slice(0, 70);
    await s.call('labels-set', { changes: [{ imageId: firstIds[0], label: 'surprise' }] });

    const before = await s.call<Stats>('catalogue-stats', {});
    const trainCount = Object.values(before.classes).reduce((n, c) => n + c.train, 0);
    const { runId } = await s.call<{ runId: number }>('training-start', {
      config: { epochs: 2, batchSize: 32, validationFraction: 0.2 },
    });
    // Removed while the run trains on its images: the run trains on its own copy.
    expect(await s.call('imports-remove', { importId: a.importId })).toEqual({ images: 70 });
    expect((await s.ended(runId)).status).toBe('finished');
    const run = await s.call<RunDetail>('run-get', { runId });
    expect(run.trainImages + run.valImages).toBe(trainCount); // its snapshot, first import included
    expect(run.hasModel).toBe(true);
    // Still evaluable on the test images of its snapshot, removed ones included.
    const evaluation = await s.call<{ images: number }>('evaluation-run', { runId });
    expect(evaluation.images).toBe(98 - trainCount);

    expect((await s.call<Stats>('catalogue-stats', {})).total).toBe(28);
    const list = await s.call<{ ids: number[] }>('catalogue-list', {});
    expect(list.ids.some((id) => firstIds.includes(id))).toBe(false);
    expect((await s.failure('catalogue-image', { id: firstIds[0] })).code).toBe('not-found');
    let imports = (await s.call<{ imports: Imports }>('imports-list', {})).imports;
    expect(imports.map((i) => [i.id, i.images, i.duplicates, i.usedByRuns])).toEqual([
      [b.importId, 28, 70, 1],
      [a.importId, 70, 0, 1],
    ]);
    expect(imports[1]?.removedAt).not.toBeNull();
    expect(await s.failure('imports-remove', { importId: a.importId })).toMatchObject({
      code: 'bad-request',
    });

    expect(await s.call('imports-restore', { importId: a.importId })).toEqual({ images: 70 });
    expect((await s.call<Stats>('catalogue-stats', {})).total).toBe(98);
    const detail = await s.call<{ label: string }>('catalogue-image', { id: firstIds[0] });
    expect(detail.label).toBe('surprise'); // the label it had, not the imported one
    imports = (await s.call<{ imports: Imports }>('imports-list', {})).imports;
    expect(imports[1]?.removedAt).toBeNull();
    expect(await s.failure('imports-restore', { importId: a.importId })).toMatchObject({
      code: 'bad-request',
    });
    expect(await s.failure('imports-remove', { importId: 99 })).toMatchObject({
      code: 'not-found',
    });
    await s.studio.close();
  });
});
