import { IMAGE_SIZE, PIXELS_PER_IMAGE } from '../contract/classes.ts';
import { IDENTITY_PREPROCESSING, type InputRange, type Preprocessing } from './record.ts';

/** pixel byte → model value, per range. */
const SCALE: Record<InputRange, (v: number) => number> = {
  '0,1': (v) => v / 255,
  '-1,1': (v) => v / 127.5 - 1,
  '0,255': (v) => v,
};

/** Values per image the model takes (H × W × C). */
export function inputSize(p: Preprocessing): number {
  return p.inputHeight * p.inputWidth * p.channels;
}

/**
 * Bilinear resampling with half-pixel centres: the same sampling as tf.image.resize (TF 2),
 * tf.image.resizeBilinear(alignCorners=false, halfPixelCenters=true) and OpenCV's INTER_LINEAR,
 * which is what Python FER pipelines resize with. No antialiasing (none of those apply it either).
 */
function resizeBilinear(
  src: ArrayLike<number>,
  srcOffset: number,
  side: number,
  stride: number,
  outH: number,
  outW: number,
  dst: Float32Array,
): void {
  const sy = side / outH;
  const sx = side / outW;
  for (let y = 0; y < outH; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(side - 1, Math.floor(fy));
    const y1 = Math.min(side - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < outW; x++) {
      const fx = Math.max(0, (x + 0.5) * sx - 0.5);
      const x0 = Math.min(side - 1, Math.floor(fx));
      const x1 = Math.min(side - 1, x0 + 1);
      const wx = fx - x0;
      const at = (r: number, c: number) => (src[srcOffset + r * stride + c] as number) ?? 0;
      const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * wx;
      const bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * wx;
      dst[y * outW + x] = top + (bottom - top) * wy;
    }
  }
}

/**
 * Turns `count` stored 48×48 grayscale images (row-major bytes) into the run's NHWC model input:
 * centre crop, bilinear resize to H×W, gray replicated to `channels`, scaled to the range.
 * The identity record gives exactly pixel / 255, so studio-trained runs see what they trained on.
 */
export function toModelInput(
  pixels: Uint8Array,
  p: Preprocessing = IDENTITY_PREPROCESSING,
): Float32Array {
  const count = Math.floor(pixels.length / PIXELS_PER_IMAGE);
  const crop = p.centerCrop ?? IMAGE_SIZE;
  const cropOffset = Math.floor((IMAGE_SIZE - crop) / 2);
  const plane = p.inputHeight * p.inputWidth;
  const same = crop === p.inputHeight && crop === p.inputWidth;
  const scale = SCALE[p.range];
  const out = new Float32Array(count * plane * p.channels);
  const gray = new Float32Array(plane);
  for (let n = 0; n < count; n++) {
    const base = n * PIXELS_PER_IMAGE + cropOffset * IMAGE_SIZE + cropOffset;
    if (same) {
      for (let y = 0; y < crop; y++)
        for (let x = 0; x < crop; x++)
          gray[y * crop + x] = pixels[base + y * IMAGE_SIZE + x] as number;
    } else resizeBilinear(pixels, base, crop, IMAGE_SIZE, p.inputHeight, p.inputWidth, gray);
    const target = n * plane * p.channels;
    for (let i = 0; i < plane; i++) {
      const v = scale(gray[i] as number);
      for (let c = 0; c < p.channels; c++) out[target + i * p.channels + c] = v;
    }
  }
  return out;
}
