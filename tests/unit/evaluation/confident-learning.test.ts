import { describe, expect, it } from 'vitest';
import { rankLabelIssues } from '../../../app/evaluation/confident-learning.ts';
import { assignFolds } from '../../../app/evaluation/folds.ts';

/** A row of 7 probabilities with `p` on class `c` and the rest spread evenly. */
const row = (c: number, p: number) =>
  Array.from({ length: 7 }, (_, k) => (k === c ? p : (1 - p) / 6));

describe('confident-learning ranking', () => {
  it('flags confident disagreements above the class threshold, biggest margin first', () => {
    const probs = new Float32Array([
      ...row(0, 0.9), // 1: angry, agrees
      ...row(0, 0.7), // 2: angry, agrees
      ...row(3, 0.95), // 3: labelled angry, confidently happy
      ...row(3, 0.8), // 4: happy, agrees
      ...row(3, 0.6), // 5: labelled sad, happy at 0.6 < happy's threshold 0.8 → not flagged
      ...row(3, 0.85), // 6: labelled sad, happy at 0.85 → flagged, smaller margin than 3
      ...row(5, 0.5), // 7: sad, agrees
    ]);
    const issues = rankLabelIssues([1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 3, 5, 5, 5], probs);
    expect(issues.map((i) => i.id)).toEqual([3, 6]);
    expect(issues[0]).toMatchObject({ label: 'angry', suggested: 'happy' });
    expect(issues[0]?.confidence).toBeCloseTo(0.95, 5);
    expect(issues[0]?.selfConfidence).toBeCloseTo(0.05 / 6, 5);
  });

  it('never suggests a class nobody is labelled with, and rejects mismatched input', () => {
    const probs = new Float32Array([...row(1, 0.99), ...row(0, 0.9)]);
    expect(rankLabelIssues([1, 2], [0, 0], probs)).toEqual([]);
    expect(() => rankLabelIssues([1], [0, 0], probs)).toThrow(/1 ids, 2 labels/);
  });
});

describe('stratified folds', () => {
  it('deals each class evenly over the folds, reproducibly', () => {
    const labels = Uint8Array.from({ length: 700 }, (_, i) => i % 7);
    const folds = assignFolds(labels, 4, 1);
    expect(Array.from(assignFolds(labels, 4, 1))).toEqual(Array.from(folds));
    for (let c = 0; c < 7; c++) {
      const sizes = [0, 0, 0, 0];
      labels.forEach((l, i) => {
        if (l === c) sizes[folds[i] as number]! += 1;
      });
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(() => assignFolds(labels, 1, 1)).toThrow(/Fold count/);
  });
});
