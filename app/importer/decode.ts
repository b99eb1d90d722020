import jpeg from 'jpeg-js';
import { decode as decodePng } from 'fast-png';
import sharp, { type Metadata } from 'sharp';
import { IMAGE_SIZE, PIXELS_PER_IMAGE } from '../contract/classes.ts';

/** Larger inputs are refused: a FER image is a small face crop, and decoding a poster-sized photo wastes seconds. */
export const MAX_INPUT_SIDE = 4096;

export type SkipReason =
  'empty-file' | 'not-an-image' | 'corrupt-image' | 'too-large' | 'unreadable';

export class DecodeProblem extends Error {
  readonly reason: SkipReason;
  constructor(reason: SkipReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface Decoded {
  /** 48×48 grayscale, row-major. */
  pixels: Uint8Array;
  format: string;
  width: number;
  height: number;
  resized: boolean;
  converted: boolean;
}

type Format = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff';

export function sniffFormat(bytes: Uint8Array): Format | null {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return 'png';
  if (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46) return 'gif';
  if (b(0) === 0x52 && b(1) === 0x49 && b(8) === 0x57 && b(9) === 0x45) return 'webp';
  if ((b(0) === 0x49 && b(1) === 0x49) || (b(0) === 0x4d && b(1) === 0x4d)) return 'tiff';
  return null;
}

/**
 * Reads a baseline JPEG's frame header. Hand-written because it only routes the common FER case
 * (48×48 single-channel, complete file) to the fast decoder; every decode is done by a library.
 */
function jpegFrame(
  bytes: Uint8Array,
): { width: number; height: number; components: number } | null {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1] as number;
    const length = ((bytes[i + 2] as number) << 8) | (bytes[i + 3] as number);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {
        height: ((bytes[i + 5] as number) << 8) | (bytes[i + 6] as number),
        width: ((bytes[i + 7] as number) << 8) | (bytes[i + 8] as number),
        components: bytes[i + 9] as number,
      };
    }
    i += 2 + length;
  }
  return null;
}

function endsWithEoi(bytes: Uint8Array): boolean {
  // Trailing padding after EOI is common; look at the last few bytes.
  for (let i = bytes.length - 2; i >= Math.max(0, bytes.length - 16); i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}

function fastPath(bytes: Uint8Array, format: Format): Decoded | null {
  if (format === 'jpeg') {
    const frame = jpegFrame(bytes);
    if (
      !frame ||
      frame.width !== IMAGE_SIZE ||
      frame.height !== IMAGE_SIZE ||
      frame.components !== 1
    ) {
      return null;
    }
    if (!endsWithEoi(bytes)) return null; // let libvips report the truncation
    const { data } = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxMemoryUsageInMB: 16,
    });
    // jpeg-js expands a single channel to RGB; keep one.
    const pixels = new Uint8Array(PIXELS_PER_IMAGE);
    for (let p = 0; p < PIXELS_PER_IMAGE; p++) pixels[p] = data[p * 3] as number;
    return {
      pixels,
      format,
      width: IMAGE_SIZE,
      height: IMAGE_SIZE,
      resized: false,
      converted: false,
    };
  }
  if (format === 'png' && bytes.length > 26) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    const depth = bytes[24];
    const colourType = bytes[25];
    if (width !== IMAGE_SIZE || height !== IMAGE_SIZE || depth !== 8 || colourType !== 0)
      return null;
    const png = decodePng(bytes);
    if (png.channels !== 1 || png.data.length !== PIXELS_PER_IMAGE) return null;
    return {
      pixels: new Uint8Array(png.data.buffer, png.data.byteOffset, PIXELS_PER_IMAGE),
      format,
      width,
      height,
      resized: false,
      converted: false,
    };
  }
  return null;
}

async function libvipsPath(bytes: Uint8Array, format: Format): Promise<Decoded> {
  const input = () =>
    sharp(bytes, { limitInputPixels: MAX_INPUT_SIDE * MAX_INPUT_SIDE, failOn: 'warning' });
  let meta: Metadata;
  try {
    // Header only, without the pixel limit, so an oversized image gets its own reason.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new DecodeProblem(
      'corrupt-image',
      `Cannot read the ${format.toUpperCase()} header: ${(error as Error).message}`,
    );
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width > MAX_INPUT_SIDE || height > MAX_INPUT_SIDE) {
    throw new DecodeProblem(
      'too-large',
      `${width}×${height} is larger than ${MAX_INPUT_SIDE}×${MAX_INPUT_SIDE}; FER images are small face crops.`,
    );
  }
  const colour = (meta.channels ?? 1) - (meta.hasAlpha ? 1 : 0) > 1;
  const converted = colour || Boolean(meta.hasAlpha);
  const resized = width !== IMAGE_SIZE || height !== IMAGE_SIZE;
  try {
    const pixels = await input()
      .flatten({ background: '#000000' })
      .grayscale()
      .resize(IMAGE_SIZE, IMAGE_SIZE, { fit: 'cover' })
      .raw()
      .toBuffer();
    if (pixels.length !== PIXELS_PER_IMAGE) {
      throw new Error(`decoded to ${pixels.length} bytes, expected ${PIXELS_PER_IMAGE}`);
    }
    return { pixels: new Uint8Array(pixels), format, width, height, resized, converted };
  } catch (error) {
    throw new DecodeProblem(
      'corrupt-image',
      `Cannot decode the ${format.toUpperCase()} data: ${(error as Error).message}`,
    );
  }
}

/** Decodes any supported image to 48×48 grayscale; throws DecodeProblem with a reason the report shows. */
export async function decodeImage(bytes: Uint8Array): Promise<Decoded> {
  if (bytes.length === 0) throw new DecodeProblem('empty-file', 'The file is empty (0 bytes).');
  const format = sniffFormat(bytes);
  if (!format) {
    throw new DecodeProblem(
      'not-an-image',
      'The content is not a JPEG, PNG, GIF, WebP or TIFF image.',
    );
  }
  try {
    const fast = fastPath(bytes, format);
    if (fast) return fast;
  } catch {
    // The fast decoders are strict about rare encodings; libvips decides.
  }
  return libvipsPath(bytes, format);
}
