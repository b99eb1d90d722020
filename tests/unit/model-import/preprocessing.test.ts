import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import {
  FER2013_CSV_ORDER,
  IDENTITY_PREPROCESSING,
  isIdentity,
  preprocessingSchema,
  toModelInput,
  toStudioProbabilities,
  type Preprocessing,
} from '../../../app/preprocessing/index.ts';

/** Image i has pixel p = (i * 7 + p * 13) % 256: every position distinguishable. */
function images(count: number): Uint8Array {
  const out = new Uint8Array(count * 2304);
  for (let i = 0; i < count; i++)
    for (let p = 0; p < 2304; p++) out[i * 2304 + p] = (i * 7 + p * 13) % 256;
  return out;
}

const record = (over: Partial<Preprocessing>): Preprocessing => ({
  ...IDENTITY_PREPROCESSING,
  ...over,
});

describe('toModelInput', () => {
  it('gives exactly pixel / 255 for the identity record (studio-trained runs)', () => {
    const pixels = images(2);
    const input = toModelInput(pixels, IDENTITY_PREPROCESSING);
    expect(input.length).toBe(2 * 2304);
    input.forEach((v, i) => expect(v).toBe(Math.fround((pixels[i] as number) / 255)));
    expect(isIdentity(IDENTITY_PREPROCESSING)).toBe(true);
  });

  it('resizes like tf.image.resizeBilinear with half-pixel centres, up and down', async () => {
    const pixels = images(2);
    for (const side of [64, 32, 71]) {
      const ours = toModelInput(
        pixels,
        record({ inputHeight: side, inputWidth: side, range: '0,255' }),
      );
      const tensor = tf.tidy(() =>
        tf.image.resizeBilinear(
          tf.tensor4d(pixels, [2, 48, 48, 1], 'float32'),
          [side, side],
          false,
          true,
        ),
      );
      const theirs = await tensor.data();
      tensor.dispose();
      expect(ours.length).toBe(theirs.length);
      let worst = 0;
      ours.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (theirs[i] as number)))));
      expect(worst).toBeLessThan(1e-3);
    }
    expect(isIdentity(record({ inputHeight: 64, inputWidth: 64 }))).toBe(false);
  });

  it('takes the centre crop, replicates gray into 3 channels and scales each range', () => {
    const pixels = images(1);
    const crop = toModelInput(pixels, record({ inputHeight: 40, inputWidth: 40, centerCrop: 40 }));
    expect(crop.length).toBe(1600);
    // Offset 4: output (0, 0) is stored pixel (4, 4), output (1, 2) is (5, 6).
    expect(crop[0]).toBe(Math.fround((pixels[4 * 48 + 4] as number) / 255));
    expect(crop[40 + 2]).toBe(Math.fround((pixels[5 * 48 + 6] as number) / 255));
    const rgb = toModelInput(pixels, record({ channels: 3, range: '-1,1' }));
    expect(rgb.length).toBe(3 * 2304);
    const v = (pixels[100] as number) / 127.5 - 1;
    expect([rgb[300], rgb[301], rgb[302]].map((x) => x as number)).toEqual(
      [v, v, v].map(Math.fround),
    );
    const raw = toModelInput(pixels, record({ range: '0,255' }));
    expect(raw[100]).toBe(pixels[100]);
  });
});

describe('toStudioProbabilities', () => {
  it('reorders FER-2013 CSV outputs into the studio class order', () => {
    const p = record({ classOrder: [...FER2013_CSV_ORDER] });
    const out = toStudioProbabilities(Float32Array.from([0, 0.1, 0.2, 0.3, 0.15, 0.05, 0.2]), p);
    const byName = Object.fromEntries(CLASS_NAMES.map((c, i) => [c, out[i]]));
    expect(byName['sad']).toBeCloseTo(0.15, 6);
    expect(byName['surprise']).toBeCloseTo(0.05, 6);
    expect(byName['neutral']).toBeCloseTo(0.2, 6);
    expect(byName['happy']).toBeCloseTo(0.3, 6);
  });

  it('drops unmapped outputs and renormalises the rest', () => {
    const p = record({ classOrder: [...CLASS_NAMES, null] });
    const out = toStudioProbabilities(
      Float32Array.from([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.2]),
      p,
    );
    expect(out.length).toBe(7);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(out[6]).toBeCloseTo(0.25, 6);
  });

  it('refuses a class mapped twice', () => {
    const bad = record({ classOrder: ['happy', 'happy', 'sad'] });
    expect(preprocessingSchema.safeParse(bad).success).toBe(false);
  });
});
