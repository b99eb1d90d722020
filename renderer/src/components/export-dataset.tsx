import { useState } from 'react';
import { formatCount } from '../format.ts';
import { useClient } from '../store/store.ts';
import { ErrorMessage } from './error-message.tsx';
import { ExportProgress } from './export-progress.tsx';
import { isTargetExists, useExportJob } from './use-export-job.ts';

/** Writes the current labels as a FER folder tree (excluded images left out) on the core's machine. */
export function ExportDataset() {
  const client = useClient();
  const [out, setOut] = useState('');
  const [force, setForce] = useState(false);
  const job = useExportJob((overwrite) =>
    client.invoke('export-dataset', { out: out.trim(), force: overwrite }),
  );
  const running = job.state.kind === 'running';
  return (
    <section className="export-dataset" aria-label="Export cleaned dataset">
      <form
        className="export-form"
        onSubmit={(event) => {
          event.preventDefault();
          void job.start(force);
        }}
      >
        <span className="muted">Export cleaned dataset to</span>
        <input
          type="text"
          data-testid="dataset-export-out"
          aria-label="Dataset output folder on the server"
          placeholder="/path/to/exports/fer-cleaned/"
          value={out}
          onChange={(event) => setOut(event.target.value)}
        />
        <label className="inline-field">
          <input
            type="checkbox"
            data-testid="dataset-export-force"
            checked={force}
            onChange={(event) => setForce(event.target.checked)}
          />
          Overwrite
        </label>
        <button
          type="submit"
          data-testid="dataset-export-start"
          disabled={running || out.trim() === ''}
        >
          {running ? 'Exporting…' : 'Export'}
        </button>
        {job.state.kind === 'done' && (
          <span data-testid="dataset-export-result" role="status">
            {formatCount(job.state.result.images)} images written ·{' '}
            {formatCount(job.state.result.excluded)} excluded ·{' '}
            {formatCount(job.state.result.changes)} label changes
          </span>
        )}
      </form>
      {running && <ExportProgress testId="dataset-export-progress" />}
      {job.state.kind === 'failed' && (
        <>
          <ErrorMessage
            code={job.state.code}
            message={job.state.message}
            testId="dataset-export-error"
          />
          {isTargetExists(job.state) && (
            <button data-testid="dataset-export-overwrite" onClick={() => void job.start(true)}>
              Overwrite?
            </button>
          )}
        </>
      )}
    </section>
  );
}
