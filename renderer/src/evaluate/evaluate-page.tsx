import { useEffect } from 'react';
import type { ChangeEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatCount, formatPercent } from '../format.ts';
import { currentEvalRun, hasValidation } from '../store/evaluation-slice.ts';
import { useStudio } from '../store/store.ts';
import { runOptionText } from '../runs/run-label.ts';
import { CellGrid } from './cell-grid.tsx';
import { ConfusionMatrix, PerClassTable } from './confusion-matrix.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { ImageDetailPanel } from '../components/image-detail.tsx';
import { LabelIssuesPanel } from './label-issues.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import { useRelabelShortcuts } from '../components/relabel-shortcuts.ts';

const NONE: readonly number[] = [];

export function EvaluatePage() {
  const refreshRuns = useStudio((s) => s.refreshRuns);
  const evaluation = useStudio((s) => s.evaluation);
  const flip = useStudio((s) => s.flipEvaluation);
  const error = useStudio((s) => s.evalError);
  const detailOpen = useStudio((s) => s.detailOpen);
  const cellIds = useStudio((s) => s.cell?.ids ?? NONE);
  useRelabelShortcuts();

  useEffect(() => {
    void refreshRuns();
  }, [refreshRuns]);

  return (
    <div className="page evaluate-page" data-testid="evaluate-page">
      <header className="page-head">
        <div>
          <h1>Evaluate</h1>
          <p className="muted">Score a trained model and find images whose label it doubts.</p>
        </div>
      </header>
      <EvaluateControls />
      {error && <ErrorMessage code={error.code} message={error.message} testId="evaluate-error" />}
      {evaluation && (
        <>
          <div className="eval-headline">
            <div
              className="eval-metric"
              data-testid="evaluate-accuracy"
              data-value={evaluation.accuracy}
            >
              <span className="muted">Accuracy</span>
              <strong>{formatPercent(evaluation.accuracy)}</strong>
            </div>
            <div className="eval-metric" data-testid="evaluate-loss" data-value={evaluation.loss}>
              <span className="muted">Loss</span>
              <strong>{evaluation.loss.toFixed(4)}</strong>
            </div>
            <div className="eval-metric">
              <span className="muted">Images ({evaluation.split})</span>
              <strong>{formatCount(evaluation.images)}</strong>
            </div>
            {flip && (
              <div
                className="eval-metric"
                data-testid="evaluate-flip-accuracy"
                data-value={flip.accuracy}
                title="Each image scored by the mean of its own and its mirror image's prediction (2× the inference). Exported models are plain: they score the figure on the left."
              >
                <span className="muted">Accuracy with test-time flip</span>
                <strong>{formatPercent(flip.accuracy)}</strong>
              </div>
            )}
          </div>
          <div className="eval-tables">
            <section className="card" aria-label="Confusion matrix">
              <h2 className="card-title">Confusion matrix</h2>
              <ConfusionMatrix evaluation={evaluation} />
            </section>
            <section className="card" aria-label="Per-class metrics">
              <h2 className="card-title">Per class</h2>
              <PerClassTable evaluation={evaluation} />
            </section>
            {flip && (
              <section
                className="card"
                aria-label="Per-class metrics with test-time flip"
                data-testid="evaluate-flip-table"
              >
                <h2 className="card-title">Per class, with test-time flip</h2>
                <PerClassTable evaluation={flip} />
                <p className="muted">
                  Loss {flip.loss.toFixed(4)}. The confusion matrix is the plain model’s.
                </p>
              </section>
            )}
          </div>
        </>
      )}
      <div className="eval-images">
        <CellGrid />
        {detailOpen && <ImageDetailPanel browseIds={cellIds} />}
      </div>
      <LabelIssuesPanel />
    </div>
  );
}

function EvaluateControls() {
  const runs = useStudio(useShallow((s) => (s.runs ?? []).filter((run) => run.hasModel)));
  const runId = useStudio(currentEvalRun);
  const split = useStudio((s) => s.evalSplit);
  const withVal = useStudio((s) => hasValidation(s, runId));
  const shown = useStudio((s) => s.evaluation !== null);
  const loadStored = useStudio((s) => s.loadStoredEvaluation);
  const evaluating = useStudio((s) => s.evaluating);
  const progress = useStudio((s) =>
    s.evaluating && s.evalProgress?.phase === 'predicting' ? s.evalProgress : null,
  );
  const setEvalRun = useStudio((s) => s.setEvalRun);
  const setEvalSplit = useStudio((s) => s.setEvalSplit);
  const runEvaluation = useStudio((s) => s.runEvaluation);
  const flipOn = useStudio((s) => s.evalFlip);
  const setEvalFlip = useStudio((s) => s.setEvalFlip);

  useEffect(() => {
    if (!shown) void loadStored();
  }, [runId, split, shown, loadStored]);
  const onRun = (event: ChangeEvent<HTMLSelectElement>) => {
    const id = Number(event.target.value);
    setEvalRun(Number.isInteger(id) && event.target.value !== '' ? id : null);
  };
  const onSplit = (event: ChangeEvent<HTMLSelectElement>) =>
    setEvalSplit(event.target.value === 'val' ? 'val' : 'test');

  if (runs.length === 0) {
    return <p className="muted">No run has a saved model yet. Train one on the Train page.</p>;
  }
  return (
    <section className="card eval-controls">
      <div className="toolbar">
        <label className="inline-field">
          <span>Run</span>
          <select data-testid="evaluate-run-select" value={runId ?? ''} onChange={onRun}>
            {runs.map((run) => (
              <option key={run.id} value={run.id}>
                {runOptionText(run)}
                {run.imported ? '' : ` · best val ${formatPercent(run.bestValAcc)}`}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>Split</span>
          <select data-testid="evaluate-split" value={split} onChange={onSplit}>
            <option value="test">test</option>
            {withVal && <option value="val">validation</option>}
          </select>
        </label>
        <label
          className="check-field"
          title="Also score each image by the mean of its and its mirror image's prediction; shown beside the plain figures."
        >
          <input
            type="checkbox"
            data-testid="evaluate-flip"
            checked={flipOn}
            disabled={evaluating}
            onChange={(event) => setEvalFlip(event.target.checked)}
          />
          <span>Test-time flip</span>
        </label>
        <button
          className="primary"
          data-testid="evaluate-start"
          disabled={runId === null || evaluating}
          onClick={() => void runEvaluation()}
        >
          {evaluating ? 'Evaluating…' : 'Evaluate'}
        </button>
      </div>
      {evaluating && (
        <ProgressBar
          label="Evaluation progress"
          testId="evaluate-progress"
          text="Predicting…"
          done={progress?.done ?? 0}
          total={progress?.total ?? 0}
        />
      )}
    </section>
  );
}
