import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf, Stats } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession } from '../session.ts';

let dir: string;
let sample: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-import-undo-'));
  sample = path.join(dir, 'sample');
  await writeSampleDataset(sample, { perClass: 3, seed: 4 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Undo = ResponseOf<'labels-undo'>;
type UndoState = { canUndo: boolean; canRedo: boolean };
type Imports = ResponseOf<'imports-list'>['imports'];

/** A 48×48 crop whose pixels depend on `seed`, as predict-add-face receives it. */
const crop = (seed: number) =>
  Buffer.from(Uint8Array.from({ length: 2304 }, (_, i) => (i * seed + seed) % 256)).toString(
    'base64',
  );

describe('undoing import removals and added faces', () => {
  it('Ctrl+Z brings a removed import back with its labels, and redo takes it away again', async () => {
    const s = openSession(dir, 'remove');
    const { importId } = await s.call<{ importId: number }>('catalogue-import', { folder: sample });
    const [first] = (await s.call<{ ids: number[] }>('catalogue-list', {})).ids as [number];
    await s.call('labels-set', { changes: [{ imageId: first, label: 'surprise' }] });
    const before = await s.call<Stats>('catalogue-stats', {});

    await s.call('imports-remove', { importId });
    expect((await s.call<Stats>('catalogue-stats', {})).total).toBe(0);
    expect(await s.call<UndoState>('labels-undo-state', {})).toEqual({
      canUndo: true,
      canRedo: false,
    });

    const undone = await s.call<Undo>('labels-undo', {});
    expect(undone.imports).toEqual([{ importId, images: 21, removed: false }]);
    expect(await s.call<Stats>('catalogue-stats', {})).toEqual(before);
    const detail = await s.call<{ label: string }>('catalogue-image', { id: first });
    expect(detail.label).toBe('surprise');

    const redone = await s.call<Undo>('labels-redo', {});
    expect(redone.imports).toEqual([{ importId, images: 21, removed: true }]);
    expect((await s.call<Stats>('catalogue-stats', {})).total).toBe(0);

    // The Restore button is an edit too: undoing it removes the import again.
    await s.call('imports-restore', { importId });
    expect((await s.call<Stats>('catalogue-stats', {})).total).toBe(21);
    await s.call('labels-undo', {});
    const list = (await s.call<{ imports: Imports }>('imports-list', {})).imports;
    expect(list[0]?.removedAt).not.toBeNull();
    await s.studio.close();
  });

  it('undoing an added face takes its import, its excluded image and its label change away', async () => {
    const s = openSession(dir, 'face');
    await s.call('catalogue-import', { folder: sample });
    const before = await s.call<Stats>('catalogue-stats', {});
    const face = { file: 'me.png', box: [0, 0, 48, 48], crop: crop(7), label: 'happy' };
    await s.call('predict-add-face', face);
    expect((await s.call<Stats>('catalogue-stats', {})).total).toBe(before.total + 1);

    const undone = await s.call<Undo>('labels-undo', {});
    expect(undone.imports?.[0]).toMatchObject({ removed: true });
    expect(await s.call<Stats>('catalogue-stats', {})).toEqual(before);
    const imports = (await s.call<{ imports: Imports }>('imports-list', {})).imports;
    expect(imports.filter((i) => i.removedAt === null)).toHaveLength(1);
    const out = path.join(dir, 'face-export');
    const exported = await s.call<{ changes: number; excluded: number }>('export-dataset', {
      out,
      churn: true,
    });
    expect(exported).toMatchObject({ changes: 0, excluded: 0 });

    // Redo puts it back; adding it again after an undo brings the same image back.
    await s.call('labels-redo', {});
    expect((await s.call<Stats>('catalogue-stats', {})).classes.happy.train).toBe(
      before.classes.happy.train + 1,
    );
    await s.call('labels-undo', {});
    const again = await s.call<{ imageId: number }>('predict-add-face', { ...face, label: 'sad' });
    expect((await s.call<{ label: string }>('catalogue-image', { id: again.imageId })).label).toBe(
      'sad',
    );
    expect((await s.call<Stats>('catalogue-stats', {})).total).toBe(before.total + 1);
    await s.studio.close();
  });
});
