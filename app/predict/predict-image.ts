import * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES, PIXELS_PER_IMAGE } from '../contract/classes.ts';
import type { Classifier } from './classifier.ts';
import type { FaceDetector } from './detector.ts';
import {
  DEFAULT_MARGIN,
  DEFAULT_SHIFT,
  faceSquare,
  roundBox,
  scaleBox,
  type Square,
} from './geometry.ts';
import { cropFace, decodePhoto, wholeSquare } from './photo.ts';

/** Images whose longer side is at most this are taken as one face crop (FER's are 48×48). */
export const SMALL_IMAGE_SIDE = 96;
/** TinyFaceDetector input for photos; see the README's predict benchmark for the choice. */
export const PHOTO_INPUT_SIZE = 608;
export const MIN_SCORE = 0.3;

export interface PredictOptions {
  /** false: the whole image is one face crop. */
  detect: boolean;
  inputSize?: number;
  minScore?: number;
  margin?: number;
  shift?: number;
}

export interface PredictedFace {
  /** [x, y, w, h] in the upright original's pixels. */
  box: [number, number, number, number];
  /** Detector confidence; null when the whole image was taken as the face. */
  score: number | null;
  /** The square the crop was cut from. */
  square: Square;
  /** The 48×48 grayscale crop the model saw. */
  crop: Uint8Array;
  /** In CLASS_NAMES order. */
  probabilities: number[];
}

export interface PredictedPhoto {
  format: string;
  width: number;
  height: number;
  frames: number;
  /** How faces were found: the detector, or the whole image (asked for, or a small image). */
  mode: 'detected' | 'whole-image';
  faces: PredictedFace[];
  ms: { decode: number; detect: number; classify: number };
}

/** Decode → detect (on a ≤ inputSize copy) → square crops from the original → classify, for one photo. */
export async function predictPhoto(
  bytes: Uint8Array,
  detector: FaceDetector | null,
  classifier: Classifier,
  options: PredictOptions,
): Promise<PredictedPhoto> {
  const inputSize = options.inputSize ?? PHOTO_INPUT_SIZE;
  const t0 = performance.now();
  const photo = await decodePhoto(bytes, inputSize);
  const t1 = performance.now();
  const small = Math.max(photo.width, photo.height) <= SMALL_IMAGE_SIDE;
  const whole = !options.detect || small || !detector;
  const found: { box: [number, number, number, number]; score: number | null; square: Square }[] =
    [];
  if (whole) {
    found.push({ box: [0, 0, photo.width, photo.height], score: null, square: wholeSquare(photo) });
  } else {
    const { rgb, width, height, factor } = photo.detect;
    const image = tf.tensor3d(rgb, [height, width, 3], 'int32');
    try {
      const detections = await detector.detect(image, {
        inputSize,
        minScore: options.minScore ?? MIN_SCORE,
      });
      for (const d of detections) {
        const box = scaleBox(d, factor);
        found.push({
          box: roundBox(box, photo.width, photo.height),
          score: d.score,
          square: faceSquare(
            box,
            photo.width,
            photo.height,
            options.margin ?? DEFAULT_MARGIN,
            options.shift ?? DEFAULT_SHIFT,
          ),
        });
      }
    } finally {
      image.dispose();
    }
    // Reading order: top to bottom, then left to right, so face numbers are stable.
    found.sort((a, b) => a.box[1] - b.box[1] || a.box[0] - b.box[0]);
  }
  const t2 = performance.now();
  const crops = await Promise.all(found.map((f) => cropFace(photo, f.square)));
  const batch = new Uint8Array(crops.length * PIXELS_PER_IMAGE);
  crops.forEach((c, i) => batch.set(c, i * PIXELS_PER_IMAGE));
  const probs = await classifier.classify(batch);
  const K = CLASS_NAMES.length;
  const t3 = performance.now();
  return {
    format: photo.format,
    width: photo.width,
    height: photo.height,
    frames: photo.frames,
    mode: whole ? 'whole-image' : 'detected',
    faces: found.map((f, i) => ({
      ...f,
      crop: crops[i] as Uint8Array,
      probabilities: Array.from(probs.subarray(i * K, (i + 1) * K)),
    })),
    ms: { decode: t1 - t0, detect: t2 - t1, classify: t3 - t2 },
  };
}
