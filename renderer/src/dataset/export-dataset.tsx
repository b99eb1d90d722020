import { useState } from 'react';
import { formatCount } from '../format.ts';
import { useClient } from '../store/store.ts';
import { ExportOutcome, ExportTargetFields } from '../components/export-target-fields.tsx';
import { useExportForm } from '../components/use-export-job.ts';

/** Writes the current labels as a FER folder tree (excluded images left out) on the core's machine. */
export function ExportDataset() {
  const client = useClient();
  const [churn, setChurn] = useState(false);
  const form = useExportForm((out, force) =>
    client.invoke('export-dataset', { out, force, churn }),
  );
  const { state } = form;
  return (
    <section className="export-dataset" aria-label="Export cleaned dataset">
      <ExportTargetFields
        form={form}
        testId="dataset-export"
        label="Dataset output folder on the server"
        placeholder="/path/to/exports/fer-cleaned/"
        action="Export"
        busyAction="Exporting…"
        before={<span className="muted">Export cleaned dataset to</span>}
        after={
          <>
            <label
              className="inline-field"
              title="label-changes.csv lists every relabel, undo and redo, not only each image's net change"
            >
              <input
                type="checkbox"
                data-testid="dataset-export-churn"
                checked={churn}
                onChange={(event) => setChurn(event.target.checked)}
              />
              All label changes
            </label>
            {state.kind === 'done' && (
              <span data-testid="dataset-export-result" role="status">
                {formatCount(state.result.images)} images written ·{' '}
                {formatCount(state.result.excluded)} excluded · {formatCount(state.result.changes)}{' '}
                {state.result.changes === 1 ? 'changed label' : 'changed labels'} in
                label-changes.csv
              </span>
            )}
          </>
        }
      />
      <ExportOutcome form={form} testId="dataset-export" />
    </section>
  );
}
