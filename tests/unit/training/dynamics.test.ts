import { describe, expect, it } from 'vitest';
import { createDynamics, dynamicsFromEpoch } from '../../../app/training/dynamics.ts';

describe('training dynamics', () => {
  it('skips the first quarter of a run, never epoch 1', () => {
    expect([1, 3, 8, 12, 30].map(dynamicsFromEpoch)).toEqual([2, 2, 3, 4, 8]);
  });

  it('averages what each image got from the first counted epoch; untrained images are NaN', () => {
    const d = createDynamics(3, 2, null, 2);
    d.add(1, [0], new Float32Array([1, 0])); // before the record starts
    d.add(2, [0, 1], new Float32Array([0.2, 0.8, 0.6, 0.4]));
    d.add(3, [0], new Float32Array([0.4, 0.6]));
    const { probs, epochs } = d.means();
    expect(Array.from(epochs)).toEqual([2, 1, 0]);
    expect(probs[0]).toBeCloseTo(0.3, 6);
    expect(probs[2]).toBeCloseTo(0.6, 6);
    expect(Number.isNaN(probs[4])).toBe(true);
  });

  it('resumes its record, with the start it had, only over the same data', () => {
    const d = createDynamics(2, 2, null, 3);
    d.add(3, [1], new Float32Array([0.5, 0.5]));
    const resumed = createDynamics(2, 2, d.encode(), 2);
    resumed.add(2, [1], new Float32Array([1, 0])); // epoch 2 < the resumed start 3: ignored
    resumed.add(4, [1], new Float32Array([0.1, 0.9]));
    expect(Array.from(resumed.means().epochs)).toEqual([0, 2]);
    expect(resumed.means().probs[2]).toBeCloseTo(0.3, 6);
    const other = createDynamics(5, 2, d.encode(), 2);
    expect(Array.from(other.means().epochs)).toEqual([0, 0, 0, 0, 0]);
    expect(other.encode().fromEpoch).toBe(2);
  });
});
