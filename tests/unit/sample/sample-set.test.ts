import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES, IMAGE_SIZE, PIXELS_PER_IMAGE } from '../../../app/contract/classes.ts';
import { renderFace } from '../../../app/sample/faces.ts';
import { generateSampleSet, writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { createRng } from '../../../app/util/rng.ts';
import { nearestCentroidAccuracy } from './nearest-centroid.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fer-sample-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('renderFace', () => {
  it('returns one 48×48 grayscale image per call, deterministic for a seed', () => {
    const a = renderFace('happy', createRng(5));
    expect(a).toBeInstanceOf(Uint8Array);
    expect(a.length).toBe(IMAGE_SIZE * IMAGE_SIZE);
    expect(renderFace('happy', createRng(5))).toEqual(a);
    expect(renderFace('happy', createRng(6))).not.toEqual(a);
    expect(renderFace('sad', createRng(5))).not.toEqual(a);
  });
});

describe('generateSampleSet', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateSampleSet({ perClass: 4, seed: 9 });
    const b = generateSampleSet({ perClass: 4, seed: 9 });
    const c = generateSampleSet({ perClass: 4, seed: 10 });
    expect(b.pixels).toEqual(a.pixels);
    expect(b.labels).toEqual(a.labels);
    expect(b.splits).toEqual(a.splits);
    expect(c.pixels).not.toEqual(a.pixels);
  });

  it('produces every class, stratified into train and test', () => {
    const set = generateSampleSet({ perClass: 10, testFraction: 0.3 });
    expect(set.pixels.length).toBe(70 * PIXELS_PER_IMAGE);
    CLASS_NAMES.forEach((_, k) => {
      const mine = [...set.labels.keys()].filter((i) => set.labels[i] === k);
      expect(mine).toHaveLength(10);
      expect(mine.filter((i) => set.splits[i] === 'test')).toHaveLength(3);
    });
  });

  it('keeps a face stable when perClass grows', () => {
    const small = generateSampleSet({ perClass: 3, seed: 4 });
    const large = generateSampleSet({ perClass: 8, seed: 4 });
    const firstFear = (set: typeof small, per: number): Uint8Array =>
      set.pixels.subarray(2 * per * PIXELS_PER_IMAGE, (2 * per + 1) * PIXELS_PER_IMAGE);
    expect(firstFear(large, 8)).toEqual(firstFear(small, 3));
  });

  it('has sane pixel statistics: no constant images, wide dynamic range', () => {
    const set = generateSampleSet({ perClass: 20, seed: 2 });
    const n = set.labels.length;
    let wide = 0;
    for (let i = 0; i < n; i++) {
      const img = set.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE);
      let lo = 255;
      let hi = 0;
      let sum = 0;
      let sq = 0;
      for (const v of img) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
        sum += v;
        sq += v * v;
      }
      const mean = sum / img.length;
      const sd = Math.sqrt(sq / img.length - mean * mean);
      expect(sd, `image ${i} is nearly flat`).toBeGreaterThan(8);
      expect(mean).toBeGreaterThan(20);
      expect(mean).toBeLessThan(235);
      if (hi - lo > 120) wide++;
    }
    expect(wide / n).toBeGreaterThan(0.9);
  });

  it('carries the class in the face shapes: a nearest-centroid baseline beats chance but is not perfect', () => {
    const set = generateSampleSet({ perClass: 150, seed: 21, testFraction: 0.3 });
    const accuracy = nearestCentroidAccuracy(set);
    expect(accuracy).toBeGreaterThan(0.4);
    expect(accuracy).toBeLessThan(0.99);
  });

  it('rejects bad options with a clear error', () => {
    expect(() => generateSampleSet({ perClass: 0 })).toThrow(/perClass/);
    expect(() => generateSampleSet({ perClass: 2.5 })).toThrow(/perClass/);
    expect(() => generateSampleSet({ perClass: 2, testFraction: 1 })).toThrow(/testFraction/);
    expect(() => generateSampleSet({ perClass: 2, seed: 0.5 })).toThrow(/seed/);
  });
});

describe('writeSampleDataset', () => {
  async function listPngs(root: string): Promise<string[]> {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
      .sort();
  }

  it('writes the FER layout as 8-bit grayscale 48×48 PNGs matching the in-memory set', async () => {
    const root = await tempDir();
    const { files } = await writeSampleDataset(root, { perClass: 5, seed: 3, testFraction: 0.2 });
    expect(files).toBe(35);
    const written = await listPngs(root);
    expect(written).toHaveLength(35);
    for (const name of CLASS_NAMES) {
      expect(
        written.filter((f) => f.startsWith(`train${path.sep}${name}${path.sep}`)),
      ).toHaveLength(4);
      expect(written.filter((f) => f.startsWith(`test${path.sep}${name}${path.sep}`))).toHaveLength(
        1,
      );
    }
    expect(written).toContain(path.join('train', 'angry', 'sample_angry_0000.png'));
    expect(written).toContain(path.join('test', 'surprise', 'sample_surprise_0004.png'));

    const file = path.join(root, 'test', 'surprise', 'sample_surprise_0004.png');
    const meta = await sharp(file).metadata();
    expect(meta).toMatchObject({
      format: 'png',
      width: 48,
      height: 48,
      channels: 1,
      depth: 'uchar',
    });
    const decoded = await sharp(file).toColourspace('b-w').raw().toBuffer();
    const set = generateSampleSet({ perClass: 5, seed: 3, testFraction: 0.2 });
    const last = set.labels.length - 1;
    expect(set.splits[last]).toBe('test');
    expect(new Uint8Array(decoded)).toEqual(set.pixels.subarray(last * PIXELS_PER_IMAGE));
  });

  it('writes byte-identical files for the same options', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await writeSampleDataset(a, { perClass: 3, seed: 8 });
    await writeSampleDataset(b, { perClass: 3, seed: 8 });
    const names = await listPngs(a);
    expect(await listPngs(b)).toEqual(names);
    for (const name of names) {
      expect(await readFile(path.join(b, name))).toEqual(await readFile(path.join(a, name)));
    }
  });
});
