import { useState } from 'react';
import { useStudio } from '../store/store.ts';
import {
  ExportOutcome,
  ExportTargetFields,
  ExportedFiles,
} from '../components/export-target-fields.tsx';
import { useExportForm } from '../components/use-export-job.ts';
import { ChurnCheckbox } from '../components/churn-checkbox.tsx';

/** Writes a run's training report (report.html + charts/*.png) into a new folder on the core's machine. */
export function ExportReport(props: { runId: number }) {
  const exportReport = useStudio((s) => s.exportReport);
  const [churn, setChurn] = useState(false);
  const form = useExportForm((out, force) =>
    exportReport({ runId: props.runId, out, force, churn }),
  );

  return (
    <section className="export" aria-label="Training report">
      <h3>Training report</h3>
      <ExportTargetFields
        form={form}
        testId="report"
        label="Report folder on the server"
        placeholder={`/path/to/exports/run-${props.runId}-report/`}
        action="Write report"
        busyAction="Writing report…"
        primary
        after={
          <ChurnCheckbox
            checked={churn}
            onChange={setChurn}
            testId="report-churn"
            where="The report"
          />
        }
      />
      <p className="muted">
        A new folder on the machine running FER Studio: a self-contained report.html
        (hyper-parameters, curves, evaluation, label changes) and the charts as PNG. An unevaluated
        run is evaluated on its test images first.
      </p>
      <ExportOutcome
        form={form}
        testId="report"
        done={(result) => <ExportedFiles testId="report" verb="Wrote" files={result.files} />}
      />
    </section>
  );
}
