import { IMAGE_SIZE, PIXELS_PER_IMAGE } from '../contract/classes.ts';
import { createRng } from '../util/rng.ts';
import type { Rng } from '../util/rng.ts';
import type { Augmentation } from './config.ts';

/** One sampled transform: output = shift ∘ rotate ∘ zoom ∘ flip (input), about the image centre. */
export interface AffineParams {
  angleRad: number;
  flip: boolean;
  /** > 1 zooms in. */
  scale: number;
  /** Shift in pixels. */
  tx: number;
  ty: number;
}

export const IDENTITY: AffineParams = { angleRad: 0, flip: false, scale: 1, tx: 0, ty: 0 };

/**
 * Always draws five numbers, so turning one component off does not change the others' stream
 * (a preview keeps its look while the user toggles flip).
 */
export function sampleAffine(aug: Augmentation, rng: Rng, size = IMAGE_SIZE): AffineParams {
  const angle = rng.uniform(-1, 1) * aug.rotationDeg;
  const flip = rng.next() < 0.5;
  const zoom = rng.uniform(-1, 1) * aug.zoom;
  const tx = rng.uniform(-1, 1) * aug.shift * size;
  const ty = rng.uniform(-1, 1) * aug.shift * size;
  return {
    angleRad: (angle * Math.PI) / 180,
    flip: aug.horizontalFlip && flip,
    scale: 1 + zoom,
    tx,
    ty,
  };
}

/**
 * Inverse-maps every output pixel into the source and samples bilinearly; outside the image the
 * nearest edge pixel is used (Keras' `fill_mode='nearest'`), so no black corners teach the model
 * that borders matter.
 */
export function warpAffine(
  src: Float32Array,
  dst: Float32Array,
  p: AffineParams,
  size = IMAGE_SIZE,
  srcOffset = 0,
  dstOffset = 0,
): void {
  const c = (size - 1) / 2;
  if (p.angleRad === 0 && p.scale === 1 && p.tx === 0 && p.ty === 0) {
    // Pure copy or mirror: exact, and the common case when only flipping.
    for (let y = 0; y < size; y++) {
      const row = y * size;
      for (let x = 0; x < size; x++) {
        dst[dstOffset + row + x] = src[srcOffset + row + (p.flip ? size - 1 - x : x)] ?? 0;
      }
    }
    return;
  }
  // Inverse of R·S: rotate by −θ and divide by the scale.
  const cos = Math.cos(p.angleRad) / p.scale;
  const sin = Math.sin(p.angleRad) / p.scale;
  const max = size - 1;
  for (let y = 0; y < size; y++) {
    const dy = y - c - p.ty;
    for (let x = 0; x < size; x++) {
      const dx = x - c - p.tx;
      let sx = cos * dx + sin * dy;
      const sy = -sin * dx + cos * dy + c;
      sx = p.flip ? c - sx : c + sx;
      const cx = sx < 0 ? 0 : sx > max ? max : sx;
      const cy = sy < 0 ? 0 : sy > max ? max : sy;
      const x0 = Math.floor(cx);
      const y0 = Math.floor(cy);
      const x1 = x0 < max ? x0 + 1 : x0;
      const y1 = y0 < max ? y0 + 1 : y0;
      const fx = cx - x0;
      const fy = cy - y0;
      const base = srcOffset;
      const a = src[base + y0 * size + x0] ?? 0;
      const b = src[base + y0 * size + x1] ?? 0;
      const d = src[base + y1 * size + x0] ?? 0;
      const e = src[base + y1 * size + x1] ?? 0;
      const top = a + (b - a) * fx;
      const bottom = d + (e - d) * fx;
      dst[dstOffset + y * size + x] = top + (bottom - top) * fy;
    }
  }
}

/**
 * A crop that changes something: not the image's own size, or padded so it can shift. (A crop
 * larger than the image counts, so sampleCrop refuses it instead of it being ignored.)
 */
export function isCropping(aug: Augmentation): boolean {
  return aug.crop.size !== IMAGE_SIZE || aug.crop.padding > 0;
}

export function isNoAugmentation(aug: Augmentation): boolean {
  return (
    aug.rotationDeg === 0 &&
    !aug.horizontalFlip &&
    aug.zoom === 0 &&
    aug.shift === 0 &&
    !isCropping(aug)
  );
}

/**
 * Copies the `size`×`size` square at (x0, y0) of one `side`×`side` image into `dst`. Corners may
 * lie outside the image (padded crops): outside pixels repeat the nearest edge, like the affine
 * warp's fill, so padding never teaches the model black borders.
 */
export function cropSquare(
  src: Float32Array,
  dst: Float32Array,
  size: number,
  x0: number,
  y0: number,
  srcOffset = 0,
  dstOffset = 0,
  side = IMAGE_SIZE,
): void {
  const max = side - 1;
  for (let y = 0; y < size; y++) {
    const row = srcOffset + Math.min(max, Math.max(0, y0 + y)) * side;
    const out = dstOffset + y * size;
    for (let x = 0; x < size; x++) {
      dst[out + x] = src[row + Math.min(max, Math.max(0, x0 + x))] ?? 0;
    }
  }
}

/** A random crop's corner: uniform over every position inside the padded image. */
export function sampleCrop(aug: Augmentation, rng: Rng): { x: number; y: number } {
  const { size, padding } = aug.crop;
  const positions = IMAGE_SIZE + 2 * padding - size + 1;
  if (positions < 1) {
    throw new Error(
      `The random crop (${size} px) is larger than the ${IMAGE_SIZE}×${IMAGE_SIZE} image with ${padding} px padding.`,
    );
  }
  return { x: rng.int(positions) - padding, y: rng.int(positions) - padding };
}

/**
 * Samples a transform from `rng` and warps one 48×48 image from `src` into `dst`; with a crop,
 * `dst` receives the crop.size² random crop of the warped image (two more draws from `rng`, only
 * when cropping, so recipes without a crop keep their stream).
 */
export function augmentInto(
  src: Float32Array,
  dst: Float32Array,
  aug: Augmentation,
  rng: Rng,
  srcOffset = 0,
  dstOffset = 0,
): void {
  const params = sampleAffine(aug, rng);
  if (!isCropping(aug)) {
    warpAffine(src, dst, params, IMAGE_SIZE, srcOffset, dstOffset);
    return;
  }
  const warped = new Float32Array(PIXELS_PER_IMAGE);
  warpAffine(src, warped, params, IMAGE_SIZE, srcOffset, 0);
  const { x, y } = sampleCrop(aug, rng);
  cropSquare(warped, dst, aug.crop.size, x, y, 0, dstOffset);
}

/**
 * `n` augmented variants of one face, for the UI's live preview; the same seed gives the same
 * images. Each is crop.size² pixels: with a crop the preview shows what the model sees.
 */
export function previewAugmentations(
  pixels: Uint8Array,
  aug: Augmentation,
  seed: number,
  n: number,
): Uint8Array[] {
  if (pixels.length !== PIXELS_PER_IMAGE) {
    throw new Error(`Expected ${PIXELS_PER_IMAGE} pixels (48×48), got ${pixels.length}`);
  }
  const rng = createRng(seed);
  const src = Float32Array.from(pixels);
  const side = isCropping(aug) ? aug.crop.size : IMAGE_SIZE;
  const dst = new Float32Array(side * side);
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    augmentInto(src, dst, aug, rng);
    const image = new Uint8Array(side * side);
    for (let j = 0; j < image.length; j++) image[j] = Math.round(dst[j] ?? 0);
    out.push(image);
  }
  return out;
}
