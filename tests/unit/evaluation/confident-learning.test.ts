import { describe, expect, it } from 'vitest';
import { rankLabelIssues } from '../../../app/evaluation/confident-learning.ts';
import { assignFolds, finishedFolds } from '../../../app/evaluation/folds.ts';

/** A row of 7 probabilities with `p` on class `c` and the rest spread evenly. */
const row = (c: number, p: number) =>
  Array.from({ length: 7 }, (_, k) => (k === c ? p : (1 - p) / 6));

const group = (ids: number[], labels: number[], probs: number[], held = false) => ({
  ids,
  labels,
  probs: new Float32Array(probs),
  source: held ? ('held-out' as const) : ('cross-validation' as const),
});

describe('confident-learning ranking', () => {
  it('flags labels less probable than their class threshold and beaten by another class', () => {
    const issues = rankLabelIssues([
      group(
        [1, 2, 3, 4, 5, 6, 7],
        [0, 0, 0, 3, 5, 5, 5],
        [
          ...row(0, 0.9), // 1: angry, agrees
          ...row(0, 0.7), // 2: angry, agrees
          ...row(3, 0.85), // 3: labelled angry (0.025 < angry's 0.54), happy clears its 0.8
          ...row(3, 0.8), // 4: happy, agrees
          ...row(3, 0.6), // 5: labelled sad (0.067 < sad's 0.19), happy below its 0.8: still top
          ...row(3, 0.95), // 6: labelled sad at 0.008: the most doubtful
          ...row(5, 0.5), // 7: sad, agrees
        ],
      ),
    ]);
    expect(issues.map((i) => [i.id, i.suggested])).toEqual([
      [6, 'happy'],
      [3, 'happy'],
      [5, 'happy'],
    ]);
    expect(issues[0]).toMatchObject({ label: 'sad', source: 'cross-validation' });
    expect(issues[0]?.confidence).toBeCloseTo(0.95, 5);
    expect(issues[0]?.selfConfidence).toBeCloseTo(0.05 / 6, 5);
    expect(issues[1]?.selfConfidence).toBeCloseTo(0.15 / 6, 5);
  });

  it('suggests by thresholds of its own source, and merges the sources by self-confidence', () => {
    const mixed = [0.05, 0.05, 0.35, 0.45, 0.05, 0.05, 0]; // angry image: happy top, fear second
    const issues = rankLabelIssues([
      // Fold models: happy's threshold 0.9, fear's 0.2, so the suggestion is fear, not happy.
      group(
        [1, 2, 3, 4, 5, 6],
        [3, 3, 2, 2, 0, 0],
        [...row(3, 0.9), ...row(3, 0.9), ...row(2, 0.2), ...row(2, 0.2), ...mixed, ...row(0, 0.9)],
      ),
      // The run's own model is surer of fear (0.95): pooled, fear's threshold would be 0.575.
      group(
        [11, 12, 13, 14],
        [2, 2, 0, 0],
        [
          ...row(2, 0.95),
          ...row(2, 0.95),
          ...row(0, 0.9),
          ...[0.02, 0.016, 0.9, 0.016, 0.016, 0.016, 0.016],
        ],
        true,
      ),
    ]);
    expect(issues.map((i) => [i.id, i.source, i.suggested])).toEqual([
      [14, 'held-out', 'fear'],
      [5, 'cross-validation', 'fear'],
    ]);
    expect(issues[1]?.confidence).toBeCloseTo(0.35, 5);
  });

  it('never suggests a class nobody is labelled with, and rejects mismatched input', () => {
    const probs = [...row(1, 0.99), ...row(0, 0.9)];
    expect(rankLabelIssues([group([1, 2], [0, 0], probs)])).toEqual([]);
    expect(() => rankLabelIssues([group([1], [0, 0], probs)])).toThrow(/1 ids, 2 labels/);
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

  it('counts a fold finished only when every one of its images is stored', () => {
    const ids = [10, 11, 12, 13, 14, 15];
    const folds = [0, 1, 2, 0, 1, 2];
    expect(finishedFolds([], ids, folds)).toEqual([]);
    expect(finishedFolds([10, 13, 11], ids, folds)).toEqual([0]);
    expect(finishedFolds([15, 14, 13, 12, 11, 10], ids, folds)).toEqual([0, 1, 2]);
    // An image of another run, or half a fold, finishes nothing.
    expect(finishedFolds([99, 12], ids, folds)).toEqual([]);
  });
});
