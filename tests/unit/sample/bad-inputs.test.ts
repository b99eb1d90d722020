import { lstat, mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import {
  CASE_NAMES,
  writeBadInputTree,
  writeFlatClassTree,
  writeNotSqlite,
} from '../../fixtures/bad-inputs.ts';
import type { BadInputManifest } from '../../fixtures/bad-inputs.ts';
import { HUGE_SIDE, hugeFlatJpeg } from '../../fixtures/fixture-images.ts';

let root = '';
let manifest: BadInputManifest;
const strict = { failOn: 'warning' } as const;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'fer-bad-'));
  manifest = await writeBadInputTree(path.join(root, 'tree'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const at = (rel: string): string => path.join(manifest.root, rel);

describe('writeBadInputTree', () => {
  it('describes every case, and every described file exists', async () => {
    expect(Object.keys(manifest.cases).sort()).toEqual([...CASE_NAMES].sort());
    for (const [name, c] of Object.entries(manifest.cases)) {
      if (name === 'nonUtf8Name') continue;
      for (const rel of c.paths)
        await expect(lstat(at(rel)), `${name}: ${rel}`).resolves.toBeTruthy();
    }
    expect(manifest.good.length).toBe(20);
    for (const g of manifest.good) {
      expect(await sharp(at(g.path)).metadata()).toMatchObject({
        width: 48,
        height: 48,
        channels: 1,
      });
      expect(g.path.startsWith(`${g.split}/${g.label}/`)).toBe(true);
    }
  });

  it('makes the broken files really broken', async () => {
    const { zeroByte, truncatedJpeg, textAsJpg } = manifest.cases;
    expect((await stat(at(zeroByte.paths[0]!))).size).toBe(0);
    await expect(sharp(at(truncatedJpeg.paths[0]!), strict).raw().toBuffer()).rejects.toThrow();
    const head = await readFile(at(truncatedJpeg.paths[0]!));
    expect([...head.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    await expect(sharp(at(textAsJpg.paths[0]!)).metadata()).rejects.toThrow();
  });

  it('makes the odd-but-valid images with the promised shapes', async () => {
    const { colourJpeg, colourPngResized, alphaPng, unicodeName } = manifest.cases;
    expect(await sharp(at(colourJpeg.paths[0]!)).metadata()).toMatchObject({
      format: 'jpeg',
      width: 48,
      channels: 3,
    });
    expect(await sharp(at(colourPngResized.paths[0]!)).metadata()).toMatchObject({
      format: 'png',
      width: 100,
      height: 80,
      channels: 3,
    });
    expect(await sharp(at(alphaPng.paths[0]!)).metadata()).toMatchObject({
      hasAlpha: true,
      width: 48,
    });
    expect(unicodeName.paths[0]).toContain('😀 visage é.png');
    expect(await sharp(at(unicodeName.paths[0]!)).metadata()).toMatchObject({ width: 48 });
  });

  it('makes a huge JPEG that is small on disk and decodes to flat gray', async () => {
    const file = at(manifest.cases.hugeImage.paths[0]!);
    expect((await stat(file)).size).toBeLessThan(2_000_000);
    expect(await sharp(file).metadata()).toMatchObject({ width: HUGE_SIDE, height: HUGE_SIDE });
    const stats = await sharp(file, strict).resize(48, 48).stats();
    expect(stats.channels[0]).toMatchObject({ min: 128, max: 128 });
  });

  it('lays out folders: synonyms, unknown, empty, symlink loop', async () => {
    const { synonymAngry, synonymHappiness, unknownClass, emptyClass, symlinkLoop } =
      manifest.cases;
    expect(synonymAngry.paths[0]).toMatch(/^train\/Angry\//);
    expect(synonymHappiness.expect).toEqual({ kind: 'folder-mapped', to: 'happy' });
    expect(unknownClass.paths[0]).toMatch(/^train\/contempt\//);
    expect(await readdir(at(emptyClass.paths[0]!))).toEqual([]);
    const loop = at(symlinkLoop.paths[0]!);
    expect((await lstat(loop)).isSymbolicLink()).toBe(true);
    expect(await readlink(loop)).toBe('..');
  });

  it('writes the non-UTF-8 name as raw bytes and the duplicate as identical bytes', async () => {
    const names = await readdir(Buffer.from(at('train/neutral')), { encoding: 'buffer' });
    expect(names.some((n) => n.includes(0xff))).toBe(true);
    const [a, b] = manifest.cases.duplicate.paths;
    expect(await readFile(at(b!))).toEqual(await readFile(at(a!)));
  });

  it('is honest about chmod 000 when running as root', async () => {
    const c = manifest.cases.unreadable;
    expect((await stat(at(c.paths[0]!))).mode & 0o777).toBe(0);
    const isRoot = process.getuid?.() === 0;
    expect(manifest.runningAsRoot).toBe(isRoot);
    if (isRoot) {
      expect(c.untestable).toMatch(/root/);
      expect(c.expect.kind).toBe('imported');
    } else {
      expect(c.expect).toEqual({ kind: 'skipped', reason: 'unreadable' });
      await expect(readFile(at(c.paths[0]!))).rejects.toThrow();
    }
  });

  it('counts what should be imported', () => {
    const total = Object.values(manifest.expectedClasses).reduce((n, c) => n + c.train + c.test, 0);
    expect(total).toBe(manifest.expectedImported);
    expect(manifest.expectedClasses.sad.test).toBe(0);
    // 2 good + synonym Angry in train, 1 good + `anger` in test.
    expect(manifest.expectedClasses.angry).toEqual({ train: 3, test: 2 });
  });
});

describe('writeFlatClassTree and writeNotSqlite', () => {
  it('puts class folders directly under the root', async () => {
    const flat = path.join(root, 'flat');
    expect(await writeFlatClassTree(flat, 3)).toEqual({ files: 21 });
    expect((await readdir(flat)).sort()).toEqual([...CLASS_NAMES]);
  });

  it('writes catalogue-named files that SQLite refuses', async () => {
    for (const kind of ['text', 'png', 'truncated'] as const) {
      const file = await writeNotSqlite(path.join(root, `not-${kind}.sqlite`), kind);
      expect(() => new Database(file).pragma('schema_version'), kind).toThrow(
        /not a database|malformed/,
      );
    }
  });

  it('builds the huge JPEG cheaply', async () => {
    // CPU time, not wall-clock time: other work on the machine does not count against it.
    const before = process.cpuUsage();
    await hugeFlatJpeg();
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1e6).toBeLessThan(3);
  });
});
