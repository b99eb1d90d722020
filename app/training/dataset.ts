import * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES, IMAGE_SIZE, PIXELS_PER_IMAGE } from '../contract/classes.ts';
import { createRng } from '../util/rng.ts';
import type { Rng } from '../util/rng.ts';
import { needsConversion, outputIndexOfClass, toModelInput } from '../preprocessing/index.ts';
import type { Preprocessing } from '../preprocessing/index.ts';
import { augmentInto, isNoAugmentation } from './augment.ts';
import type { Augmentation, ClassWeighting } from './config.ts';
import { recipePreprocessing } from './model-input.ts';

const NUM_CLASSES = CLASS_NAMES.length;

/** Training images, columnar: image i is pixels[i*2304 … (i+1)*2304) with class labels[i]. */
export interface TrainingData {
  pixels: Uint8Array;
  labels: Uint8Array | Int32Array;
  /** Catalogue ids, carried through so a split can be reported back. */
  ids?: number[];
}

export interface PreparedDataset {
  data: TrainingData;
  /** Indices into `data`. */
  train: Int32Array;
  validation: Int32Array;
  /** Training images per class, in class order. */
  trainCounts: number[];
  /** Per-class loss weight (all 1 for `none`); never NaN, also for an empty class. */
  classWeights: number[];
  warnings: string[];
  /** How un-augmented images (validation) become model input: the centre crop when cropping. */
  preprocessing: Preprocessing;
}

export interface Batch {
  xs: tf.Tensor4D;
  ys: tf.Tensor2D;
  /** Per-image loss weights, absent when every weight is 1. */
  sampleWeights?: tf.Tensor1D;
  size: number;
}

/** Throws a clear error for data that cannot train; returns the image count. */
export function validateTrainingData(data: TrainingData): number {
  const n = data.labels.length;
  if (n === 0) throw new Error('The dataset is empty: label at least two classes before training.');
  if (data.pixels.length !== n * PIXELS_PER_IMAGE) {
    throw new Error(
      `Pixel array length ${data.pixels.length} does not match ${n} labels × ${PIXELS_PER_IMAGE} (48×48) pixels.`,
    );
  }
  if (data.ids && data.ids.length !== n) {
    throw new Error(`Got ${data.ids.length} ids for ${n} labels.`);
  }
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const label = data.labels[i] ?? -1;
    if (!Number.isInteger(label) || label < 0 || label >= NUM_CLASSES) {
      throw new Error(`Label ${label} of image ${i} is not a class index 0…${NUM_CLASSES - 1}.`);
    }
    seen.add(label);
  }
  if (seen.size < 2) {
    const only = CLASS_NAMES[[...seen][0] ?? 0];
    throw new Error(`Only one class (${only}) has images: a classifier needs at least two.`);
  }
  return n;
}

export function classCounts(labels: ArrayLike<number>, indices?: ArrayLike<number>): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  const m = indices ? indices.length : labels.length;
  for (let k = 0; k < m; k++) {
    const i = indices ? (indices[k] ?? 0) : k;
    const label = labels[i] ?? 0;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

/**
 * Weights normalised so the average image weighs 1 (the learning rate keeps its meaning);
 * an empty class gets weight 0 instead of an infinite one.
 */
export function computeClassWeights(counts: number[], mode: ClassWeighting): number[] {
  if (mode === 'none') return counts.map(() => 1);
  const max = Math.max(...counts);
  const raw = counts.map((n) => {
    if (n === 0) return 0;
    const ratio = max / n;
    return mode === 'balanced' ? ratio : Math.sqrt(ratio);
  });
  const total = counts.reduce((s, n) => s + n, 0);
  const mean = counts.reduce((s, n, c) => s + n * (raw[c] ?? 0), 0) / total;
  return raw.map((w) => w / mean);
}

/** Per class, a seeded shuffle puts round(n·fraction) images in validation, always leaving one to train. */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  fraction: number,
  seed: number,
): { train: Int32Array; validation: Int32Array } {
  const rng = createRng(seed);
  const byClass: number[][] = Array.from({ length: NUM_CLASSES }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i] ?? 0]?.push(i);
  const train: number[] = [];
  const validation: number[] = [];
  for (const members of byClass) {
    rng.shuffle(members);
    const take = Math.min(Math.round(members.length * fraction), Math.max(0, members.length - 1));
    validation.push(...members.slice(0, take));
    train.push(...members.slice(take));
  }
  // Sorted so the split does not depend on class order; shuffling happens per epoch.
  return {
    train: Int32Array.from(train).sort(),
    validation: Int32Array.from(validation).sort(),
  };
}

export function prepareDataset(
  data: TrainingData,
  options: {
    validationFraction: number;
    seed: number;
    classWeighting: ClassWeighting;
    augmentation?: Augmentation;
    /** Fine-tuning keeps the parent model's record (an imported model's size, range, class order). */
    fineTune?: { preprocessing?: Preprocessing | undefined } | undefined;
  },
): PreparedDataset {
  validateTrainingData(data);
  const warnings: string[] = [];
  const { train, validation } = stratifiedSplit(
    data.labels,
    options.validationFraction,
    options.seed,
  );
  const trainCounts = classCounts(data.labels, train);
  const empty = CLASS_NAMES.filter((_, c) => trainCounts[c] === 0);
  if (empty.length > 0) {
    warnings.push(`No training images for ${empty.join(', ')}: the model will never predict them.`);
  }
  if (options.validationFraction > 0 && validation.length === 0) {
    warnings.push('Too few images for a validation set: monitoring the training loss instead.');
  }
  return {
    data,
    train,
    validation,
    trainCounts,
    classWeights: computeClassWeights(trainCounts, options.classWeighting),
    warnings,
    preprocessing:
      options.fineTune?.preprocessing ??
      recipePreprocessing({
        augmentation: options.augmentation ?? { crop: { size: IMAGE_SIZE } },
      }),
  };
}

/** A fresh permutation of the training indices, drawn from the run's RNG stream. */
export function epochOrder(indices: Int32Array, rng: Rng): Int32Array {
  const order = Array.from(indices);
  rng.shuffle(order);
  return Int32Array.from(order);
}

export function batchCount(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
}

/**
 * Builds one batch from `order[start … start+batchSize)`; the last batch may be smaller.
 * Augmentation draws from `rng` only when `aug` is given, so validation batches leave the stream alone.
 */
export function makeBatch(
  prepared: PreparedDataset,
  order: Int32Array,
  start: number,
  batchSize: number,
  options: { aug?: Augmentation; rng?: Rng; weighted?: boolean } = {},
): Batch {
  const { data, classWeights, preprocessing } = prepared;
  const end = Math.min(order.length, start + batchSize);
  const size = end - start;
  const side = preprocessing.inputHeight;
  const plane = side * side;
  // A fine-tuned imported model: its own output order and, below, its own input conversion.
  const outputs = preprocessing.classOrder.length;
  const outputOf = outputIndexOfClass(preprocessing);
  const convert = needsConversion(preprocessing);
  const ys = new Float32Array(size * outputs);
  const weights = new Float32Array(size);
  const augment = options.aug && options.rng && !isNoAugmentation(options.aug);
  let xs: Float32Array;
  if (augment && options.aug && options.rng && convert) {
    // Augment the 48×48 image, then convert it like any stored image (resize, range, channels).
    const bytes = new Uint8Array(size * PIXELS_PER_IMAGE);
    const scratch = new Float32Array(PIXELS_PER_IMAGE);
    const out = new Float32Array(PIXELS_PER_IMAGE);
    for (let k = 0; k < size; k++) {
      const base = (order[start + k] ?? 0) * PIXELS_PER_IMAGE;
      for (let j = 0; j < PIXELS_PER_IMAGE; j++) scratch[j] = (data.pixels[base + j] ?? 0) / 255;
      augmentInto(scratch, out, options.aug, options.rng, 0, 0);
      for (let j = 0; j < PIXELS_PER_IMAGE; j++)
        bytes[k * PIXELS_PER_IMAGE + j] = Math.round(Math.min(1, Math.max(0, out[j] ?? 0)) * 255);
    }
    xs = toModelInput(bytes, preprocessing);
  } else if (augment && options.aug && options.rng) {
    xs = new Float32Array(size * plane);
    const scratch = new Float32Array(PIXELS_PER_IMAGE);
    for (let k = 0; k < size; k++) {
      const base = (order[start + k] ?? 0) * PIXELS_PER_IMAGE;
      for (let j = 0; j < PIXELS_PER_IMAGE; j++) scratch[j] = (data.pixels[base + j] ?? 0) / 255;
      augmentInto(scratch, xs, options.aug, options.rng, 0, k * plane);
    }
  } else {
    // Un-augmented images go through the one stored-pixels → model-input conversion.
    const gathered = new Uint8Array(size * PIXELS_PER_IMAGE);
    for (let k = 0; k < size; k++) {
      const i = order[start + k] ?? 0;
      gathered.set(
        data.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE),
        k * PIXELS_PER_IMAGE,
      );
    }
    xs = toModelInput(gathered, preprocessing);
  }
  for (let k = 0; k < size; k++) {
    const label = data.labels[order[start + k] ?? 0] ?? 0;
    const target = outputOf[label] ?? -1;
    if (target >= 0) ys[k * outputs + target] = 1;
    // A class the model has no output for cannot be learned: its images weigh nothing.
    weights[k] = target >= 0 ? (classWeights[label] ?? 1) : 0;
  }
  const batch: Batch = {
    xs: tf.tensor4d(xs, [size, side, preprocessing.inputWidth, preprocessing.channels]),
    ys: tf.tensor2d(ys, [size, outputs]),
    size,
  };
  if (options.weighted && (classWeights.some((w) => w !== 1) || outputOf.includes(-1))) {
    batch.sampleWeights = tf.tensor1d(weights);
  }
  return batch;
}

export function disposeBatch(batch: Batch): void {
  batch.xs.dispose();
  batch.ys.dispose();
  batch.sampleWeights?.dispose();
}
