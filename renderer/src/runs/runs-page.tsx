import { useEffect, useState } from 'react';
import { useScrollIntoViewOnChange } from '../components/use-scroll-into-view.ts';
import type { KeyboardEvent } from 'react';
import type { RunSummary } from '../../../app/contract/index.ts';
import { formatDate, formatDuration, formatPercent } from '../format.ts';
import { isActive } from '../store/live-run.ts';
import { useStudio } from '../store/store.ts';
import { CompareButton, CompareCheck, ComparePanel } from './compare-panel.tsx';
import { RunDetailPanel, StatusPill } from './run-detail.tsx';
import { ImportModelDialog } from './import-model-dialog.tsx';

export function RunsPage() {
  const runs = useStudio((s) => s.runs);
  const runsError = useStudio((s) => s.runsError);
  const refreshRuns = useStudio((s) => s.refreshRuns);
  const selectedRunId = useStudio((s) => s.selectedRunId);
  const [importing, setImporting] = useState(false);
  const detailRef = useScrollIntoViewOnChange(selectedRunId);

  useEffect(() => {
    void refreshRuns();
  }, [refreshRuns]);

  return (
    <div className="page runs-page" data-testid="runs-page">
      <header className="page-head">
        <div>
          <h1>Runs</h1>
          <p className="muted">
            {runs ? `${runs.length} training ${runs.length === 1 ? 'run' : 'runs'}` : 'Loading…'}
          </p>
        </div>
        <div className="page-actions">
          <CompareButton />
          <button data-testid="import-model-open" onClick={() => setImporting(true)}>
            Import model…
          </button>
          <button onClick={() => void refreshRuns()}>Refresh</button>
        </div>
      </header>
      {runsError && (
        <p className="invalid" role="alert">
          Could not load the runs: {runsError}
        </p>
      )}
      {runs && runs.length === 0 && (
        <p className="muted">No runs yet. Start one on the Train page.</p>
      )}
      {runs && runs.length > 0 && <RunsTable runs={runs} />}
      <ComparePanel />
      {selectedRunId !== null && (
        <div ref={detailRef} className="run-detail-anchor">
          <RunDetailPanel runId={selectedRunId} />
        </div>
      )}
      {importing && <ImportModelDialog onClose={() => setImporting(false)} />}
    </div>
  );
}

function RunsTable(props: { runs: RunSummary[] }) {
  const selectedRunId = useStudio((s) => s.selectedRunId);
  const selectRun = useStudio((s) => s.selectRun);
  const liveId = useStudio((s) => (s.live && isActive(s.live.status) ? s.live.runId : null));
  const onKey = (event: KeyboardEvent, id: number) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    void selectRun(id);
  };
  return (
    <div className="card runs-table-card">
      <table className="runs-table">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Created</th>
            <th scope="col">Model</th>
            <th scope="col">Backend</th>
            <th scope="col">Status</th>
            <th scope="col">Epochs</th>
            <th scope="col">Best val acc</th>
            <th scope="col" title="On the test images, from the run's last evaluation">
              Test acc
            </th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((run) => (
            <tr
              key={run.id}
              data-testid="run-row"
              data-run-id={run.id}
              data-status={run.status}
              className={run.id === liveId ? 'live' : undefined}
              aria-selected={run.id === selectedRunId}
              tabIndex={0}
              onClick={() => void selectRun(run.id)}
              onKeyDown={(event) => onKey(event, run.id)}
            >
              <td>
                <CompareCheck runId={run.id} />#{run.id}
                {run.name && <span className="run-name">{run.name}</span>}
              </td>
              <td>{formatDate(run.createdAt)}</td>
              <td>{run.imported ? `${run.imported.name} (imported)` : run.model}</td>
              <td>{run.backend?.label ?? '—'}</td>
              <td>
                <StatusPill status={run.status} />
              </td>
              <td>{run.imported ? 'imported' : `${run.epochsDone} / ${run.epochs}`}</td>
              <td>
                {formatPercent(run.bestValAcc)}
                {run.bestEpoch !== null && <span className="muted"> (epoch {run.bestEpoch})</span>}
              </td>
              <td data-testid="run-test-acc">
                {run.testAccuracy == null ? (
                  <span className="muted" title="Not evaluated on the test images yet">
                    —
                  </span>
                ) : (
                  formatPercent(run.testAccuracy)
                )}
              </td>
              <td>{formatDuration(run.seconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
