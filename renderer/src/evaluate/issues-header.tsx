import './evaluate.css';
import { useEffect, useState } from 'react';
import type { Label } from '../../../app/contract/index.ts';
import { searchCostText } from '../components/issue-search.ts';
import { formatCount, formatPercent } from '../format.ts';
import { currentEvalRun } from '../store/evaluation-slice.ts';
import { useStudio } from '../store/store.ts';

/** Below this validation accuracy a model's suggestions are more guess than advice. */
export const WEAK_VAL_ACC = 0.5;

/** Before the click: what the search trains and for how long. */
export function IssuesCost() {
  const runId = useStudio(currentEvalRun);
  const plan = useStudio((s) => (s.issuesPlan?.runId === currentEvalRun(s) ? s.issuesPlan : null));
  const loadPlan = useStudio((s) => s.loadIssuesPlan);
  useEffect(() => {
    if (runId !== null) void loadPlan();
  }, [runId, loadPlan]);
  if (!plan) return null;
  return (
    <p className="muted issues-cost" data-testid="issues-cost">
      {searchCostText(plan)}
    </p>
  );
}

/** Which run's models made the list and how good they are; weak models get a warning. */
export function IssuesSource() {
  const run = useStudio((s) => s.runs?.find((r) => r.id === s.issuesRunId) ?? null);
  if (!run) return null;
  const weak = run.bestValAcc !== null && run.bestValAcc < WEAK_VAL_ACC;
  return (
    <p
      className={weak ? 'issues-source warning' : 'issues-source muted'}
      data-testid="issues-source"
      data-weak={weak}
    >
      Suggestions from run #{run.id} ({run.model}), validation accuracy{' '}
      {formatPercent(run.bestValAcc, 0)}.
      {weak && ' A model this weak is often wrong: check its suggestions one by one.'}
    </p>
  );
}

/** "Accept all shown" relabels many images at once, so it asks first. */
export function AcceptAllButton(props: {
  changes: { imageId: number; label: Label }[];
  /** Shown issues left out of the bulk accept (needs a look, exclude). */
  held?: number;
  onAccept: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const run = useStudio((s) => s.runs?.find((r) => r.id === s.issuesRunId) ?? null);
  useEffect(() => {
    if (!asking) return;
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setAsking(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [asking]);
  const n = props.changes.length;
  const held = props.held ?? 0;
  if (n === 0) return null;
  if (!asking)
    return (
      <button
        data-testid="issues-accept-all"
        title={
          held > 0
            ? `${formatCount(held)} shown ${held === 1 ? 'issue needs' : 'issues need'} a look one by one: not included`
            : undefined
        }
        onClick={() => setAsking(true)}
      >
        Accept confident relabels ({formatCount(n)})
      </button>
    );
  return (
    <span className="confirm-inline" role="group" data-testid="issues-accept-ask">
      <span>
        Relabel {formatCount(n)} {n === 1 ? 'image' : 'images'} as run #{run?.id ?? '?'} suggests
        {run ? ` (validation accuracy ${formatPercent(run.bestValAcc, 0)})` : ''}? Ctrl+Z undoes it.
      </span>
      <button
        className="primary"
        data-testid="issues-accept-confirm"
        onClick={() => {
          setAsking(false);
          props.onAccept();
        }}
      >
        Relabel {formatCount(n)}
      </button>
      <button data-testid="issues-accept-no" title="Esc" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
