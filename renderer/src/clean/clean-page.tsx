import { useEffect } from 'react';
import type { ChangeEvent } from 'react';
import { ErrorMessage } from '../components/error-message.tsx';
import {
  SEARCH_CANCELLED,
  searchCostText,
  searchProgressText,
  secondsLeft,
} from '../components/issue-search.ts';
import { ProgressBar } from '../components/progress-bar.tsx';
import { currentEvalRun } from '../store/evaluation-slice.ts';
import { useStudio, useStudioStore } from '../store/store.ts';
import { CleanGrid } from './clean-grid.tsx';
import { CleanSummary } from './clean-summary.tsx';
import { GroupList } from './group-list.tsx';
import { KeyLegend } from './key-legend.tsx';
import './clean.css';

const READING_HELP =
  'As people read them: the model’s view weighed by how ten people per image read FER-2013’s ' +
  'labels (FER+), so a fear label people mostly call neutral or sad is doubted early. ' +
  'By the model alone: only what the model learned from your labels.';

/** Reviewing a run's doubtful labels at scale: groups, a face grid, keys, one-edit group accepts. */
export function CleanPage() {
  const refreshRuns = useStudio((s) => s.refreshRuns);
  const runs = useStudio((s) => s.runs);
  const runId = useStudio((s) => s.cleanRunId ?? currentEvalRun(s));
  const loaded = useStudio((s) => s.cleanIssues !== null && s.cleanRunId === runId);
  const loading = useStudio((s) => s.cleanLoading);
  const error = useStudio((s) => s.cleanError);
  const progress = useStudio((s) =>
    s.cleanLoading && s.evalProgress?.runId === s.cleanRunId ? s.evalProgress : null,
  );
  const loadClean = useStudio((s) => s.loadClean);
  const cancelClean = useStudio((s) => s.cancelClean);
  const cancelled = useStudio((s) => s.cleanCancelled && s.cleanRunId === runId);
  const startedAt = useStudio((s) => s.cleanStartedAt);
  const plan = useStudio((s) => (s.cleanPlan?.runId === runId ? s.cleanPlan : null));
  const loadPlan = useStudio((s) => s.loadCleanPlan);
  const reading = useStudio((s) => s.cleanReadingUsed);
  const setReading = useStudio((s) => s.setCleanReading);
  useCleanUndoKeys();

  useEffect(() => {
    void refreshRuns();
  }, [refreshRuns]);
  useEffect(() => {
    if (runId !== null && !loaded) void loadPlan(runId);
  }, [runId, loaded, loadPlan]);
  // A k-fold search trains for minutes: Escape ends it, as the Cancel button does.
  useEffect(() => {
    if (!loading) return;
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && void cancelClean();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [loading, cancelClean]);

  const onRun = (event: ChangeEvent<HTMLSelectElement>) => {
    const id = Number(event.target.value);
    if (Number.isInteger(id) && id > 0) void loadClean(id);
  };
  const usable = (runs ?? []).filter((r) => r.hasModel);

  return (
    <div className="page clean-page" data-testid="clean-page">
      <header className="page-head">
        <div>
          <h1>Clean</h1>
          <p className="muted">
            Review the labels a run doubts, a group at a time: accept, keep, exclude or relabel.
          </p>
        </div>
        <div className="clean-run">
          <label>
            Run{' '}
            <select data-testid="clean-run-select" value={runId ?? ''} onChange={onRun}>
              {usable.length === 0 && <option value="">No trained run</option>}
              {usable.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name ?? `Run ${r.id}`}
                </option>
              ))}
            </select>
          </label>
          <label title={READING_HELP}>
            Judge labels{' '}
            <select
              data-testid="clean-reading"
              value={reading}
              disabled={loading}
              onChange={(event) => void setReading(event.target.value as typeof reading)}
            >
              <option value="people">as people read them</option>
              <option value="model">by the model alone</option>
            </select>
          </label>
          <button
            data-testid="clean-load"
            disabled={runId === null || loading}
            onClick={() => runId !== null && void loadClean(runId)}
          >
            {loading ? 'Ranking…' : loaded ? 'Reload' : 'Find doubtful labels'}
          </button>
        </div>
      </header>
      {runId === null && (
        <p className="muted" data-testid="clean-no-run">
          Train a run first (Train page): its model ranks the labels it doubts.
        </p>
      )}
      {runId !== null && !loaded && !loading && plan && (
        <p className="muted" data-testid="clean-cost">
          {searchCostText(plan)}
        </p>
      )}
      {loading && !progress && (
        <p className="muted" data-testid="clean-loading">
          Ranking the labels…
        </p>
      )}
      {loading && progress && (
        <div className="clean-search" data-testid="clean-loading">
          <ProgressBar
            label="Label search progress"
            testId="clean-search-progress"
            text={searchProgressText(progress, secondsLeft(startedAt, progress))}
            done={progress.done}
            total={progress.total}
          />
          {progress.phase === 'cross-validating' && (
            <button data-testid="clean-cancel" onClick={() => void cancelClean()}>
              Cancel (Esc)
            </button>
          )}
        </div>
      )}
      {cancelled && !loading && (
        <p className="muted" data-testid="clean-cancelled">
          {SEARCH_CANCELLED}
        </p>
      )}
      {error && <ErrorMessage code={error.code} message={error.message} testId="clean-error" />}
      {loaded && (
        <>
          <CleanSummary />
          <div className="clean-body">
            <GroupList />
            <CleanGrid />
            <KeyLegend />
          </div>
        </>
      )}
    </div>
  );
}

/** Ctrl+Z takes back the page's last step (a group accept is one), wherever focus is. */
function useCleanUndoKeys(): void {
  const store = useStudioStore();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z') {
        event.preventDefault();
        void store.getState().cleanUndo();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
