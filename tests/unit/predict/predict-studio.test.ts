import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogue } from '../../../app/catalogue/catalogue.ts';
import type { ResponseOf, Stats } from '../../../app/contract/handlers.ts';
import { createRunStore } from '../../../app/runs/run-store.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { fileIoHandler } from '../../../app/training/fs-io.ts';
import { grayPng } from '../../fixtures/fixture-images.ts';
import { composeScene, hasFer, pickFerFaces, sceneJpeg } from '../../fixtures/face-scenes.ts';
import { recordUntrainedRun } from '../evaluation/untrained-run.ts';
import { runCli } from '../core/cli-helpers.ts';
import { openSession, type Session } from '../session.ts';

type Prediction = ResponseOf<'predict-image'>;
let dir: string;
let s: Session;
let runId: number;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

const cli = (...args: string[]) => runCli(dir, ['predict', '--catalog', 'c.sqlite', ...args]);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-predict-'));
  await writeSampleDataset(path.join(dir, 'faces'), { perClass: 8, seed: 3 });
  s = openSession(dir, 'c');
  await s.call('catalogue-import', { folder: path.join(dir, 'faces') });
  runId = await s.train({ model: 'compact-cnn', epochs: 1, batchSize: 32, validationFraction: 0 });
}, 180_000);
afterAll(async () => {
  await s.studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('predict-image', () => {
  it('takes a small image as one face crop and returns its 48×48 crop and 7 probabilities', async () => {
    const png = await grayPng('happy', 5);
    const p = await s.call<Prediction>('predict-image', { file: 'face.png', data: b64(png) });
    expect(p.runId).toBe(runId);
    expect(p.mode).toBe('whole-image');
    expect(p.faces).toHaveLength(1);
    const [face] = p.faces;
    expect(face?.box).toEqual([0, 0, 48, 48]);
    expect(face?.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    // A 48×48 input passes through unchanged: the crop is the image's own pixels.
    const pixels = await sharp(png).grayscale().raw().toBuffer();
    expect(Buffer.from(face?.crop ?? '', 'base64').equals(pixels)).toBe(true);
  });

  it('with detect off, takes the centre square of a larger image as the one face', async () => {
    const wide = await sharp({
      create: { width: 300, height: 120, channels: 3, background: '#000' },
    })
      .composite([
        {
          input: await sharp({
            create: { width: 120, height: 120, channels: 3, background: '#fff' },
          })
            .png()
            .toBuffer(),
          left: 90,
          top: 0,
        },
      ])
      .png()
      .toBuffer();
    const p = await s.call<Prediction>('predict-image', {
      file: 'wide.png',
      data: b64(wide),
      detect: false,
    });
    expect(p.mode).toBe('whole-image');
    expect(p.faces).toHaveLength(1);
    expect(p.faces[0]?.box).toEqual([0, 0, 300, 120]);
    // The centre 120×120 square is the white block: the crop is white throughout.
    expect(Math.min(...Buffer.from(p.faces[0]?.crop ?? '', 'base64'))).toBeGreaterThan(250);
  });

  it('refuses bad files with a reason and leaves the catalogue untouched', async () => {
    const before = await s.call<Stats>('catalogue-stats', {});
    const jpeg = await sharp({
      create: { width: 300, height: 200, channels: 3, background: '#888' },
    })
      .jpeg()
      .toBuffer();
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('just text, named photo.jpg'), /^bad-request$/],
      [jpeg.subarray(0, 400), /^bad-request$/],
      [new Uint8Array(), /^bad-request$/],
    ];
    for (const [bytes, code] of cases) {
      const error = await s.failure('predict-image', { file: 'photo.jpg', data: b64(bytes) });
      expect(error.code).toMatch(code);
      expect(error.message).toMatch(/^(not-an-image|corrupt-image|empty-file): /);
      expect(error.message).not.toMatch(/\n\s+at /);
    }
    expect(await s.call<Stats>('catalogue-stats', {})).toEqual(before);
  });

  it('says so when the run has no model or its model expects another input size', async () => {
    const catalogPath = path.join(dir, 'c.sqlite');
    const pending = recordUntrainedRun(catalogPath, path.join(dir, 'runs'), { epochs: 1 });
    const png = b64(await grayPng('sad', 6));
    const noModel = await s.failure('predict-image', { file: 'a.png', data: png, runId: pending });
    expect(noModel.message).toMatch(/no saved model/);

    // A model built for 64×64 inputs, recorded as the run's saved model.
    const other = recordUntrainedRun(catalogPath, path.join(dir, 'runs'), { epochs: 1 });
    const modelDir = path.join(dir, 'wrong-size-model');
    // Building and saving a tiny model on the test's own thread; the studio predicts in its worker.
    await tf.setBackend('cpu');
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [64, 64, 1] }),
        tf.layers.dense({ units: 7, activation: 'softmax' }),
      ],
    });
    fs.mkdirSync(modelDir, { recursive: true });
    await model.save(fileIoHandler(modelDir));
    model.dispose();
    const catalogue = openCatalogue(catalogPath);
    createRunStore(catalogue.db).setModelPath(other, modelDir);
    catalogue.close();
    const wrong = await s.failure('predict-image', { file: 'a.png', data: png, runId: other });
    expect(wrong.message).toMatch(/expects input \[64,64,1\]/);
    // The studio still predicts with a good run afterwards.
    const ok = await s.call<Prediction>('predict-image', { file: 'a.png', data: png, runId });
    expect(ok.faces).toHaveLength(1);
  });
});

describe('predict-add-face', () => {
  it('adds a face to the train split as one undoable edit, with its provenance', async () => {
    const p = await s.call<Prediction>('predict-image', {
      file: 'new.png',
      data: b64(await grayPng('fear', 9)),
    });
    const face = p.faces[0];
    if (!face) throw new Error('no face');
    const before = await s.call<Stats>('catalogue-stats', {});
    const { imageId } = await s.call<{ imageId: number }>('predict-add-face', {
      file: 'new.png',
      box: face.box,
      crop: face.crop,
      label: 'surprise',
    });
    const after = await s.call<Stats>('catalogue-stats', {});
    expect(after.classes.surprise.train).toBe(before.classes.surprise.train + 1);
    expect(after.total).toBe(before.total + 1);
    const detail = await s.call<{ file: string; folder: string; split: string; label: string }>(
      'catalogue-image',
      {
        id: imageId,
      },
    );
    expect(detail).toMatchObject({ split: 'train', label: 'surprise', folder: 'predict: new.png' });
    expect(detail.file).toBe('new.png box 0,0,48,48');

    await s.call('labels-undo', {});
    const undone = await s.call<Stats>('catalogue-stats', {});
    expect(undone.total).toBe(before.total);
    expect(undone.classes.surprise.train).toBe(before.classes.surprise.train);

    // Adding the same face again after the undo relabels it back instead of failing.
    const again = await s.call<{ imageId: number }>('predict-add-face', {
      file: 'new.png',
      box: face.box,
      crop: face.crop,
      label: 'happy',
    });
    expect(again.imageId).toBe(imageId);
    expect((await s.call<Stats>('catalogue-stats', {})).classes.happy.train).toBe(
      before.classes.happy.train + 1,
    );
    const twice = await s.failure('predict-add-face', {
      file: 'new.png',
      box: face.box,
      crop: face.crop,
      label: 'sad',
    });
    expect(twice.message).toMatch(/already in the catalogue/);
  });
});

describe('fer-studio predict', () => {
  it('prints one JSON line per image, an error line for a bad file, and exits 1', async () => {
    fs.writeFileSync(path.join(dir, 'face.png'), await grayPng('angry', 11));
    fs.writeFileSync(path.join(dir, 'notes.jpg'), 'this is text');
    const r = await cli(
      '--json',
      '--run',
      String(runId),
      'face.png',
      'notes.jpg',
      '--annotate',
      'out',
    );
    expect(r.status).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ file: 'face.png', width: 48, height: 48 });
    expect(Object.keys(lines[0].faces[0].probabilities)).toEqual([
      'angry',
      'disgust',
      'fear',
      'happy',
      'neutral',
      'sad',
      'surprise',
    ]);
    expect(lines[1]).toEqual({
      file: 'notes.jpg',
      error: { code: 'not-an-image', message: expect.stringMatching(/not a JPEG/) },
    });
    const annotated = await sharp(path.join(dir, 'out', 'face.annotated.png')).metadata();
    expect([annotated.width, annotated.height]).toEqual([48, 48]);
  });
});

describe.skipIf(!hasFer)('faces in composed scenes (needs ../shared/fer2013)', () => {
  it('finds FER faces placed at known boxes, in a 640×480 and a 4000×3000 photo', async () => {
    for (const [width, height, sizes] of [
      [640, 480, [110, 140, 170]],
      [4000, 3000, [700, 850, 1000]],
    ] as const) {
      const scene = await composeScene({
        width,
        height,
        faces: pickFerFaces(3, 31),
        sizes: [...sizes],
        seed: 9,
      });
      const p = await s.call<Prediction>('predict-image', {
        file: 's.jpg',
        data: b64(await sceneJpeg(scene)),
      });
      expect([p.width, p.height]).toEqual([width, height]);
      expect(p.mode).toBe('detected');
      expect(p.faces).toHaveLength(3);
      for (const placed of scene.faces) {
        const [x, y, w, h] = placed.box;
        const hit = p.faces.find((f) => {
          const cx = f.box[0] + f.box[2] / 2;
          const cy = f.box[1] + f.box[3] / 2;
          return cx > x && cx < x + w && cy > y && cy < y + h;
        });
        expect(hit, `face at ${placed.box.join(',')}`).toBeDefined();
        expect(hit?.box[2]).toBeGreaterThan(w * 0.6);
        expect(hit?.box[2]).toBeLessThan(w * 1.6);
      }
    }
  });
});
