import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { CLASS_NAMES, IMAGE_SIZE, PIXELS_PER_IMAGE } from '../contract/classes.ts';
import type { ClassName, Split } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import { createRng } from '../util/rng.ts';
import { renderFace } from './faces.ts';

export interface SampleSetOptions {
  perClass: number;
  /** Default 1. */
  seed?: number;
  /** Share of each class put in `test`; default 0.2. */
  testFraction?: number;
}

export interface SampleSet {
  /** n × 2304 bytes, class-major: all angry faces, then disgust, … */
  pixels: Uint8Array;
  /** Class index in CLASS_NAMES order. */
  labels: Uint8Array;
  splits: Split[];
}

interface Plan {
  perClass: number;
  seed: number;
  testPerClass: number;
}

function plan(options: SampleSetOptions): Plan {
  const { perClass } = options;
  const seed = options.seed ?? 1;
  const testFraction = options.testFraction ?? 0.2;
  if (!Number.isInteger(perClass) || perClass < 1 || perClass > 100_000) {
    throw new StudioError(
      'bad-request',
      `perClass must be an integer in 1..100000, got ${perClass}`,
    );
  }
  if (!Number.isInteger(seed))
    throw new StudioError('bad-request', `seed must be an integer, got ${seed}`);
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new StudioError('bad-request', `testFraction must be in [0, 1), got ${testFraction}`);
  }
  // Every class keeps at least one training face, and gets a test face whenever a fraction is asked for.
  let testPerClass = Math.round(perClass * testFraction);
  if (testFraction > 0 && perClass >= 2) testPerClass = Math.max(1, testPerClass);
  testPerClass = Math.min(testPerClass, perClass - 1);
  return { perClass, seed, testPerClass };
}

/** Each face has its own stream, so face n of a class is the same whatever perClass is. */
function faceRng(seed: number, classIdx: number, n: number): ReturnType<typeof createRng> {
  const h =
    Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^
    Math.imul(classIdx + 1, 0x85ebca6b) ^
    Math.imul(n + 1, 0xc2b2ae35);
  return createRng(h >>> 0);
}

function splitOf(p: Plan, n: number): Split {
  return n >= p.perClass - p.testPerClass ? 'test' : 'train';
}

/** Synthetic FER-like faces, in memory and deterministic for a seed. */
export function generateSampleSet(options: SampleSetOptions): SampleSet {
  const p = plan(options);
  const total = p.perClass * CLASS_NAMES.length;
  const pixels = new Uint8Array(total * PIXELS_PER_IMAGE);
  const labels = new Uint8Array(total);
  const splits: Split[] = [];
  CLASS_NAMES.forEach((name, classIdx) => {
    for (let n = 0; n < p.perClass; n++) {
      const i = classIdx * p.perClass + n;
      pixels.set(renderFace(name, faceRng(p.seed, classIdx, n)), i * PIXELS_PER_IMAGE);
      labels[i] = classIdx;
      splits.push(splitOf(p, n));
    }
  });
  return { pixels, labels, splits };
}

export function sampleFileName(name: ClassName, n: number): string {
  return `sample_${name}_${String(n).padStart(4, '0')}.png`;
}

/** Writes `<folder>/<split>/<class>/sample_<class>_<n>.png` as 8-bit grayscale PNGs; same options, same bytes. */
export async function writeSampleDataset(
  folder: string,
  options: SampleSetOptions,
): Promise<{ files: number }> {
  const p = plan(options);
  const jobs: { file: string; classIdx: number; n: number }[] = [];
  for (const split of ['train', 'test'] as const) {
    for (const [classIdx, name] of CLASS_NAMES.entries()) {
      const dir = path.join(folder, split, name);
      let made = false;
      for (let n = 0; n < p.perClass; n++) {
        if (splitOf(p, n) !== split) continue;
        if (!made) await mkdir(dir, { recursive: true });
        made = true;
        jobs.push({ file: path.join(dir, sampleFileName(name, n)), classIdx, n });
      }
    }
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const face = renderFace(CLASS_NAMES[job.classIdx]!, faceRng(p.seed, job.classIdx, job.n));
      const png = await sharp(face, { raw: { width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 1 } })
        .toColourspace('b-w')
        .png()
        .toBuffer();
      await writeFile(job.file, png);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { files: jobs.length };
}
