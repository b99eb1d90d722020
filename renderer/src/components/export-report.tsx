import { useState } from 'react';
import { useClient } from '../store/store.ts';
import { ErrorMessage } from './error-message.tsx';
import { ExportProgress } from './export-progress.tsx';
import { isTargetExists, useExportJob } from './use-export-job.ts';

/** Writes a run's training report (report.html + charts/*.png) into a new folder on the core's machine. */
export function ExportReport(props: { runId: number }) {
  const client = useClient();
  const [out, setOut] = useState('');
  const [force, setForce] = useState(false);
  const job = useExportJob((overwrite) =>
    client.invoke('report-export', { runId: props.runId, out: out.trim(), force: overwrite }),
  );
  const running = job.state.kind === 'running';

  return (
    <section className="export" aria-label="Training report">
      <h3>Training report</h3>
      <form
        className="export-form"
        onSubmit={(event) => {
          event.preventDefault();
          void job.start(force);
        }}
      >
        <input
          type="text"
          data-testid="report-out"
          aria-label="Report folder on the server"
          placeholder={`/path/to/exports/run-${props.runId}-report/`}
          value={out}
          onChange={(event) => setOut(event.target.value)}
        />
        <label className="inline-field">
          <input
            type="checkbox"
            data-testid="report-force"
            checked={force}
            onChange={(event) => setForce(event.target.checked)}
          />
          Overwrite
        </label>
        <button
          type="submit"
          className="primary"
          data-testid="report-start"
          disabled={running || out.trim() === ''}
        >
          {running ? 'Writing report…' : 'Write report'}
        </button>
      </form>
      <p className="muted">
        A new folder on the machine running FER Studio: a self-contained report.html
        (hyper-parameters, curves, evaluation, label changes) and the charts as PNG. An unevaluated
        run is evaluated on its test images first.
      </p>
      {running && <ExportProgress testId="report-progress" />}
      {job.state.kind === 'done' && (
        <div data-testid="report-result" className="export-result">
          <strong>Wrote {job.state.result.files.length} files</strong>
          <ul className="export-files">
            {job.state.result.files.map((file) => (
              <li key={file}>{file}</li>
            ))}
          </ul>
        </div>
      )}
      {job.state.kind === 'failed' && (
        <>
          <ErrorMessage code={job.state.code} message={job.state.message} testId="report-error" />
          {isTargetExists(job.state) && (
            <button data-testid="report-overwrite" onClick={() => void job.start(true)}>
              Overwrite?
            </button>
          )}
        </>
      )}
    </section>
  );
}
