import { CLASS_NAMES, type ClassName } from '../contract/classes.ts';

const K = CLASS_NAMES.length;

export interface RankedIssue {
  id: number;
  label: ClassName;
  suggested: ClassName;
  confidence: number;
  selfConfidence: number;
}

/**
 * Confident learning (Northcutt et al., 2021): class c's threshold is the mean out-of-sample
 * probability of c over the images labelled c. An image is an issue when its most probable class
 * differs from its label and clears that class's threshold; issues are ranked by how much more
 * probable the suggestion is than the given label.
 */
export function rankLabelIssues(
  ids: readonly number[],
  labels: ArrayLike<number>,
  probs: Float32Array,
): RankedIssue[] {
  if (probs.length !== ids.length * K || labels.length !== ids.length)
    throw new Error(`${ids.length} ids, ${labels.length} labels, ${probs.length / K} predictions.`);
  const sums = new Array<number>(K).fill(0);
  const counts = new Array<number>(K).fill(0);
  for (let i = 0; i < ids.length; i++) {
    const c = labels[i] ?? 0;
    sums[c] = (sums[c] ?? 0) + (probs[i * K + c] ?? 0);
    counts[c] = (counts[c] ?? 0) + 1;
  }
  // A class nobody is labelled with has no threshold: it is never suggested.
  const thresholds = sums.map((s, c) => (counts[c] ? s / (counts[c] ?? 1) : Infinity));
  const issues: (RankedIssue & { margin: number })[] = [];
  for (let i = 0; i < ids.length; i++) {
    const given = labels[i] ?? 0;
    let best = 0;
    for (let c = 1; c < K; c++) if ((probs[i * K + c] ?? 0) > (probs[i * K + best] ?? 0)) best = c;
    const confidence = probs[i * K + best] ?? 0;
    if (best === given || confidence < (thresholds[best] ?? Infinity)) continue;
    const selfConfidence = probs[i * K + given] ?? 0;
    issues.push({
      id: ids[i] ?? 0,
      label: CLASS_NAMES[given] as ClassName,
      suggested: CLASS_NAMES[best] as ClassName,
      confidence,
      selfConfidence,
      margin: confidence - selfConfidence,
    });
  }
  issues.sort((a, b) => b.margin - a.margin || a.id - b.id);
  return issues.map(({ margin: _margin, ...issue }) => issue);
}
