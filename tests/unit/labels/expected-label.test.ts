import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Label } from '../../../app/contract/classes.ts';
import type { ResponseOf } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { createStudio, type Studio } from '../../../app/studio.ts';

let dir: string;
let studio: Studio;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-expected-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: 3, seed: 5 });
  studio = createStudio({
    catalogPath: path.join(dir, 'c.sqlite'),
    dataDir: path.join(dir, 'data'),
    mode: 'browser',
  });
  await call('catalogue-import', { folder: path.join(dir, 'sample') });
});
afterAll(async () => {
  await studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const reply = await studio.dispatch(channel, payload);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
  return reply.result as T;
}
const labelOf = async (id: number) =>
  (await call<{ label: Label }>('catalogue-image', { id })).label;
const other = (label: Label): Label => (label === 'fear' ? 'angry' : 'fear');
type SetReply = ResponseOf<'labels-set'>;

describe('labels-set with an expected label', () => {
  it('skips changes whose label moved on, says which, and undo restores exactly the rest', async () => {
    const ids = (await call<{ ids: number[] }>('catalogue-list', {})).ids.slice(0, 4);
    const before = await Promise.all(ids.map(labelOf));
    const [a, b, c, d] = ids as [number, number, number, number];
    // Edited elsewhere after the suggestion was made: b now carries another label.
    await call('labels-set', { changes: [{ imageId: b, label: 'exclude' }] });
    // …and d's image left the catalogue (its import removed): a skip, not an error.
    const changes = ids.map((imageId, i) => ({
      imageId,
      label: other(before[i] as Label),
      expected: before[i],
      provenance: { runId: 1, suggested: other(before[i] as Label), doubt: 0.9 },
    }));
    const missing = { ...changes[0], imageId: 999_999 };
    const reply = await call<SetReply>('labels-set', {
      changes: [...changes, missing],
      source: 'suggestion',
    });
    expect(reply).toEqual({ changed: 3, skipped: 2, skippedIds: [b, 999_999] });
    expect(await labelOf(b)).toBe('exclude');
    for (const [i, id] of [a, c, d].entries())
      expect(await labelOf(id)).toBe(other(before[[0, 2, 3][i] as number] as Label));

    await call('labels-undo', {});
    expect(await Promise.all(ids.map(labelOf))).toEqual([
      before[0],
      'exclude',
      before[2],
      before[3],
    ]);
    await call('labels-redo', {});
    expect(await labelOf(a)).toBe(other(before[0] as Label));
    expect(await labelOf(b)).toBe('exclude');
  });

  it('without an expected label an unknown id still rejects the whole batch', async () => {
    const reply = await studio.dispatch('labels-set', {
      changes: [{ imageId: 999_999, label: 'happy' }],
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
