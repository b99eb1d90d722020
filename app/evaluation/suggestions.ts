import { CLASS_NAMES, PIXELS_PER_IMAGE, type ClassName } from '../contract/classes.ts';
import type { ProbabilityGroup, RankedIssue } from './confident-learning.ts';

const K = CLASS_NAMES.length;

/**
 * The rules that turn probabilities into advice. Tuned on the crowd votes of FER-2013 validation
 * and half of train (docs/experiments.md, "Label cleaning"); the studio never reads votes.
 */
export const SUGGESTION_RULES = {
  /** An image is doubtful when its label's probability is below this share of its class's mean. */
  flagBelow: 1,
  /** `relabel` only when the suggested class is at least this probable… */
  relabelAt: 0.5,
  /** …and at least this many times as probable as the label; otherwise `needs-look`. */
  relabelRatio: 2,
  /** Pixel standard deviation (0–255) under which an image is not a usable face: `exclude`. */
  flatBelow: 8,
} as const;

export type SuggestionRules = { [K in keyof typeof SUGGESTION_RULES]: number };

/**
 * Ranks doubtful labels and advises on each (issue 22). Per group (training dynamics, k-fold and
 * held-out models are not equally confident), class c's calibration is the mean probability of c
 * over the images labelled c. Doubt is 1 − the label's probability relative to that mean, so a
 * hard class (fear, whose own images average 0.4) is not flagged wholesale against an easy one
 * (happy, 0.8). The advice abstains where the evidence is weak: `needs-look` when no class is
 * convincing, `exclude` for a near-constant image (a blank or a flat crop, not a face).
 */
export function suggestLabels(
  groups: readonly ProbabilityGroup[],
  pixelsOf: (ids: readonly number[]) => Uint8Array,
  rules: SuggestionRules = SUGGESTION_RULES,
): RankedIssue[] {
  const issues = groups.flatMap((group) => groupIssues(group, rules));
  const spread = pixelSpread(pixelsOf(issues.map((issue) => issue.id)));
  issues.forEach((issue, i) => {
    if ((spread[i] ?? 0) < rules.flatBelow) issue.action = 'exclude';
  });
  issues.sort((a, b) => b.doubt - a.doubt || a.id - b.id);
  return issues;
}

function groupIssues(group: ProbabilityGroup, rules: SuggestionRules): RankedIssue[] {
  const { ids, labels, probs, source } = group;
  if (probs.length !== ids.length * K || labels.length !== ids.length)
    throw new Error(`${ids.length} ids, ${labels.length} labels, ${probs.length / K} predictions.`);
  const means = classMeans(labels, probs);
  const issues: RankedIssue[] = [];
  for (let i = 0; i < ids.length; i++) {
    const p = (c: number) => probs[i * K + c] ?? 0;
    const given = labels[i] ?? 0;
    const mean = means[given] ?? 0;
    if (!(mean > 0)) continue;
    const relative = p(given) / mean;
    if (relative >= rules.flagBelow) continue;
    let top = -1;
    for (let c = 0; c < K; c++)
      if (c !== given && Number.isFinite(means[c]) && (top < 0 || p(c) > p(top))) top = c;
    if (top < 0 || p(top) <= p(given)) continue;
    const convincing = p(top) >= rules.relabelAt && p(top) >= rules.relabelRatio * p(given);
    issues.push({
      id: ids[i] ?? 0,
      label: CLASS_NAMES[given] as ClassName,
      suggested: CLASS_NAMES[top] as ClassName,
      confidence: p(top),
      selfConfidence: p(given),
      doubt: Math.min(1, Math.max(0, 1 - relative)),
      action: convincing ? 'relabel' : 'needs-look',
      source,
    });
  }
  return issues;
}

/** Mean probability of each class over the images labelled with it; NaN for a class nobody has. */
function classMeans(labels: ArrayLike<number>, probs: Float32Array): number[] {
  const sums = new Array<number>(K).fill(0);
  const counts = new Array<number>(K).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i] ?? 0;
    sums[c] = (sums[c] ?? 0) + (probs[i * K + c] ?? 0);
    counts[c] = (counts[c] ?? 0) + 1;
  }
  return sums.map((s, c) => (counts[c] ? s / (counts[c] ?? 1) : NaN));
}

/** Standard deviation of each image's pixels (0–255). */
export function pixelSpread(pixels: Uint8Array): Float64Array {
  const n = Math.floor(pixels.length / PIXELS_PER_IMAGE);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let squares = 0;
    for (let k = i * PIXELS_PER_IMAGE; k < (i + 1) * PIXELS_PER_IMAGE; k++) {
      const v = pixels[k] ?? 0;
      sum += v;
      squares += v * v;
    }
    const mean = sum / PIXELS_PER_IMAGE;
    out[i] = Math.sqrt(Math.max(0, squares / PIXELS_PER_IMAGE - mean * mean));
  }
  return out;
}
