import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openCatalogue, type Catalogue } from '../../../app/catalogue/catalogue.ts';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import type { Label } from '../../../app/contract/classes.ts';
import { exportCleanDataset } from '../../../app/export/dataset.ts';
import { createLabelStore } from '../../../app/labels/label-store.ts';
import { importFolder } from '../../../app/importer/import-folder.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let source: Catalogue;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('fer-dataset-'));
  await writeSampleDataset(join(dir, 'sample'), { perClass: 6, seed: 4 });
  source = openCatalogue(join(dir, 'a.sqlite'));
  await importFolder(source, {
    folder: join(dir, 'sample'),
    testFraction: 0.2,
    seed: 1,
    jobId: 'a',
  });
});
afterAll(async () => {
  source.close();
  await cleanup();
});

/** Relabels as the UI does: the label row and a history row. */
function relabel(catalogue: Catalogue, id: number, to: string, source = 'manual'): void {
  const from = (
    catalogue.db.prepare('SELECT label FROM labels WHERE image_id = ?').get(id) as { label: string }
  ).label;
  catalogue.db
    .prepare('UPDATE labels SET label = ?, changed_at = ? WHERE image_id = ?')
    .run(to, '2025-01-02T03:04:05Z', id);
  catalogue.db
    .prepare(
      'INSERT INTO label_history (image_id, from_label, to_label, at, source) VALUES (?, ?, ?, ?, ?)',
    )
    .run(id, from, to, '2025-01-02T03:04:05Z', source);
}

/** pixels (hex) → "split/label" for every image not excluded. */
function contents(catalogue: Catalogue): Map<string, string> {
  const rows = catalogue.db
    .prepare(
      `SELECT i.pixels, i.split, l.label FROM images i JOIN labels l ON l.image_id = i.id WHERE l.label != 'exclude'`,
    )
    .all() as { pixels: Buffer; split: string; label: string }[];
  return new Map(rows.map((r) => [r.pixels.toString('hex'), `${r.split}/${r.label}`]));
}

describe('clean dataset export', () => {
  test('export then import into a fresh catalogue gives the same pixels, splits and labels', async () => {
    const ids = (
      source.db.prepare('SELECT id FROM images ORDER BY id').all() as { id: number }[]
    ).map((r) => r.id);
    relabel(source, ids[0] as number, 'surprise');
    relabel(source, ids[1] as number, 'exclude');
    relabel(source, ids[2] as number, 'happy', 'suggestion');
    const expected = contents(source);
    expect(expected.size).toBe(ids.length - 1);

    const out = join(dir, 'clean');
    const stages: number[] = [];
    const result = await exportCleanDataset(source.db, out, { onProgress: (f) => stages.push(f) });
    expect(result).toEqual({ images: ids.length - 1, excluded: 1, changes: 3 });
    expect(stages.at(-1)).toBe(1);
    expect((await readdir(out)).sort()).toEqual(['label-changes.csv', 'test', 'train']);
    expect((await readdir(join(out, 'train'))).sort()).toEqual([...CLASS_NAMES]);
    const surprise = await readdir(
      join(
        out,
        source.db.prepare('SELECT split FROM images WHERE id = ?').pluck().get(ids[0]) as string,
        'surprise',
      ),
    );
    expect(surprise.some((f) => f.startsWith(`${ids[0]}_`) && f.endsWith('.png'))).toBe(true);

    const csv = (await readFile(join(out, 'label-changes.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe(
      'image_id,file,original_label,new_label,when,source,suggested_by_run,suggested,doubt',
    );
    expect(csv).toHaveLength(4);
    expect(csv[1]).toMatch(
      new RegExp(
        `^${ids[0]},(train|test)/surprise/${ids[0]}_sample_\\w+\\.png,\\w+,surprise,2025-01-02T03:04:05Z,manual,,,$`,
      ),
    );
    expect(csv[2]).toMatch(/,exclude,2025-01-02T03:04:05Z,manual,,,$/);
    expect(csv[3]).toMatch(/,happy,2025-01-02T03:04:05Z,suggestion,,,$/);

    const copy = openCatalogue(join(dir, 'b.sqlite'));
    try {
      const report = await importFolder(copy, {
        folder: out,
        testFraction: 0.2,
        seed: 1,
        jobId: 'b',
      });
      expect(report.imported).toBe(ids.length - 1);
      expect(contents(copy)).toEqual(expected);
    } finally {
      copy.close();
    }
  });

  test('label-changes.csv lists net changes; churn lists every history row on request', async () => {
    const id = (source.db.prepare('SELECT max(id) FROM images').pluck().get() as number) - 1;
    const { label } = source.db.prepare('SELECT label FROM labels WHERE image_id = ?').get(id) as {
      label: string;
    };
    // Relabel and back (as an undo does): history grows by two rows, the label is as imported.
    relabel(source, id, label === 'sad' ? 'happy' : 'sad');
    relabel(source, id, label, 'undo');
    const history = source.db
      .prepare(`SELECT count(*) FROM label_history WHERE source != 'import'`)
      .pluck()
      .get() as number;
    const changed = source.db
      .prepare(
        'SELECT count(*) FROM images i JOIN labels l ON l.image_id = i.id WHERE i.original_label != l.label',
      )
      .pluck()
      .get() as number;
    expect(history).toBe(changed + 2);

    const net = await exportCleanDataset(source.db, join(dir, 'net'));
    expect(net.changes).toBe(changed);
    const netCsv = await readFile(join(dir, 'net', 'label-changes.csv'), 'utf8');
    expect(netCsv).not.toMatch(new RegExp(`^${id},`, 'm'));

    const churn = await exportCleanDataset(source.db, join(dir, 'churn'), { churn: true });
    expect(churn.changes).toBe(history);
    const churnCsv = await readFile(join(dir, 'churn', 'label-changes.csv'), 'utf8');
    expect(churnCsv.match(new RegExp(`^${id},`, 'gm'))).toHaveLength(2);
    expect(churnCsv).toMatch(new RegExp(`^${id},.*,undo,,,$`, 'm'));
  });

  test('label-changes.csv says which run suggested a change, what and at what doubt', async () => {
    const labels = createLabelStore(source.db);
    const id = source.db.prepare('SELECT min(id) FROM images').pluck().get() as number;
    const before = source.db.prepare('SELECT label FROM labels WHERE image_id = ?').pluck();
    const from = before.get(id) as Label;
    const to = from === 'fear' ? 'angry' : 'fear';
    const provenance = { runId: 7, suggested: to, doubt: 0.8125 } as const;
    labels.set([{ imageId: id, label: to, expected: from, provenance }], 'suggestion');
    const rowOf = async (name: string, churn: boolean) => {
      await exportCleanDataset(source.db, join(dir, name), { churn });
      const csv = await readFile(join(dir, name, 'label-changes.csv'), 'utf8');
      return csv.split('\n').filter((line) => line.startsWith(`${id},`));
    };
    expect((await rowOf('provenance', false)).at(-1)).toMatch(
      new RegExp(`,${to},[^,]+,suggestion,7,${to},0\\.813$`),
    );
    // Undoing it is recorded against the same suggestion.
    labels.undo();
    expect((await rowOf('provenance-churn', true)).at(-1)).toMatch(
      new RegExp(`,${from},[^,]+,undo,7,${to},0\\.813$`),
    );
  });

  test('an existing output folder needs force', async () => {
    const out = join(dir, 'again');
    await exportCleanDataset(source.db, out);
    await expect(exportCleanDataset(source.db, out)).rejects.toMatchObject({
      code: 'already-exists',
    });
    const result = await exportCleanDataset(source.db, out, { force: true });
    expect(result.images).toBeGreaterThan(0);
  });
});
