import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogue } from '../../../app/catalogue/catalogue.ts';
import type { EventName } from '../../../app/contract/handlers.ts';
import { createRunStore } from '../../../app/runs/run-store.ts';
import { parseTrainConfig } from '../../../app/training/config.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { createStudio, type Studio } from '../../../app/studio.ts';

let dir: string;
let sample: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-labels-'));
  sample = path.join(dir, 'sample');
  await writeSampleDataset(sample, { perClass: 4, seed: 3 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Session {
  studio: Studio;
  events: EventName[];
  call<T>(channel: string, payload: unknown): Promise<T>;
}

function open(name: string): Session {
  const studio = createStudio({
    catalogPath: path.join(dir, `${name}.sqlite`),
    dataDir: path.join(dir, name),
    mode: 'browser',
  });
  const events: EventName[] = [];
  studio.subscribe((event) => events.push(event));
  return {
    studio,
    events,
    async call<T>(channel: string, payload: unknown) {
      const reply = await studio.dispatch(channel, payload);
      if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
      return reply.result as T;
    },
  };
}

async function imported(name: string): Promise<Session> {
  const s = open(name);
  await s.call('catalogue-import', { folder: sample });
  return s;
}

const labelOf = async (s: Session, id: number) =>
  (await s.call<{ label: string }>('catalogue-image', { id })).label;
const history = async (s: Session, id: number) =>
  (
    await s.call<{ history: { from: string; to: string; source: string }[] }>('catalogue-image', {
      id,
    })
  ).history;

describe('relabelling', () => {
  it('applies a batch, records history, excludes, and announces the change', async () => {
    const s = await imported('basic');
    const [a, b] = (await s.call<{ ids: number[] }>('catalogue-list', {})).ids;
    const before = await labelOf(s, a as number);
    const target = before === 'happy' ? 'sad' : 'happy';
    s.events.length = 0;
    const result = await s.call<{ changed: number }>('labels-set', {
      changes: [
        { imageId: a, label: target },
        { imageId: b, label: 'exclude' },
      ],
      source: 'suggestion',
    });
    expect(result.changed).toBe(2);
    expect(s.events).toContain('catalogue-changed');
    expect(await labelOf(s, a as number)).toBe(target);
    expect((await history(s, a as number)).at(-1)).toMatchObject({
      from: before,
      to: target,
      source: 'suggestion',
    });
    expect((await s.call<{ excluded: number }>('catalogue-stats', {})).excluded).toBe(1);
    // Setting the label an image already has changes nothing and is not an edit.
    expect(
      (
        await s.call<{ changed: number }>('labels-set', {
          changes: [{ imageId: a, label: target }],
        })
      ).changed,
    ).toBe(0);
    const undone = await s.call<{ changes: unknown[] }>('labels-undo', {});
    expect(undone.changes).toHaveLength(2);
    expect(await labelOf(s, a as number)).toBe(before);
    await s.studio.close();
  });

  it('rejects an unknown image id or label and changes nothing', async () => {
    const s = await imported('unknown');
    const [a] = (await s.call<{ ids: number[] }>('catalogue-list', {})).ids;
    const before = await labelOf(s, a as number);
    const reply = await s.studio.dispatch('labels-set', {
      changes: [
        { imageId: a, label: before === 'fear' ? 'angry' : 'fear' },
        { imageId: 999_999, label: 'happy' },
      ],
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(!reply.ok && reply.error.message).toMatch(/999999/);
    expect(await labelOf(s, a as number)).toBe(before);
    expect(await history(s, a as number)).toHaveLength(1);
    const bad = await s.studio.dispatch('labels-set', { changes: [{ imageId: a, label: 'smug' }] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((await s.call<{ changes: unknown[] }>('labels-undo', {})).changes).toEqual([]);
    await s.studio.close();
  });

  it('undo and redo survive a restart; a new edit clears redo', async () => {
    let s = await imported('undo');
    const [a] = (await s.call<{ ids: number[] }>('catalogue-list', {})).ids as [number];
    const original = await labelOf(s, a);
    const first = original === 'angry' ? 'disgust' : 'angry';
    await s.call('labels-set', { changes: [{ imageId: a, label: first }] });
    await s.call('labels-set', { changes: [{ imageId: a, label: 'surprise' }] });
    await s.studio.close();

    s = open('undo');
    expect(await labelOf(s, a)).toBe('surprise');
    expect((await s.call<{ changes: unknown[] }>('labels-undo', {})).changes).toEqual([
      { imageId: a, from: 'surprise', to: first },
    ]);
    await s.call('labels-undo', {});
    expect(await labelOf(s, a)).toBe(original);
    await s.studio.close();

    s = open('undo');
    expect((await s.call<{ changes: unknown[] }>('labels-redo', {})).changes).toEqual([
      { imageId: a, from: original, to: first },
    ]);
    expect(await labelOf(s, a)).toBe(first);
    expect((await history(s, a)).map((h) => h.source)).toEqual([
      'import',
      'manual',
      'manual',
      'undo',
      'undo',
      'redo',
    ]);
    // The second edit is still redoable — until a new edit happens.
    await s.call('labels-set', { changes: [{ imageId: a, label: 'exclude' }] });
    expect((await s.call<{ changes: unknown[] }>('labels-redo', {})).changes).toEqual([]);
    expect(await labelOf(s, a)).toBe('exclude');
    await s.call('labels-undo', {});
    expect(await labelOf(s, a)).toBe(first);
    expect((await s.call<{ changes: unknown[] }>('labels-redo', {})).changes).toEqual([
      { imageId: a, from: first, to: 'exclude' },
    ]);
    await s.studio.close();
  });

  it('never changes the label snapshot of a run', async () => {
    const s = await imported('run');
    await s.studio.close();
    const catalogue = openCatalogue(path.join(dir, 'run.sqlite'));
    const runs = createRunStore(catalogue.db);
    const data = runs.currentTrainingData();
    const runId = runs.createRun({
      model: 'compact-cnn',
      config: parseTrainConfig({ model: 'compact-cnn' }),
      runDir: (id) => path.join(dir, `run-${id}`),
      parentRunId: null,
      data,
      validation: new Set(),
    });
    catalogue.close();
    const again = open('run');
    const id = data.ids[0] as number;
    await again.call('labels-set', { changes: [{ imageId: id, label: 'exclude' }] });
    await again.studio.close();
    const check = openCatalogue(path.join(dir, 'run.sqlite'));
    const after = createRunStore(check.db).runData(runId);
    expect(Array.from(after.labels)).toEqual(Array.from(data.labels));
    check.close();
  });
});

/** Runs `count` relabels of the same images from a separate process (its own connection). */
function writer(file: string, ids: number[], labels: string[], count: number): Promise<number> {
  const store = path.resolve(import.meta.dirname, '../../../app/labels/label-store.ts');
  const catalogue = path.resolve(import.meta.dirname, '../../../app/catalogue/catalogue.ts');
  const script = `
    const { openCatalogue } = await import(${JSON.stringify(catalogue)});
    const { createLabelStore } = await import(${JSON.stringify(store)});
    const c = openCatalogue(${JSON.stringify(file)});
    const s = createLabelStore(c.db);
    const ids = ${JSON.stringify(ids)}, labels = ${JSON.stringify(labels)};
    for (let i = 0; i < ${count}; i++)
      s.set(ids.map((imageId, k) => ({ imageId, label: labels[(i + k) % labels.length] })));
    c.close();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code) => resolve(code ?? -1));
    child.on('error', reject);
  });
}

describe('two windows relabelling at once', () => {
  it('serialises the writes: last write wins, every change is in the history, none lost', async () => {
    const s = await imported('concurrent');
    const ids = (await s.call<{ ids: number[] }>('catalogue-list', {})).ids.slice(0, 3);
    // A label neither writer uses, so each of their writes is a real change.
    await s.call('labels-set', { changes: ids.map((imageId) => ({ imageId, label: 'exclude' })) });
    await s.studio.close();
    const file = path.join(dir, 'concurrent.sqlite');
    const codes = await Promise.all([
      writer(file, ids, ['happy', 'sad', 'fear'], 60),
      writer(file, ids, ['angry', 'neutral', 'surprise', 'disgust'], 60),
    ]);
    expect(codes).toEqual([0, 0]);
    const c = openCatalogue(file);
    for (const id of ids) {
      const h = c.image(id).history.filter((r) => r.source === 'manual');
      // Each write read the label under the write lock: history is an unbroken chain.
      const full = c.image(id).history;
      for (let i = 1; i < full.length; i++) expect(full[i]?.from).toBe(full[i - 1]?.to);
      expect(full.at(-1)?.to).toBe(c.image(id).label);
      expect(h).toHaveLength(121); // the parent's exclude + 60 + 60
    }
    const edits = c.db.prepare('SELECT count(*) FROM label_edits').pluck().get() as number;
    expect(edits).toBe(121);
    c.close();
  });
});
