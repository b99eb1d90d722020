import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalogue } from '../../../app/catalogue/catalogue.ts';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import { decodeImage } from '../../../app/importer/decode.ts';
import { createDecodePool } from '../../../app/importer/decode-pool.ts';
import { importFolder } from '../../../app/importer/import-folder.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { face } from '../../fixtures/fixture-images.ts';
import { writeFlatClassTree } from '../../fixtures/bad-inputs.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-import-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const run = (
  catalogue: ReturnType<typeof openCatalogue>,
  folder: string,
  extra: Partial<Parameters<typeof importFolder>[1]> = {},
) => importFolder(catalogue, { folder, testFraction: 0.2, seed: 1, jobId: 'job', ...extra });

describe('importFolder', () => {
  it('imports a train/test tree with its splits, labels and history', async () => {
    await writeSampleDataset(path.join(dir, 's'), { perClass: 10, seed: 2 });
    const catalogue = openCatalogue(path.join(dir, 'c.sqlite'));
    const progress: number[] = [];
    const report = await run(catalogue, path.join(dir, 's'), {
      onProgress: (p) => progress.push(p.done),
    });
    expect(report.layout).toBe('folders');
    expect(report.imported).toBe(70);
    const stats = catalogue.stats();
    for (const name of CLASS_NAMES)
      expect(stats.classes[name].train + stats.classes[name].test).toBe(10);
    expect(report.classes).toEqual(stats.classes);
    expect(progress.at(-1)).toBe(70);
    const detail = catalogue.image(1);
    expect(detail.history).toEqual([
      { from: null, to: detail.label, at: detail.importedAt, source: 'import' },
    ]);
    expect(detail.file).toMatch(/^(train|test)\/\w+\/sample_/);
    catalogue.close();
  });

  it('draws a seeded stratified split when there is no train/test level', async () => {
    await writeFlatClassTree(path.join(dir, 'flat'), 10);
    const splitsOf = async (name: string, seed: number) => {
      const catalogue = openCatalogue(path.join(dir, name));
      const report = await run(catalogue, path.join(dir, 'flat'), { testFraction: 0.3, seed });
      expect(report.layout).toBe('fraction');
      for (const c of CLASS_NAMES) expect(report.classes[c]).toEqual({ train: 7, test: 3 });
      const rows = catalogue.db
        .prepare('SELECT source_file, split FROM images ORDER BY source_file')
        .all();
      catalogue.close();
      return rows;
    };
    const a = await splitsOf('a.sqlite', 5);
    expect(await splitsOf('b.sqlite', 5)).toEqual(a);
    expect(await splitsOf('c.sqlite', 6)).not.toEqual(a);
  });

  it('cancel keeps whole batches only, and a re-import completes the rest', async () => {
    await writeSampleDataset(path.join(dir, 's'), { perClass: 200, seed: 4 });
    const catalogue = openCatalogue(path.join(dir, 'c.sqlite'));
    const controller = new AbortController();
    const report = await run(catalogue, path.join(dir, 's'), {
      signal: controller.signal,
      onProgress: (p) => p.done >= 128 && controller.abort(),
    });
    expect(report.cancelled).toBe(true);
    expect(report.imported).toBeGreaterThan(0);
    expect(report.imported).toBeLessThan(1400);
    expect(report.imported % 128).toBe(0);
    const rows = catalogue.db.prepare('SELECT count(*) AS n FROM images').get() as { n: number };
    const labels = catalogue.db.prepare('SELECT count(*) AS n FROM labels').get() as { n: number };
    expect(rows.n).toBe(report.imported);
    expect(labels.n).toBe(report.imported);
    const status = catalogue.db
      .prepare('SELECT status FROM imports WHERE id = ?')
      .get(report.importId);
    expect(status).toEqual({ status: 'cancelled' });
    const rest = await run(catalogue, path.join(dir, 's'));
    expect(rest.imported + report.imported).toBe(1400);
    expect(rest.duplicates).toBe(report.imported);
    catalogue.close();
  });

  it('worker threads and this thread store the same images', async () => {
    await writeSampleDataset(path.join(dir, 's'), { perClass: 4, seed: 9 });
    const inline = openCatalogue(path.join(dir, 'inline.sqlite'));
    const pooled = openCatalogue(path.join(dir, 'pooled.sqlite'));
    const pool = createDecodePool(2);
    await run(inline, path.join(dir, 's'));
    await run(pooled, path.join(dir, 's'), { pool });
    await pool.close();
    const dump = (c: typeof inline) =>
      c.db.prepare('SELECT hash, split, original_label, pixels FROM images ORDER BY hash').all();
    expect(dump(pooled)).toEqual(dump(inline));
    inline.close();
    pooled.close();
  });
});

describe('decodeImage', () => {
  it('the fast JPEG path agrees with libvips to within JPEG rounding', async () => {
    const pixels = face('happy', 3);
    const jpeg = await sharp(pixels, { raw: { width: 48, height: 48, channels: 1 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const fast = await decodeImage(jpeg);
    const vips = await sharp(jpeg).grayscale().raw().toBuffer();
    expect(fast.format).toBe('jpeg');
    let worst = 0;
    for (let i = 0; i < vips.length; i++)
      worst = Math.max(worst, Math.abs((fast.pixels[i] as number) - (vips[i] as number)));
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('keeps 48×48 grayscale PNG pixels exactly', async () => {
    const pixels = face('sad', 1);
    const png = await sharp(pixels, { raw: { width: 48, height: 48, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const decoded = await decodeImage(png);
    expect(Buffer.from(decoded.pixels).equals(Buffer.from(pixels))).toBe(true);
    expect(decoded).toMatchObject({ resized: false, converted: false });
  });
});
