import { describe, expect, it } from 'vitest';
import { scoreProbabilities } from '../../../app/evaluation/score.ts';

const row = (...p: number[]) => [...p, ...new Array<number>(7 - p.length).fill(0)];

describe('scoreProbabilities', () => {
  it('predicts the most probable class, the first of a tie, and averages the cross-entropy', () => {
    const probs = new Float32Array([
      ...row(0.1, 0.7, 0.2),
      ...row(0.4, 0.4, 0.2),
      ...row(0, 0, 0, 0, 0, 0, 1),
    ]);
    const { predicted, loss } = scoreProbabilities([1, 1, 6], probs);
    expect([...predicted]).toEqual([1, 0, 6]);
    const expected = -(Math.log(0.7) + Math.log(0.4) + Math.log(1 - 1e-7)) / 3;
    expect(loss).toBeCloseTo(expected, 6);
  });

  it('keeps the loss finite for a confidently wrong prediction', () => {
    const { predicted, loss } = scoreProbabilities([0], new Float32Array(row(0, 1)));
    expect([...predicted]).toEqual([1]);
    expect(loss).toBeCloseTo(-Math.log(1e-7), 5);
    expect(Number.isFinite(loss)).toBe(true);
  });
});
