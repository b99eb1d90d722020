import { CLASS_NAMES, PIXELS_PER_IMAGE, type ClassName } from '../contract/classes.ts';
import type { ProbabilityGroup, RankedIssue } from './confident-learning.ts';
import { readAsPeople, type LabelReading } from './people-reading.ts';

const K = CLASS_NAMES.length;

/**
 * The rules that turn probabilities into advice. Tuned on the crowd votes of FER-2013's voted train
 * half and validation, reported on test (docs/experiments.md, "Label cleaning"); the studio never
 * reads votes. By the model alone, relabel at 0.8: 97 % of those relabels got a label more
 * annotators chose, 3 % one fewer chose (38 on train, 40 on test); at 0.7 test had 13 % worse.
 * Read as people read FER-2013 (people-reading.ts), relabel at 0.6: 89–90 % better and 6–7 %
 * worse on the train halves, 86 / 11 on validation; at 0.5 the fear → surprise group fell to 2 : 1
 * on validation.
 */
export const SUGGESTION_RULES = {
  /** By the model alone: `relabel` only when the suggested class is at least this probable. */
  relabelAt: 0.8,
  /** The same threshold on the probabilities read as people read the labels. */
  peopleRelabelAt: 0.6,
  /**
   * Read as people read the labels, for k-fold rankings (`cross-validation`): short fold models are
   * less sure than a run's own, and at 0.6 the sad → neutral group was 3.4 : 1 against the crowd
   * (215 better, 64 worse). 0.8 is the lowest threshold at which every group was ≥ 4 : 1 on both
   * halves of the voted train images; 0.75, the choice of one half, was 3.0 : 1 on the other.
   */
  foldPeopleRelabelAt: 0.8,
  /** Pixel standard deviation (0–255) under which an image is not a usable face: `exclude`. */
  flatBelow: 8,
} as const;

export type SuggestionRules = { [K in keyof typeof SUGGESTION_RULES]: number };

/**
 * Ranks doubtful labels and advises on each (issue 22). An image is doubtful when the model
 * prefers another class to its label; doubt is 1 − the label's probability (lowest
 * self-confidence first: against the crowd it beat the confident-learning thresholds and a
 * per-class relative score at every k). With `reading` = `people` the probabilities are first
 * weighed by how people read FER-2013's labels (people-reading.ts): on FER-2013 test that put
 * 82 % labels the crowd rejects in the top 500, against 62 % for the model alone. The advice abstains where the evidence is weak:
 * `needs-look` when no class is convincing, `exclude` for a near-constant image (a blank or a
 * flat crop, not a face). Only `relabel` may be accepted in bulk.
 */
export function suggestLabels(
  groups: readonly ProbabilityGroup[],
  pixelsOf: (ids: readonly number[]) => Uint8Array,
  rules: SuggestionRules = SUGGESTION_RULES,
  reading: LabelReading = 'model',
): RankedIssue[] {
  const issues = groups.flatMap((group) => groupIssues(group, rules, reading));
  const spread = pixelSpread(pixelsOf(issues.map((issue) => issue.id)));
  issues.forEach((issue, i) => {
    if ((spread[i] ?? 0) < rules.flatBelow) issue.action = 'exclude';
  });
  issues.sort((a, b) => b.doubt - a.doubt || a.id - b.id);
  return issues;
}

function groupIssues(
  group: ProbabilityGroup,
  rules: SuggestionRules,
  reading: LabelReading,
): RankedIssue[] {
  const { ids, labels, probs, source } = group;
  if (probs.length !== ids.length * K || labels.length !== ids.length)
    throw new Error(`${ids.length} ids, ${labels.length} labels, ${probs.length / K} predictions.`);
  const issues: RankedIssue[] = [];
  const relabelAt =
    reading === 'model'
      ? rules.relabelAt
      : source === 'cross-validation'
        ? rules.foldPeopleRelabelAt
        : rules.peopleRelabelAt;
  for (let i = 0; i < ids.length; i++) {
    const given = labels[i] ?? 0;
    const row = probs.subarray(i * K, i * K + K);
    if (!Number.isFinite(row[given] ?? NaN)) continue;
    const q = reading === 'people' ? readAsPeople(row, given) : row;
    const p = (c: number) => q[c] ?? 0;
    let top = given === 0 ? 1 : 0;
    for (let c = 0; c < K; c++) if (c !== given && p(c) > p(top)) top = c;
    if (!(p(top) > p(given))) continue;
    issues.push({
      id: ids[i] ?? 0,
      label: CLASS_NAMES[given] as ClassName,
      suggested: CLASS_NAMES[top] as ClassName,
      confidence: p(top),
      selfConfidence: p(given),
      doubt: Math.min(1, Math.max(0, 1 - p(given))),
      action: p(top) >= relabelAt ? 'relabel' : 'needs-look',
      source,
    });
  }
  return issues;
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
