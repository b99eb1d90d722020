import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../app/evaluation/metrics.ts';

describe('computeMetrics', () => {
  it('matches a hand-computed example; rows are true classes, columns predictions', () => {
    // truth:     angry angry angry disgust fear fear
    // predicted: angry angry fear  angry   fear angry
    const m = computeMetrics([0, 0, 0, 1, 2, 2], [0, 0, 2, 0, 2, 0]);
    expect(m.accuracy).toBeCloseTo(3 / 6);
    expect(m.confusion[0]).toEqual([2, 0, 1, 0, 0, 0, 0]);
    expect(m.confusion[1]).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(m.confusion[2]).toEqual([1, 0, 1, 0, 0, 0, 0]);
    // angry: tp 2, predicted 4, support 3
    expect(m.perClass.angry.precision).toBeCloseTo(2 / 4);
    expect(m.perClass.angry.recall).toBeCloseTo(2 / 3);
    expect(m.perClass.angry.f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3));
    expect(m.perClass.fear).toMatchObject({ precision: 0.5, recall: 0.5, support: 2 });
  });

  it('gives 0, not NaN, for classes with no support or no predictions', () => {
    const m = computeMetrics([3, 3], [3, 4]);
    expect(m.perClass.sad).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.perClass.neutral).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.perClass.happy).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
  });

  it('refuses mismatched lengths', () => {
    expect(() => computeMetrics([0], [0, 1])).toThrow(/1 labels but 2 predictions/);
  });
});
