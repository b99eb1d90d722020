import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { PIXELS_PER_IMAGE } from '../../../app/contract/classes.ts';
import {
  classCounts,
  computeClassWeights,
  disposeBatch,
  epochOrder,
  makeBatch,
  prepareDataset,
  stratifiedSplit,
} from '../../../app/training/dataset.ts';
import { createRng } from '../../../app/util/rng.ts';
import { barData, useCpu } from './helpers.ts';

const options = { validationFraction: 0.2, seed: 1, classWeighting: 'sqrt-balanced' as const };

beforeAll(useCpu);

/** Every batch of `order`, in order, as the training loop makes them. */
function* batchesOf(
  prepared: ReturnType<typeof prepareDataset>,
  order: Int32Array,
  batchSize: number,
): Generator<ReturnType<typeof makeBatch>> {
  for (let start = 0; start < order.length; start += batchSize)
    yield makeBatch(prepared, order, start, batchSize, { weighted: true });
}

describe('input validation', () => {
  test('empty dataset', () => {
    expect(() =>
      prepareDataset({ pixels: new Uint8Array(0), labels: new Uint8Array(0) }, options),
    ).toThrow(/empty/);
  });

  test('only one class', () => {
    const data = barData([0, 0, 0, 5, 0, 0, 0]);
    expect(() => prepareDataset(data, options)).toThrow(/Only one class \(happy\)/);
  });

  test('pixel array length mismatch', () => {
    const data = barData(2);
    expect(() =>
      prepareDataset({ pixels: data.pixels.subarray(0, 100), labels: data.labels }, options),
    ).toThrow(/Pixel array length 100 does not match 14 labels/);
  });

  test('label out of range and ids of the wrong length', () => {
    const data = barData(2);
    const labels = Int32Array.from(data.labels);
    labels[3] = 9;
    expect(() => prepareDataset({ ...data, labels }, options)).toThrow(/Label 9 of image 3/);
    expect(() => prepareDataset({ ...data, ids: [1, 2] }, options)).toThrow(/2 ids for 14 labels/);
  });

  test('a class with zero images trains, with a warning and a finite zero weight', () => {
    const prepared = prepareDataset(barData([10, 0, 10, 10, 10, 10, 10]), options);
    expect(prepared.warnings.join(' ')).toMatch(/No training images for disgust/);
    expect(prepared.classWeights[1]).toBe(0);
    expect(prepared.classWeights.every(Number.isFinite)).toBe(true);
  });
});

describe('stratifiedSplit', () => {
  const labels = barData([50, 5, 40, 100, 60, 30, 1]).labels;

  test('takes the fraction per class, keeps one training image, is seeded', () => {
    const { train, validation } = stratifiedSplit(labels, 0.2, 7);
    expect(classCounts(labels, validation)).toEqual([10, 1, 8, 20, 12, 6, 0]);
    expect(train.length + validation.length).toBe(labels.length);
    expect(new Set([...train, ...validation]).size).toBe(labels.length);
    expect(stratifiedSplit(labels, 0.2, 7)).toEqual({ train, validation });
    expect(stratifiedSplit(labels, 0.2, 8).validation).not.toEqual(validation);
  });

  test('fraction 0 keeps everything for training', () => {
    expect(stratifiedSplit(labels, 0, 1).validation).toHaveLength(0);
  });
});

describe('computeClassWeights', () => {
  test('sqrt-balanced and balanced are normalised to a mean image weight of 1', () => {
    const counts = [100, 25, 100, 400, 100, 100, 100];
    const total = counts.reduce((a, b) => a + b, 0);
    for (const mode of ['sqrt-balanced', 'balanced'] as const) {
      const w = computeClassWeights(counts, mode);
      expect(counts.reduce((s, n, c) => s + n * (w[c] ?? 0), 0) / total).toBeCloseTo(1, 12);
    }
    const sqrt = computeClassWeights(counts, 'sqrt-balanced');
    const full = computeClassWeights(counts, 'balanced');
    expect((sqrt[1] ?? 0) / (sqrt[3] ?? 1)).toBeCloseTo(4, 10);
    expect((full[1] ?? 0) / (full[3] ?? 1)).toBeCloseTo(16, 10);
    expect(computeClassWeights(counts, 'none')).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('batches', () => {
  test('fewer images than one batch give one smaller batch with [0,1] pixels and one-hot labels', () => {
    const data = barData(2);
    const prepared = prepareDataset(data, { ...options, validationFraction: 0 });
    const order = epochOrder(prepared.train, createRng(1));
    const batches = [...batchesOf(prepared, order, 64)];
    expect(batches).toHaveLength(1);
    const batch = batches[0];
    if (!batch) throw new Error('no batch');
    expect(batch.size).toBe(14);
    expect(batch.xs.shape).toEqual([14, 48, 48, 1]);
    expect(batch.ys.shape).toEqual([14, 7]);
    const xs = batch.xs.dataSync();
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1);
    const first = order[0] ?? 0;
    expect(xs[0]).toBeCloseTo((data.pixels[first * PIXELS_PER_IMAGE] ?? 0) / 255, 6);
    const ys = batch.ys.arraySync();
    ys.forEach((row, k) => {
      expect(row.reduce((a, b) => a + b, 0)).toBe(1);
      expect(row.indexOf(1)).toBe(data.labels[order[k] ?? 0]);
    });
    // Equal class counts: every weight is 1, so no weight tensor is made.
    expect(batch.sampleWeights).toBeUndefined();
    batches.forEach(disposeBatch);
  });

  test('imbalanced data gets per-image weights; the last batch is the remainder', () => {
    const before = tf.memory().numTensors;
    const prepared = prepareDataset(barData([20, 5, 20, 20, 20, 20, 20]), {
      ...options,
      validationFraction: 0,
    });
    const order = epochOrder(prepared.train, createRng(2));
    const sizes: number[] = [];
    for (const batch of batchesOf(prepared, order, 32)) {
      sizes.push(batch.size);
      const w = batch.sampleWeights?.dataSync() ?? [];
      const argMax = tf.argMax(batch.ys, -1);
      const labels = argMax.dataSync();
      argMax.dispose();
      labels.forEach((label, k) =>
        expect(w[k]).toBeCloseTo(prepared.classWeights[label] ?? NaN, 5),
      );
      disposeBatch(batch);
    }
    expect(sizes).toEqual([32, 32, 32, 29]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('epoch order is a seeded permutation', () => {
    const prepared = prepareDataset(barData(10), options);
    const a = epochOrder(prepared.train, createRng(3));
    expect([...a].sort((x, y) => x - y)).toEqual([...prepared.train]);
    expect(epochOrder(prepared.train, createRng(3))).toEqual(a);
    expect(a).not.toEqual(prepared.train);
  });
});
