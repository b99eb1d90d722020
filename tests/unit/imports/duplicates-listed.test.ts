import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { ImportReport } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession } from '../session.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-dup-list-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('imports-list keeps each import’s duplicate files from its stored report', async () => {
  await writeSampleDataset(path.join(dir, 'faces'), { perClass: 3, seed: 9 });
  const s = openSession(dir, 'dups');
  try {
    const first = await s.call<ImportReport>('catalogue-import', {
      folder: path.join(dir, 'faces'),
    });
    const again = await s.call<ImportReport>('catalogue-import', {
      folder: path.join(dir, 'faces'),
    });
    expect(again.duplicates).toBe(first.imported);
    const { imports } = await s.call<{
      imports: {
        id: number;
        duplicates: number;
        duplicateFiles?: ImportReport['duplicateFiles'];
      }[];
    }>('imports-list', {});
    const listed = imports.find((i) => i.id === again.importId);
    expect(listed?.duplicateFiles).toEqual(again.duplicateFiles);
    expect(listed?.duplicateFiles).toHaveLength(first.imported);
    // Each duplicate names its own file as the kept copy: the first import stored it.
    for (const d of listed?.duplicateFiles ?? []) expect(d.keptFile).toBe(d.file);
  } finally {
    await s.studio.close();
  }
});
