import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canMakeReadOnly, makeReadOnly } from '../read-only.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openCatalogue, type Catalogue } from '../../../app/catalogue/catalogue.ts';
import type { ResponseOf, RunDetail } from '../../../app/contract/handlers.ts';
import { exportReport } from '../../../app/report/export-report.ts';
import { createRunStore } from '../../../app/runs/run-store.ts';
import { nodeFs, type FileSystem } from '../../../app/training/fs-io.ts';
import type { Session } from '../session.ts';
import { trainReportRun, type ReportRun } from './report-run.ts';

type Evaluation = ResponseOf<'evaluation-run'>;

let dir: string;
let s: Session;
let runId: number;
let run: RunDetail;
let exportTo: ReportRun['exportTo'];
let close: () => Promise<void>;

beforeAll(async () => {
  ({ dir, s, runId, run, exportTo, close } = await trainReportRun());
}, 180_000);
afterAll(() => close());

describe('training report refusals', () => {
  test('an existing folder needs force, and is left untouched without it', async () => {
    const out = join(dir, 'exists');
    await mkdir(out);
    await writeFile(join(out, 'keep.txt'), 'mine');
    const error = await s.failure('report-export', { runId, out });
    expect(error).toMatchObject({ code: 'already-exists' });
    expect(error.message).toBe(`${out} already exists. Choose another name, or overwrite it.`);
    expect(await readdir(out)).toEqual(['keep.txt']);
    expect(await readFile(join(out, 'keep.txt'), 'utf8')).toBe('mine');

    await exportTo(out, true);
    expect((await readdir(out)).sort()).toEqual(['charts', 'report.html']);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  test('escapes text that comes from the run or the catalogue', async () => {
    const nasty = `<img src=x onerror="alert(1)"> & 'quoted' </td>`;
    const catalogue = openCatalogue(join(dir, 'report.sqlite'));
    const before = catalogue.db.prepare('SELECT message FROM runs WHERE id = ?').pluck().get(runId);
    try {
      catalogue.db.prepare('UPDATE runs SET message = ? WHERE id = ?').run(nasty, runId);
      const out = join(dir, 'escaped');
      await exportTo(out);
      const html = await readFile(join(out, 'report.html'), 'utf8');
      expect(html).not.toContain(nasty);
      expect(html).not.toMatch(/<img/);
      expect(html).toContain(
        '<td>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quoted&#39; &lt;/td&gt;</td>',
      );
    } finally {
      catalogue.db.prepare('UPDATE runs SET message = ? WHERE id = ?').run(before, runId);
      catalogue.close();
    }
  });

  test('a run without a model, or no run at all, is a clear error and writes nothing', async () => {
    const catalogue: Catalogue = openCatalogue(join(dir, 'report.sqlite'));
    try {
      const store = createRunStore(catalogue.db);
      const failed = store.createRun({
        model: 'compact-cnn',
        config: run.config,
        runDir: (id) => join(dir, `run-${id}`),
        parentRunId: null,
        data: { ids: [], pixels: new Uint8Array(0), labels: new Uint8Array(0) },
        validation: new Set(),
      });
      store.setStatus(failed, 'failed', 'crashed in a test');
      const out = join(dir, 'no-model');
      const error = await s.failure('report-export', { runId: failed, out });
      expect(error.code).toBe('bad-request');
      expect(error.message).toMatch(new RegExp(`Run ${failed} has no finished model.*failed`));
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    } finally {
      catalogue.close();
    }
    expect(await s.failure('report-export', { runId: 999, out: join(dir, 'x') })).toMatchObject({
      code: 'not-found',
      message: 'No run 999 in the catalogue.',
    });
  });

  test('a target folder that cannot be written is a clear error and leaves nothing behind', async () => {
    expect(
      await s.failure('report-export', { runId, out: join(dir, 'missing', 'report') }),
    ).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^The folder .*missing does not exist/),
    });
    await writeFile(join(dir, 'a-file'), 'x');
    expect(
      await s.failure('report-export', { runId, out: join(dir, 'a-file', 'report') }),
    ).toMatchObject({ code: 'not-a-directory' });

    // A disk that refuses the PNGs half way: no target, no temp folder.
    const parent = join(dir, 'full');
    await mkdir(parent);
    const failing: FileSystem = {
      ...nodeFs,
      async writeFile(path, data) {
        if (path.endsWith('.png') && !path.endsWith('loss.png'))
          throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        await nodeFs.writeFile(path, data);
      },
    };
    const catalogue = openCatalogue(join(dir, 'report.sqlite'));
    try {
      const error = await exportReport({
        db: catalogue.db,
        store: createRunStore(catalogue.db),
        evaluate: (request) => s.call<Evaluation>('evaluation-run', request),
        runId,
        out: join(parent, 'report'),
        fs: failing,
      }).catch((e: unknown) => e as Error);
      expect(error).toMatchObject({
        code: 'internal',
        message: expect.stringMatching(/^Could not write .*EACCES/),
      });
    } finally {
      catalogue.close();
    }
    expect(await readdir(parent)).toEqual([]);
  });

  test.skipIf(!canMakeReadOnly())('a read-only parent folder is refused up front', async () => {
    const parent = join(dir, 'read-only');
    await mkdir(parent);
    const undo = makeReadOnly(parent);
    try {
      expect(
        await s.failure('report-export', { runId, out: join(parent, 'report') }),
      ).toMatchObject({
        code: 'read-only',
        message: expect.stringMatching(/may not write into/),
      });
    } finally {
      undo?.();
    }
    expect(await readdir(parent)).toEqual([]);
  });
});
