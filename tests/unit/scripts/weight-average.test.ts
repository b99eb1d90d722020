import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWeightAverage } from '../../../scripts/weight-average.ts';
import { useCpu } from '../training/helpers.ts';

beforeAll(useCpu);

describe('createWeightAverage', () => {
  it('is the element-wise mean of the weight sets added, and keeps no tensor after dispose', () => {
    const before = tf.memory().numTensors;
    const average = createWeightAverage();
    const sets = [
      [tf.tensor2d([[1, 2]]), tf.tensor1d([10])],
      [tf.tensor2d([[3, 6]]), tf.tensor1d([20])],
      [tf.tensor2d([[5, 1]]), tf.tensor1d([-3])],
    ];
    for (const set of sets) average.add(set);
    expect(average.count).toBe(3);
    tf.dispose(sets.flat()); // the average keeps its own copies
    const mean = average.mean();
    expect(Array.from(mean[0]?.dataSync() ?? [])).toEqual([3, 3]);
    expect(Array.from(mean[1]?.dataSync() ?? [])).toEqual([9]);
    tf.dispose(mean);
    average.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a weight set of another shape, and a mean of nothing', () => {
    const average = createWeightAverage();
    expect(() => average.mean()).toThrow('No weights were added');
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([3, 2]);
    average.add([a]);
    expect(() => average.add([b])).toThrow('Weight 0 has shape [3,2], the average [2,3].');
    expect(() => average.add([a, b])).toThrow('Expected 1 weights to average, got 2.');
    expect(average.count).toBe(1);
    tf.dispose([a, b]);
    average.dispose();
  });
});
