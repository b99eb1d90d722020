import sharp, { type Metadata } from 'sharp';
import { IMAGE_SIZE } from '../contract/classes.ts';
import { DecodeProblem, sniffFormat } from '../importer/decode.ts';
import { detectionSize, orientedSize, type Square } from './geometry.ts';

/** Photos above this many pixels are refused (a 10000×10000 image is 300 MB of RGB). */
export const MAX_PHOTO_PIXELS = 100_000_000;

/** A decoded photo, upright (EXIF orientation applied). */
export interface Photo {
  format: string;
  width: number;
  height: number;
  /** Full-resolution grayscale (alpha flattened onto black, as the importer does): crops come from here. */
  gray: Uint8Array;
  /** RGB copy with the longer side ≤ the detector's limit, and the factor back to full resolution. */
  detect: { rgb: Uint8Array; width: number; height: number; factor: number };
  /** Only the first frame of an animated GIF or WebP is used. */
  frames: number;
}

/** Why a photo cannot be predicted is the importer's DecodeProblem: the same reasons, for the user. */
function corrupt(format: string, error: unknown): DecodeProblem {
  return new DecodeProblem(
    'corrupt-image',
    `Cannot decode the ${format.toUpperCase()} data (truncated or damaged file): ${(error as Error).message}`,
  );
}

/**
 * Decodes a photo for prediction: JPEG, PNG, WebP, GIF (first frame), TIFF; colour, grayscale,
 * CMYK or 16-bit. One grayscale pass at full size (crops) and one downscaled RGB pass (detection)
 * run together, so a 12-megapixel photo is never held as full-size RGB.
 */
export async function decodePhoto(bytes: Uint8Array, detectMaxSide: number): Promise<Photo> {
  if (bytes.length === 0) throw new DecodeProblem('empty-file', 'The file is empty (0 bytes).');
  const format = sniffFormat(bytes);
  if (!format)
    throw new DecodeProblem(
      'not-an-image',
      'The content is not a JPEG, PNG, GIF, WebP or TIFF image.',
    );
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw corrupt(format, error);
  }
  const stored = { width: meta.width ?? 0, height: meta.height ?? 0 };
  if (stored.width * stored.height > MAX_PHOTO_PIXELS)
    throw new DecodeProblem(
      'too-large',
      `${stored.width}×${stored.height} has more than ${MAX_PHOTO_PIXELS / 1e6} megapixels; scale the photo down first.`,
    );
  const { width, height } = orientedSize(stored.width, stored.height, meta.orientation);
  const small = detectionSize(width, height, detectMaxSide);
  const input = () =>
    sharp(bytes, { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'error' }).rotate();
  try {
    const [gray, rgb] = await Promise.all([
      input()
        .flatten({ background: '#000000' })
        .grayscale()
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true }),
      input()
        .flatten({ background: '#000000' })
        .resize(small.width, small.height, { fit: 'fill' })
        .toColourspace('srgb')
        .removeAlpha()
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true }),
    ]);
    return {
      format,
      width: gray.info.width,
      height: gray.info.height,
      gray: firstChannel(gray.data, gray.info.channels),
      detect: {
        rgb: firstChannels(rgb.data, rgb.info.channels, 3),
        width: rgb.info.width,
        height: rgb.info.height,
        factor: gray.info.width / rgb.info.width,
      },
      frames: meta.pages ?? 1,
    };
  } catch (error) {
    if (error instanceof DecodeProblem) throw error;
    throw corrupt(format, error);
  }
}

function firstChannel(data: Buffer, channels: number): Uint8Array {
  return firstChannels(data, channels, 1);
}

/** Keeps the first `keep` of `channels` interleaved channels (libvips may hand back extra ones). */
function firstChannels(data: Buffer, channels: number, keep: number): Uint8Array {
  const plain = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (channels === keep) return plain;
  // Fewer channels than wanted (a grayscale detection copy): repeat the first one.
  const pick = (c: number) => (channels < keep ? 0 : c);
  const n = plain.length / channels;
  const out = new Uint8Array(n * keep);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < keep; c++) out[i * keep + c] = plain[i * channels + pick(c)] ?? 0;
  return out;
}

/**
 * The 48×48 crop the classifier sees, cut from the full-resolution grayscale with the importer's
 * resize (libvips lanczos3), so a predicted face is framed and filtered like a catalogue image.
 */
export async function cropFace(
  photo: Pick<Photo, 'gray' | 'width' | 'height'>,
  square: Square,
): Promise<Uint8Array> {
  // Copy the square out first: handing libvips the whole 12-megapixel buffer per face costs more
  // than the resize.
  const { x, y, size } = square;
  const region = new Uint8Array(size * size);
  for (let row = 0; row < size; row++) {
    const start = (y + row) * photo.width + x;
    region.set(photo.gray.subarray(start, start + size), row * size);
  }
  const out = await sharp(region, { raw: { width: size, height: size, channels: 1 } })
    .grayscale()
    .resize(IMAGE_SIZE, IMAGE_SIZE, { fit: 'cover' })
    .raw()
    .toBuffer();
  if (out.length !== IMAGE_SIZE * IMAGE_SIZE)
    throw new Error(
      `a face crop decoded to ${out.length} bytes, expected ${IMAGE_SIZE * IMAGE_SIZE}`,
    );
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** The whole image as one face crop (for inputs that already are crops, like FER's). */
export function wholeSquare(photo: Pick<Photo, 'width' | 'height'>): Square {
  const size = Math.min(photo.width, photo.height);
  return {
    x: Math.floor((photo.width - size) / 2),
    y: Math.floor((photo.height - size) / 2),
    size,
  };
}
