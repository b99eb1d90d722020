import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DecodeProblem } from '../../../app/importer/decode.ts';
import { cropFace, decodePhoto } from '../../../app/predict/photo.ts';
import { HUGE_SIDE, hugeFlatJpeg } from '../../fixtures/fixture-images.ts';

/** 40×20 gray image: left half black, right half white, a 4×4 mid-gray marker at the top-left. */
function marked(): Uint8Array {
  const px = new Uint8Array(40 * 20);
  for (let y = 0; y < 20; y++) for (let x = 0; x < 40; x++) px[y * 40 + x] = x < 20 ? 0 : 255;
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) px[y * 40 + x] = 128;
  return px;
}
const raw = { raw: { width: 40, height: 20, channels: 1 as const } };

async function problem(bytes: Uint8Array): Promise<DecodeProblem> {
  const error = await decodePhoto(bytes, 640).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DecodeProblem);
  return error as DecodeProblem;
}

describe('decodePhoto', () => {
  it('applies EXIF orientation: 6 (rotate 90° clockwise) gives an upright 20×40 image', async () => {
    const jpeg = await sharp(marked(), raw).png().toBuffer();
    const rotated = await sharp(jpeg).withMetadata({ orientation: 6 }).png().toBuffer();
    const photo = await decodePhoto(rotated, 640);
    expect([photo.width, photo.height]).toEqual([20, 40]);
    // Rotating 90° clockwise moves the top-left marker to the top-right corner.
    expect(photo.gray[0 * 20 + 19]).toBe(128);
    expect(photo.gray[0]).not.toBe(128);
    // The detection copy is upright too.
    expect([photo.detect.width, photo.detect.height]).toEqual([20, 40]);
  });

  it('reads CMYK JPEG, 16-bit PNG and the first frame of an animated GIF', async () => {
    const cmyk = await sharp(marked(), raw).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const fromCmyk = await decodePhoto(cmyk, 640);
    expect(fromCmyk.gray[30]).toBeGreaterThan(200);
    expect(fromCmyk.gray[10 * 40 + 5]).toBeLessThan(40);

    const png16 = await sharp(marked(), raw).toColourspace('grey16').png().toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe('ushort');
    const from16 = await decodePhoto(png16, 640);
    expect(from16.gray.length).toBe(800);
    expect(from16.gray[39]).toBeGreaterThan(240);

    const white = {
      create: { width: 40, height: 20, channels: 3 as const, background: '#ffffff' },
    };
    const frames = await Promise.all([
      sharp(marked(), raw).toColourspace('srgb').raw().toBuffer(),
      sharp(white).raw().toBuffer(),
    ]);
    const gif = await sharp(Buffer.concat(frames), {
      raw: { width: 40, height: 40, channels: 3, pageHeight: 20 },
    })
      .gif()
      .toBuffer();
    const animated = await decodePhoto(gif, 640);
    expect(animated.frames).toBe(2);
    expect([animated.width, animated.height]).toEqual([40, 20]);
    expect(animated.gray[10 * 40 + 5]).toBeLessThan(40);
  });

  it('downscales the detection copy of a large photo but keeps full-resolution gray for crops', async () => {
    const big = await sharp({
      create: { width: 4000, height: 3000, channels: 3, background: '#808080' },
    })
      .jpeg()
      .toBuffer();
    const photo = await decodePhoto(big, 640);
    expect([photo.width, photo.height]).toEqual([4000, 3000]);
    expect(photo.gray.length).toBe(12_000_000);
    expect([photo.detect.width, photo.detect.height]).toEqual([640, 480]);
    expect(photo.detect.rgb.length).toBe(640 * 480 * 3);
    expect(photo.detect.factor).toBeCloseTo(6.25);
  });

  it('detects on a downscaled copy of an 8000×8000 photo', async () => {
    const photo = await decodePhoto(await hugeFlatJpeg(), 608);
    expect([photo.width, photo.height]).toEqual([HUGE_SIDE, HUGE_SIDE]);
    expect(Math.max(photo.detect.width, photo.detect.height)).toBe(608);
    expect(photo.gray.length).toBe(photo.width * photo.height);
  });

  it('names what is wrong with bad files instead of throwing a library error', async () => {
    expect((await problem(new Uint8Array())).reason).toBe('empty-file');
    expect((await problem(new TextEncoder().encode('hello, not a picture'))).reason).toBe(
      'not-an-image',
    );
    const jpeg = await sharp(marked(), raw).jpeg().toBuffer();
    const truncated = await problem(jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    expect(truncated.reason).toBe('corrupt-image');
    expect(truncated.message).toMatch(/JPEG/);
    const header = Buffer.from(jpeg.subarray(0, 4));
    expect((await problem(Buffer.concat([header, Buffer.alloc(64, 7)]))).reason).toBe(
      'corrupt-image',
    );
  });
});

describe('cropFace', () => {
  it('cuts the square from the full-resolution gray and resizes it to 48×48', async () => {
    const photo = await decodePhoto(await sharp(marked(), raw).png().toBuffer(), 640);
    const right = await cropFace(photo, { x: 22, y: 2, size: 16 });
    expect(right.length).toBe(48 * 48);
    expect(Math.min(...right)).toBeGreaterThan(240);
    const left = await cropFace(photo, { x: 4, y: 4, size: 14 });
    expect(Math.max(...left)).toBeLessThan(15);
  });
});
