import { useState } from 'react';
import type { ChangeEvent } from 'react';
import { useStudio } from '../store/store.ts';
import {
  ExportOutcome,
  ExportTargetFields,
  ExportedFiles,
} from '../components/export-target-fields.tsx';
import { useExportForm } from '../components/use-export-job.ts';

type Format = 'tfjs' | 'onnx' | 'keras';

const FORMATS: { id: Format; title: string; target: (runId: number) => string }[] = [
  { id: 'tfjs', title: 'TensorFlow.js', target: (id) => `/path/to/exports/run-${id}-tfjs/` },
  { id: 'onnx', title: 'ONNX', target: (id) => `/path/to/exports/run-${id}.onnx` },
  { id: 'keras', title: 'Keras 3', target: (id) => `/path/to/exports/run-${id}.keras` },
];

const isFormat = (value: string): value is Format => FORMATS.some((f) => f.id === value);

/** The typed path with its extension swapped for the format's: `/x/run-4.onnx` → `/x/run-4.keras`, tfjs → `/x/run-4`. */
export function pathForFormat(out: string, format: Format): string {
  if (out.trim() === '') return out;
  const stem = out
    .trim()
    .replace(/[/\\]+$/, '')
    .replace(/\.(onnx|keras)$/i, '');
  return format === 'tfjs' ? stem : `${stem}.${format}`;
}

/** Exports a run's model to a path on the machine running the core (it does not expand `~`). */
export function ExportModel(props: { runId: number }) {
  const exportModel = useStudio((s) => s.exportModel);
  const [format, setFormat] = useState<Format>('tfjs');
  const form = useExportForm((out, force) =>
    exportModel({ runId: props.runId, format, out, force }),
  );
  const chosen = FORMATS.find((f) => f.id === format) ?? FORMATS[0];

  const onFormat = (event: ChangeEvent<HTMLSelectElement>) => {
    const next = event.target.value;
    if (!isFormat(next)) return;
    setFormat(next);
    form.setOut(pathForFormat(form.out, next));
  };

  return (
    <section className="export" aria-label="Export model">
      <h3>Export model</h3>
      <ExportTargetFields
        form={form}
        testId="export"
        label="Output path on the server"
        placeholder={chosen?.target(props.runId)}
        action="Export"
        busyAction="Exporting…"
        primary
        before={
          <select
            data-testid="export-format"
            value={format}
            onChange={onFormat}
            aria-label="Format"
          >
            {FORMATS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.title}
              </option>
            ))}
          </select>
        }
      />
      <p className="muted">
        The full path on the machine running FER Studio of{' '}
        {format === 'tfjs' ? 'a new folder' : `a .${format} file`}, written with its preprocessing
        JSON{format === 'tfjs' ? ' inside' : ` beside it (<name>.${format}.preprocessing.json)`}.
      </p>
      <ExportOutcome
        form={form}
        testId="export"
        done={(result) => <ExportedFiles testId="export" verb="Exported" files={result.files} />}
      />
    </section>
  );
}
