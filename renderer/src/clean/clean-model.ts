import type { ClassName, Evaluation, Label, LabelIssue } from '../../../app/contract/index.ts';
import { CLASS_LIST } from '../classes.ts';

/** The section for issues no class convincingly fixes: looked at one by one, never in bulk. */
export const REVIEW_GROUP = 'review';

export interface IssueGroup {
  /** `label>suggested`, or REVIEW_GROUP. */
  key: string;
  label: ClassName | null;
  suggested: ClassName | null;
  count: number;
}

export const groupKey = (issue: LabelIssue): string =>
  issue.action === 'relabel' ? `${issue.label}>${issue.suggested}` : REVIEW_GROUP;

/** Relabel suggestions by label → suggestion, most images first; the review section after them. */
export function groupIssues(open: readonly LabelIssue[]): IssueGroup[] {
  const groups = new Map<string, IssueGroup>();
  let review = 0;
  for (const issue of open) {
    const key = groupKey(issue);
    if (key === REVIEW_GROUP) {
      review += 1;
      continue;
    }
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { key, label: issue.label, suggested: issue.suggested, count: 1 });
  }
  const sorted = [...groups.values()].sort(
    (a, b) => b.count - a.count || a.key.localeCompare(b.key),
  );
  return review > 0
    ? [...sorted, { key: REVIEW_GROUP, label: null, suggested: null, count: review }]
    : sorted;
}

/** Near chance: the run's test accuracy is within 5 points of always guessing its commonest class. */
export function nearChance(evaluation: Pick<Evaluation, 'accuracy' | 'images' | 'perClass'>) {
  const supports = Object.values(evaluation.perClass).map((c) => c.support);
  const chance = evaluation.images > 0 ? Math.max(...supports) / evaluation.images : 1;
  return { chance, near: evaluation.accuracy < chance + 0.05 };
}

/** A class's own key besides its digit: its initial, except angry (g) and surprise (u). */
export const CLASS_KEYS: Readonly<Record<ClassName, string>> = {
  angry: 'g',
  disgust: 'd',
  fear: 'f',
  happy: 'h',
  neutral: 'n',
  sad: 's',
  surprise: 'u',
};

export type CleanKey =
  | { kind: 'accept' }
  | { kind: 'keep' }
  | { kind: 'label'; label: Label }
  | { kind: 'move'; delta: 'left' | 'right' | 'up' | 'down' };

/** A accept, K keep, X exclude, 0–6 or a class key another label, arrows move. */
export function cleanKey(key: string): CleanKey | null {
  const lower = key.toLowerCase();
  if (lower === 'a') return { kind: 'accept' };
  if (lower === 'k') return { kind: 'keep' };
  if (lower === 'x') return { kind: 'label', label: 'exclude' };
  if (/^[0-6]$/.test(key)) return { kind: 'label', label: CLASS_LIST[Number(key)] as ClassName };
  const byLetter = CLASS_LIST.find((name) => CLASS_KEYS[name] === lower);
  if (byLetter) return { kind: 'label', label: byLetter };
  const moves: Record<string, 'left' | 'right' | 'up' | 'down'> = {
    ArrowLeft: 'left',
    ArrowRight: 'right',
    ArrowUp: 'up',
    ArrowDown: 'down',
  };
  const delta = moves[key];
  return delta ? { kind: 'move', delta } : null;
}
