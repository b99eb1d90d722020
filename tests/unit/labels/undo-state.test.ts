import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession } from '../session.ts';

let dir: string;
let sample: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-undo-state-'));
  sample = path.join(dir, 'sample');
  await writeSampleDataset(sample, { perClass: 3, seed: 5 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type UndoState = { canUndo: boolean; canRedo: boolean };

describe('labels-undo-state', () => {
  it('says whether undo and redo have anything to do, across a restart', async () => {
    let s = openSession(dir, 'state');
    const state = () => s.call<UndoState>('labels-undo-state', {});
    expect(await state()).toEqual({ canUndo: false, canRedo: false });
    await s.call('catalogue-import', { folder: sample });
    // An import is not an undoable edit.
    expect(await state()).toEqual({ canUndo: false, canRedo: false });
    const [id] = (await s.call<{ ids: number[] }>('catalogue-list', {})).ids as [number];
    await s.call('labels-set', { changes: [{ imageId: id, label: 'exclude' }] });
    expect(await state()).toEqual({ canUndo: true, canRedo: false });
    await s.call('labels-undo', {});
    expect(await state()).toEqual({ canUndo: false, canRedo: true });
    await s.studio.close();

    s = openSession(dir, 'state');
    expect(await state()).toEqual({ canUndo: false, canRedo: true });
    await s.call('labels-redo', {});
    expect(await state()).toEqual({ canUndo: true, canRedo: false });
    await s.studio.close();
  });
});
