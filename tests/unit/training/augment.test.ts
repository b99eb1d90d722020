import { describe, expect, test } from 'vitest';
import { PIXELS_PER_IMAGE } from '../../../app/contract/classes.ts';
import {
  IDENTITY,
  augmentInto,
  cropSquare,
  previewAugmentations,
  sampleAffine,
  sampleCrop,
  warpAffine,
} from '../../../app/training/augment.ts';
import { NO_AUGMENTATION, parseTrainConfig } from '../../../app/training/config.ts';
import { createRng } from '../../../app/util/rng.ts';

function randomImage(seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: PIXELS_PER_IMAGE }, () => rng.next());
}

function centroid(img: Float32Array): { x: number; y: number } {
  let sx = 0;
  let sy = 0;
  let s = 0;
  for (let j = 0; j < PIXELS_PER_IMAGE; j++) {
    const v = img[j] ?? 0;
    sx += v * (j % 48);
    sy += v * Math.floor(j / 48);
    s += v;
  }
  return { x: sx / s, y: sy / s };
}

function dot(x: number, y: number): Float32Array {
  const img = new Float32Array(PIXELS_PER_IMAGE);
  for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) img[(y + dy) * 48 + x + dx] = 1;
  return img;
}

// The default rotation, zoom, shift and flip, without the default recipe's crop.
const defaults = { ...parseTrainConfig({}).augmentation, crop: NO_AUGMENTATION.crop };

describe('warpAffine', () => {
  test('zero augmentation is the identity, bit for bit', () => {
    const src = randomImage(1);
    const dst = new Float32Array(PIXELS_PER_IMAGE);
    const rng = createRng(9);
    for (let i = 0; i < 5; i++) {
      augmentInto(src, dst, NO_AUGMENTATION, rng);
      expect(dst).toEqual(src);
    }
  });

  test('an integer shift through the bilinear path copies pixels exactly', () => {
    const src = randomImage(2);
    const dst = new Float32Array(PIXELS_PER_IMAGE);
    warpAffine(src, dst, { ...IDENTITY, tx: 3 }, 48);
    for (let y = 0; y < 48; y++) {
      for (let x = 3; x < 48; x++) expect(dst[y * 48 + x]).toBe(src[y * 48 + x - 3]);
    }
  });

  test('flipping twice is the identity; flipping once mirrors', () => {
    const src = randomImage(3);
    const once = new Float32Array(PIXELS_PER_IMAGE);
    const twice = new Float32Array(PIXELS_PER_IMAGE);
    warpAffine(src, once, { ...IDENTITY, flip: true });
    warpAffine(once, twice, { ...IDENTITY, flip: true });
    expect(twice).toEqual(src);
    expect(once[5 * 48 + 0]).toBe(src[5 * 48 + 47]);
    expect(once).not.toEqual(src);
  });

  test('a 90° rotation moves a dot a quarter turn about the centre', () => {
    const src = dot(35, 23);
    const dst = new Float32Array(PIXELS_PER_IMAGE);
    warpAffine(src, dst, { ...IDENTITY, angleRad: Math.PI / 2 });
    // (11.5, −0.5) from the centre turns into (0.5, 11.5): y points down, +x turns towards +y.
    const c = centroid(dst);
    expect(c.x).toBeCloseTo(24, 4);
    expect(c.y).toBeCloseTo(35, 4);
  });

  test('shift and zoom move and scale a dot as expected', () => {
    const dst = new Float32Array(PIXELS_PER_IMAGE);
    warpAffine(dot(20, 20), dst, { ...IDENTITY, tx: 5, ty: -4 });
    expect(centroid(dst)).toEqual({ x: 25, y: 16 });
    warpAffine(dot(33, 23), dst, { ...IDENTITY, scale: 1.2 });
    // 9.5 px right of the centre becomes 11.4 px.
    expect(centroid(dst).x).toBeCloseTo(23.5 + 9.5 * 1.2, 0);
  });

  test('bilinear output stays within the input range', () => {
    const src = randomImage(4);
    const dst = new Float32Array(PIXELS_PER_IMAGE);
    const rng = createRng(4);
    for (let i = 0; i < 20; i++) {
      augmentInto(
        src,
        dst,
        { ...NO_AUGMENTATION, rotationDeg: 30, horizontalFlip: true, zoom: 0.3, shift: 0.2 },
        rng,
      );
      expect(Math.min(...dst)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...dst)).toBeLessThanOrEqual(1);
    }
  });
});

describe('sampleAffine', () => {
  test('parameters stay within the configured ranges', () => {
    const rng = createRng(5);
    for (let i = 0; i < 500; i++) {
      const p = sampleAffine(defaults, rng);
      expect(Math.abs(p.angleRad)).toBeLessThanOrEqual((10 * Math.PI) / 180);
      expect(p.scale).toBeGreaterThanOrEqual(0.9);
      expect(p.scale).toBeLessThanOrEqual(1.1);
      expect(Math.abs(p.tx)).toBeLessThanOrEqual(4.8);
      expect(Math.abs(p.ty)).toBeLessThanOrEqual(4.8);
    }
  });

  test('turning flip off leaves the other parameters of the stream unchanged', () => {
    const a = sampleAffine(defaults, createRng(6));
    const b = sampleAffine({ ...defaults, horizontalFlip: false }, createRng(6));
    expect(b).toEqual({ ...a, flip: false });
  });
});

describe('previewAugmentations', () => {
  const face = Uint8Array.from({ length: PIXELS_PER_IMAGE }, (_, j) => (j * 7) % 256);

  test('same seed, same images; different seed, different images', () => {
    const a = previewAugmentations(face, defaults, 11, 6);
    const b = previewAugmentations(face, defaults, 11, 6);
    const c = previewAugmentations(face, defaults, 12, 6);
    expect(a).toHaveLength(6);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a[0]).toHaveLength(PIXELS_PER_IMAGE);
    expect(a[0]).not.toEqual(a[1]);
  });

  test('no augmentation returns the face unchanged', () => {
    for (const img of previewAugmentations(face, NO_AUGMENTATION, 1, 3)) expect(img).toEqual(face);
  });

  test('rejects an image of the wrong size', () => {
    expect(() => previewAugmentations(new Uint8Array(100), defaults, 1, 2)).toThrow(/2304/);
  });
});

describe('random crops', () => {
  const crop = (size: number, padding = 0) => ({ ...NO_AUGMENTATION, crop: { size, padding } });

  test('corners cover every position of the padded image, and only those', () => {
    const rng = createRng(3);
    const xs = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const { x, y } = sampleCrop(crop(44, 2), rng);
      xs.add(x);
      expect(y).toBeGreaterThanOrEqual(-2);
      expect(y).toBeLessThanOrEqual(6);
    }
    // 48 + 2·2 − 44 + 1 = 9 positions, from −2 to 6.
    expect([...xs].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3, 4, 5, 6]);
    expect(() => sampleCrop(crop(60), rng)).toThrow(/60 px\) is larger than the 48×48 image/);
  });

  test('a crop copies its window; outside the image the edge repeats', () => {
    const src = randomImage(5);
    const dst = new Float32Array(40 * 40);
    cropSquare(src, dst, 40, 3, 5);
    expect(dst[0]).toBe(src[5 * 48 + 3]);
    expect(dst[39 * 40 + 39]).toBe(src[44 * 48 + 42]);
    cropSquare(src, dst, 40, -2, 0);
    expect(dst[0]).toBe(src[0]);
    expect(dst[1]).toBe(src[0]);
    expect(dst[2]).toBe(src[0]);
    expect(dst[3]).toBe(src[1]);
  });

  test('without a crop the random stream is the one it always was', () => {
    const a = createRng(9);
    const b = createRng(9);
    const dst = new Float32Array(PIXELS_PER_IMAGE);
    augmentInto(randomImage(1), dst, defaults, a);
    sampleAffine(defaults, b);
    expect(a.next()).toBe(b.next());
  });

  test('previews are crop-sized: what the model sees', () => {
    const face = Uint8Array.from({ length: PIXELS_PER_IMAGE }, (_, i) => i % 251);
    const images = previewAugmentations(face, crop(40), 2, 3);
    expect(images.map((img) => img.length)).toEqual([1600, 1600, 1600]);
    // No affine part: each crop is an exact 40×40 window of the face.
    const first = images[0] as Uint8Array;
    const windows = [];
    for (let y = 0; y <= 8; y++)
      for (let x = 0; x <= 8; x++)
        if (first[0] === face[y * 48 + x] && first[1599] === face[(y + 39) * 48 + x + 39])
          windows.push([x, y]);
    expect(windows.length).toBeGreaterThan(0);
  });
});
