import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogue, type Catalogue } from '../../../app/catalogue/catalogue.ts';
import type { ImportReport } from '../../../app/contract/handlers.ts';
import { importFolder } from '../../../app/importer/import-folder.ts';
import { writeBadInputTree, type BadInputManifest } from '../../fixtures/bad-inputs.ts';

let dir: string;
let manifest: BadInputManifest;
let catalogue: Catalogue;
let report: ImportReport;

const problemFor = (file: string) =>
  report.problems.find((p) => p.file === file || p.file === `${file}/`);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-bad-'));
  manifest = await writeBadInputTree(path.join(dir, 'tree'));
  catalogue = openCatalogue(path.join(dir, 'c.sqlite'));
  report = await importFolder(catalogue, {
    folder: manifest.root,
    testFraction: 0.2,
    seed: 1,
    jobId: 't',
  });
});
afterAll(() => {
  catalogue.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('importing a folder full of bad input', () => {
  it('skips broken files with a clear reason each', () => {
    expect(problemFor(manifest.cases.zeroByte.paths[0] as string)).toMatchObject({
      reason: 'empty-file',
    });
    expect(problemFor(manifest.cases.truncatedJpeg.paths[0] as string)).toMatchObject({
      reason: 'corrupt-image',
    });
    expect(problemFor(manifest.cases.textAsJpg.paths[0] as string)).toMatchObject({
      reason: 'not-an-image',
    });
    const huge = problemFor(manifest.cases.hugeImage.paths[0] as string);
    expect(huge).toMatchObject({ reason: 'too-large' });
    expect(huge?.detail).toMatch(/8000×8000/);
    expect(report.skipped).toMatchObject({
      'empty-file': 1,
      'corrupt-image': 1,
      'not-an-image': 1,
      'too-large': 1,
    });
  });

  it('maps class-folder synonyms and reports unknown class folders without guessing', () => {
    expect(report.mappedFolders).toMatchObject({
      Angry: 'angry',
      anger: 'angry',
      Happiness: 'happy',
    });
    expect(problemFor('train/contempt')).toMatchObject({
      reason: 'unknown-class',
      detail: expect.stringMatching(/\(1 file not imported\)\.$/),
    });
    expect(report.skipped['unknown-class']).toBe(1);
    expect(problemFor('test/sad')).toMatchObject({ reason: 'empty-class-folder' });
  });

  it('does not follow the symlink loop, and imports nothing twice', () => {
    expect(problemFor('train/happy/loop')).toMatchObject({ reason: 'symlink-loop' });
    const hashes = catalogue.db
      .prepare('SELECT count(*) AS n, count(DISTINCT hash) AS d FROM images')
      .get() as { n: number; d: number };
    expect(hashes.n).toBe(hashes.d);
    expect(report.duplicates).toBe(1);
    // The skipped copy is listed with the image that kept its content.
    const [duplicate] = report.duplicateFiles ?? [];
    expect(report.duplicateFiles).toHaveLength(1);
    const kept = catalogue.db
      .prepare('SELECT source_file AS file FROM images WHERE id = ?')
      .get(duplicate?.imageId) as { file: string };
    expect(duplicate?.keptFile).toBe(kept.file);
    expect(duplicate?.file).not.toBe(kept.file);
  });

  it('converts colour and alpha to grayscale and resizes other sizes, saying so', () => {
    const rows = catalogue.db
      .prepare(
        'SELECT source_file AS file, resized, converted, original_width AS w, original_height AS h FROM images',
      )
      .all() as { file: string; resized: number; converted: number; w: number; h: number }[];
    const byFile = new Map(rows.map((row) => [row.file, row]));
    expect(byFile.get(manifest.cases.colourJpeg.paths[0] as string)).toMatchObject({
      converted: 1,
      resized: 0,
    });
    expect(byFile.get(manifest.cases.colourPngResized.paths[0] as string)).toMatchObject({
      converted: 1,
      resized: 1,
      w: 100,
      h: 80,
    });
    expect(byFile.get(manifest.cases.alphaPng.paths[0] as string)).toMatchObject({ converted: 1 });
    expect(report.converted).toBeGreaterThanOrEqual(3);
    expect(report.resized).toBe(1);
  });

  it('imports unicode and non-UTF-8 file names', () => {
    const files = (
      catalogue.db.prepare('SELECT source_file AS f FROM images').all() as { f: string }[]
    ).map((r) => r.f);
    expect(files).toContain(manifest.cases.unicodeName.paths[0]);
    expect(files).toContain(manifest.cases.nonUtf8Name.paths[0]);
  });

  it('counts what it imported per class and split', () => {
    const expected = structuredClone(manifest.expectedClasses);
    expected.neutral.train -= 1; // the huge image is refused here, which the manifest allows
    expect(report.classes).toEqual(expected);
    expect(report.imported).toBe(manifest.expectedImported - 1);
    if (manifest.runningAsRoot) expect(manifest.cases.unreadable.untestable).toMatch(/root/);
    else
      expect(problemFor(manifest.cases.unreadable.paths[0] as string)).toMatchObject({
        reason: 'unreadable',
      });
  });

  it('re-importing the same folder adds nothing and loses nothing', async () => {
    const before = catalogue.stats();
    const again = await importFolder(catalogue, {
      folder: manifest.root,
      testFraction: 0.2,
      seed: 1,
      jobId: 't2',
    });
    expect(again.imported).toBe(0);
    expect(again.duplicates).toBe(report.imported + report.duplicates);
    expect(again.duplicateFiles).toHaveLength(again.duplicates);
    expect(new Set(again.duplicateFiles?.map((d) => d.imageId)).size).toBe(report.imported);
    expect(catalogue.stats()).toEqual(before);
  });

  it('refuses a path that is a file, or missing, and keeps the catalogue', async () => {
    const before = catalogue.stats();
    const file = path.join(manifest.root, 'train/angry/good_0.png');
    await expect(
      importFolder(catalogue, { folder: file, testFraction: 0.2, seed: 1, jobId: 'x' }),
    ).rejects.toMatchObject({ code: 'not-a-directory' });
    await expect(
      importFolder(catalogue, {
        folder: path.join(dir, 'missing'),
        testFraction: 0.2,
        seed: 1,
        jobId: 'y',
      }),
    ).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      importFolder(catalogue, {
        folder: path.join(manifest.root, 'train/angry'),
        testFraction: 0.2,
        seed: 1,
        jobId: 'z',
      }),
    ).rejects.toThrow(/No FER layout/);
    expect(catalogue.stats()).toEqual(before);
  });
});
