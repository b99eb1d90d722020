import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { LabelIssue } from '../../../app/contract/index.ts';
import { isOpen } from '../store/cleaning-slice.ts';
import { useStudio } from '../store/store.ts';
import { groupIssues, groupKey, type IssueGroup } from './clean-model.ts';

const NONE: readonly LabelIssue[] = [];

/** Open issues at or above the doubt filter (the store's inputs, so it recomputes only on change). */
export function useOpenIssues(): readonly LabelIssue[] {
  const [issues, labels, kept, gone, minDoubt] = useStudio(
    useShallow(
      (s) =>
        [s.cleanIssues ?? NONE, s.cleanLabels, s.cleanKept, s.cleanGone, s.cleanMinDoubt] as const,
    ),
  );
  return useMemo(() => {
    const state = { cleanLabels: labels, cleanKept: kept, cleanGone: gone };
    return issues.filter((issue) => issue.doubt >= minDoubt && isOpen(state, issue));
  }, [issues, labels, kept, gone, minDoubt]);
}

export function useGroups(): IssueGroup[] {
  const open = useOpenIssues();
  return useMemo(() => groupIssues(open), [open]);
}

/** The chosen group's open issues (the first group when none is chosen), most doubtful first. */
export function useGroupIssues(): { key: string | null; issues: readonly LabelIssue[] } {
  const open = useOpenIssues();
  const groups = useGroups();
  const chosen = useStudio((s) => s.cleanGroup);
  const key = groups.some((g) => g.key === chosen) ? chosen : (groups[0]?.key ?? null);
  const issues = useMemo(() => open.filter((issue) => groupKey(issue) === key), [open, key]);
  return { key, issues };
}
