import { CLASS_NAMES } from '../contract/classes.ts';

const K = CLASS_NAMES.length;

/**
 * How a label is judged: `people` weighs the model's probabilities by how people read FER-2013's
 * labels (below); `model` takes the model's probabilities alone.
 */
export type LabelReading = 'people' | 'model';

/**
 * How people read FER-2013's labels: row = the FER-2013 label, column = the share of the crowd's
 * emotion votes per class, both in CLASS_NAMES order (angry … surprise). Aggregate figures from
 * FER+ (10 crowd workers per image) over the 14,268 FER-2013 train images whose votes we have;
 * no image's votes are in the studio, and it never reads the votes file. They say, for instance,
 * that people chose fear for only 14 % of FER-2013's fear images (31 % neutral, 24 % sad), and that
 * happy, neutral and surprise labels are mostly read as labelled. A model trained on FER-2013's
 * labels cannot know this: it learns the labels' own habits.
 */
export const PEOPLE_READING: readonly (readonly number[])[] = [
  [0.414, 0.042, 0.022, 0.047, 0.299, 0.107, 0.069],
  [0.195, 0.32, 0.028, 0.04, 0.172, 0.205, 0.04],
  [0.098, 0.017, 0.14, 0.042, 0.313, 0.242, 0.147],
  [0.006, 0.002, 0.003, 0.876, 0.075, 0.007, 0.031],
  [0.018, 0.006, 0.003, 0.089, 0.761, 0.106, 0.018],
  [0.036, 0.013, 0.011, 0.023, 0.462, 0.437, 0.018],
  [0.021, 0.005, 0.077, 0.081, 0.113, 0.018, 0.686],
];

/** Exponents of the product; tuned on the voted train half and validation (docs/experiments.md). */
export const PEOPLE_WEIGHTS = { model: 1, people: 1 } as const;

/**
 * One image's probabilities as people would read its label: q(c) ∝ p(c)^model · R[label][c]^people,
 * normalised. With people = 0 it is the model's own distribution.
 */
export function readAsPeople(
  probs: ArrayLike<number>,
  label: number,
  weights: { model: number; people: number } = PEOPLE_WEIGHTS,
): Float64Array {
  const row = PEOPLE_READING[label];
  if (!row) throw new Error(`No class ${label}: labels are 0…${K - 1}.`);
  const out = new Float64Array(K);
  let sum = 0;
  for (let c = 0; c < K; c++) {
    const p = Math.max(1e-6, probs[c] ?? 0);
    const r = Math.max(1e-4, row[c] ?? 0);
    out[c] = Math.pow(p, weights.model) * Math.pow(r, weights.people);
    sum += out[c] ?? 0;
  }
  for (let c = 0; c < K; c++) out[c] = (out[c] ?? 0) / sum;
  return out;
}
