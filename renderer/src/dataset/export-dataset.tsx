import { useState } from 'react';
import { formatCount } from '../format.ts';
import { useStudio } from '../store/store.ts';
import { ExportOutcome, ExportTargetFields } from '../components/export-target-fields.tsx';
import { useExportForm } from '../components/use-export-job.ts';
import { ChurnCheckbox } from '../components/churn-checkbox.tsx';

/** Writes the current labels as a FER folder tree (excluded images left out) on the core's machine. */
export function ExportDataset() {
  const exportDataset = useStudio((s) => s.exportDataset);
  const [churn, setChurn] = useState(false);
  const form = useExportForm((out, force) => exportDataset({ out, force, churn }));
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
            <ChurnCheckbox
              checked={churn}
              onChange={setChurn}
              testId="dataset-export-churn"
              where="label-changes.csv"
            />
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
