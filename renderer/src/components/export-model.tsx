import { useState } from 'react';
import type { ChangeEvent } from 'react';
import { useClient } from '../store/store.ts';
import { ErrorMessage } from './error-message.tsx';
import { ExportProgress } from './export-progress.tsx';
import { isTargetExists, useExportJob } from './use-export-job.ts';

type Format = 'tfjs' | 'onnx' | 'keras';

const FORMATS: { id: Format; title: string; target: (runId: number) => string }[] = [
  { id: 'tfjs', title: 'TensorFlow.js', target: (id) => `/path/to/exports/run-${id}-tfjs/` },
  { id: 'onnx', title: 'ONNX', target: (id) => `/path/to/exports/run-${id}.onnx` },
  { id: 'keras', title: 'Keras 3', target: (id) => `/path/to/exports/run-${id}.keras` },
];

const isFormat = (value: string): value is Format => FORMATS.some((f) => f.id === value);

/** Exports a run's model to a path on the machine running the core (it does not expand `~`). */
export function ExportModel(props: { runId: number }) {
  const client = useClient();
  const [format, setFormat] = useState<Format>('tfjs');
  const [out, setOut] = useState('');
  const [force, setForce] = useState(false);
  const job = useExportJob((overwrite) =>
    client.invoke('export-model', {
      runId: props.runId,
      format,
      out: out.trim(),
      force: overwrite,
    }),
  );
  const chosen = FORMATS.find((f) => f.id === format) ?? FORMATS[0];
  const running = job.state.kind === 'running';

  const onFormat = (event: ChangeEvent<HTMLSelectElement>) => {
    if (isFormat(event.target.value)) setFormat(event.target.value);
  };

  return (
    <section className="export" aria-label="Export model">
      <h3>Export model</h3>
      <form
        className="export-form"
        onSubmit={(event) => {
          event.preventDefault();
          void job.start(force);
        }}
      >
        <select data-testid="export-format" value={format} onChange={onFormat} aria-label="Format">
          {FORMATS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.title}
            </option>
          ))}
        </select>
        <input
          type="text"
          data-testid="export-out"
          aria-label="Output path on the server"
          placeholder={chosen?.target(props.runId)}
          value={out}
          onChange={(event) => setOut(event.target.value)}
        />
        <label className="inline-field">
          <input
            type="checkbox"
            data-testid="export-force"
            checked={force}
            onChange={(event) => setForce(event.target.checked)}
          />
          Overwrite
        </label>
        <button
          type="submit"
          className="primary"
          data-testid="export-start"
          disabled={running || out.trim() === ''}
        >
          {running ? 'Exporting…' : 'Export'}
        </button>
      </form>
      <p className="muted">
        A path on the machine running FER Studio;{' '}
        {format === 'tfjs' ? 'a folder' : `a .${format} file`}, written with a preprocessing JSON
        beside it.
      </p>
      {running && <ExportProgress testId="export-progress" />}
      {job.state.kind === 'done' && (
        <div data-testid="export-result" className="export-result">
          <strong>Exported {job.state.result.files.length} files</strong>
          <ul className="export-files">
            {job.state.result.files.map((file) => (
              <li key={file}>{file}</li>
            ))}
          </ul>
        </div>
      )}
      {job.state.kind === 'failed' && (
        <>
          <ErrorMessage code={job.state.code} message={job.state.message} testId="export-error" />
          {isTargetExists(job.state) && (
            <button data-testid="export-overwrite" onClick={() => void job.start(true)}>
              Overwrite?
            </button>
          )}
        </>
      )}
    </section>
  );
}
