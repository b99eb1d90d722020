import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogue, type Catalogue } from '../../../app/catalogue/catalogue.ts';
import { createCleaningHandlers } from '../../../app/cleaning/handlers.ts';
import type { Label } from '../../../app/contract/classes.ts';
import { importFolder } from '../../../app/importer/import-folder.ts';
import { createLabelStore } from '../../../app/labels/label-store.ts';
import { createRunStore } from '../../../app/runs/run-store.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { parseTrainConfig } from '../../../app/training/config.ts';

let dir: string;
let catalogue: Catalogue;
let runId: number;
let ids: number[];
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-cleaning-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: 3, seed: 6 });
  catalogue = openCatalogue(path.join(dir, 'c.sqlite'));
  await importFolder(catalogue, {
    folder: path.join(dir, 'sample'),
    testFraction: 0.2,
    seed: 1,
    jobId: 'a',
  });
  const runs = createRunStore(catalogue.db);
  const data = runs.currentTrainingData();
  ids = Array.from(data.ids);
  runId = runs.createRun({
    model: 'compact-cnn',
    config: parseTrainConfig({ model: 'compact-cnn' }),
    runDir: (id) => path.join(dir, `run-${id}`),
    parentRunId: null,
    data,
    validation: new Set(),
  });
});
afterAll(() => {
  catalogue.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const labelOf = (id: number) =>
  catalogue.db.prepare('SELECT label FROM labels WHERE image_id = ?').pluck().get(id) as Label;

describe('cleaning review state', () => {
  it('counts kept and relabelled images as reviewed; a kept image is not offered again', async () => {
    // 10 doubtful labels still open (label-issues' total), whatever the run's images.
    let open = 10;
    const h = createCleaningHandlers(catalogue.db, async () => open);
    const [a, b, c] = ids as [number, number, number];
    expect(await h['cleaning-status']({ runId })).toEqual({ reviewed: 0, total: 10, kept: [] });

    expect(await h['cleaning-keep']({ runId, imageIds: [a, b, a], keep: true })).toEqual({
      changed: 2,
    });
    // c is accepted: it leaves the open issues and counts as reviewed.
    createLabelStore(catalogue.db).set([
      { imageId: c, label: labelOf(c) === 'sad' ? 'happy' : 'sad' },
    ]);
    open = 9;
    expect(await h['cleaning-status']({ runId })).toEqual({
      reviewed: 3,
      total: 10,
      kept: [a, b].sort((x, y) => x - y),
    });

    // A keep holds for the label it was made with: relabelled, b is a new question; unkeep undoes a.
    createLabelStore(catalogue.db).set([{ imageId: b, label: 'exclude' }]);
    open = 8;
    await h['cleaning-keep']({ runId, imageIds: [a], keep: false });
    expect(await h['cleaning-status']({ runId })).toEqual({ reviewed: 2, total: 10, kept: [] });
  });

  it('says clearly when the run or an image does not exist', async () => {
    const h = createCleaningHandlers(catalogue.db, async () => 0);
    await expect(h['cleaning-status']({ runId: 999 })).rejects.toThrow('No run 999');
    await expect(h['cleaning-keep']({ runId, imageIds: [999_999], keep: true })).rejects.toThrow(
      'No image with id 999999',
    );
  });
});
