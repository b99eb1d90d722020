import { useMemo } from 'react';
import type { RunDetail, RunSummary } from '../../../app/contract/index.ts';
import { formatDate, formatDuration, formatPercent } from '../format.ts';
import { isActive, lrMarksFromHistory, toEpochPoint } from '../store/live-run.ts';
import type { EpochPoint, LrMark } from '../store/live-run.ts';
import { useStudio } from '../store/store.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { ExportModel } from './export-model.tsx';
import { ExportReport } from './export-report.tsx';
import { FineTuneForm } from './fine-tune.tsx';
import { MetricChart } from '../components/metric-chart.tsx';
import { DeleteRun, RunNameNotes, runTitle } from './run-edit.tsx';

export function RunDetailPanel(props: { runId: number }) {
  const { runId } = props;
  const detail = useStudio((s) => (s.runDetail?.id === runId ? s.runDetail : null));
  const detailError = useStudio((s) => s.runDetailError);
  // The row follows events, so status and Resume stay current while the detail is loaded once.
  const row = useStudio((s) => s.runs?.find((run) => run.id === runId) ?? null);
  const livePoints = useStudio((s) => (s.live?.runId === runId ? s.live.epochPoints : null));
  const liveMarks = useStudio((s) => (s.live?.runId === runId ? s.live.lrMarks : null));
  const training = useStudio((s) => s.live !== null && isActive(s.live.status));
  const error = useStudio((s) => s.trainError);
  const resumeRun = useStudio((s) => s.resumeRun);
  const selectRun = useStudio((s) => s.selectRun);
  const setPage = useStudio((s) => s.setPage);

  const stored = useMemo(() => {
    const history: EpochPoint[] = detail?.history.map(toEpochPoint) ?? [];
    const marks = detail ? lrMarksFromHistory(history, detail.config.schedule) : [];
    return { points: history, marks };
  }, [detail]);
  const points = livePoints && livePoints.length > 0 ? livePoints : stored.points;
  const marks: readonly LrMark[] =
    livePoints && livePoints.length > 0 && liveMarks ? liveMarks : stored.marks;
  const summary = row ?? detail;

  const resume = async () => {
    if (await resumeRun(runId)) setPage('train');
  };

  return (
    <section className="card run-detail" data-testid="run-detail" aria-label={`Run ${runId}`}>
      <div className="detail-head">
        <h2>
          {runTitle({ id: runId, name: summary?.name ?? null })}{' '}
          {summary && <StatusPill status={summary.status} />}
        </h2>
        <div className="head-actions">
          {summary?.canResume && (
            <button
              className="primary"
              data-testid="run-resume"
              disabled={training}
              title={
                training ? 'Another run is training' : 'Continue from the last epoch checkpoint'
              }
              onClick={() => void resume()}
            >
              Resume
            </button>
          )}
          <button className="icon" aria-label="Close" onClick={() => void selectRun(null)}>
            ×
          </button>
        </div>
      </div>
      {error && <ErrorMessage code={error.code} message={error.message} testId="run-error" />}
      {detailError && (
        <p className="invalid">
          Could not load run {runId}: {detailError}
        </p>
      )}
      {summary?.message && <p className="muted">{summary.message}</p>}
      <div className="run-charts">
        <MetricChart
          metric="loss"
          testId="run-loss-chart"
          epochPoints={points}
          lrMarks={marks}
          epochs={summary?.epochs ?? null}
        />
        <MetricChart
          metric="acc"
          testId="run-acc-chart"
          epochPoints={points}
          lrMarks={marks}
          epochs={summary?.epochs ?? null}
        />
      </div>
      {detail && <RunFacts detail={detail} />}
      {summary?.hasModel && summary.status === 'finished' && (
        <FineTuneForm key={`fine-tune-${runId}`} runId={runId} />
      )}
      {summary?.hasModel && <ExportModel key={runId} runId={runId} />}
      {summary?.hasModel && <ExportReport key={`report-${runId}`} runId={runId} />}
      {detail && <RunNameNotes key={`notes-${runId}`} run={detail} />}
      {summary && (
        <DeleteRun
          key={`delete-${runId}`}
          run={summary}
          training={training && summary.status === 'running'}
        />
      )}
    </section>
  );
}

function RunFacts(props: { detail: RunDetail }) {
  const { detail } = props;
  const i = detail.imported;
  const facts: [string, string][] = [
    ['Created', formatDate(detail.createdAt)],
    ['Model', detail.model],
    ['Backend', detail.backend?.label ?? '—'],
    // An imported model was trained elsewhere: "0 / 1" epochs would read as a run that never started.
    ['Epochs', i ? 'trained elsewhere' : `${detail.epochsDone} / ${detail.epochs}`],
    ['Test acc', formatPercent(detail.testAccuracy ?? null)],
    [
      'Best val acc',
      `${formatPercent(detail.bestValAcc)}${detail.bestEpoch ? ` (epoch ${detail.bestEpoch})` : ''}`,
    ],
  ];
  if (!i) {
    facts.push(['Duration', formatDuration(detail.seconds)]);
    facts.push(['Images', `${detail.trainImages} train · ${detail.valImages} validation`]);
  }
  const after: [string, string][] = [];
  if (detail.parentRunId !== null) after.push(['Continued from', `run #${detail.parentRunId}`]);
  if (i) {
    after.push(
      ['SHA-256', i.sha256],
      ['Layers', `${i.layers} · ${i.params.toLocaleString()} parameters`],
    );
    for (const note of i.notes) after.push(['Import note', note]);
  }
  const row = (key: string, term: string, value: string, setting?: string) => (
    <div key={key} {...(setting ? { 'data-setting': setting } : {})}>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
  // Only the settings that applied to this run, worked out by the core (app/runs/applied-settings).
  return (
    <dl className="run-facts" data-testid="run-config">
      {facts.map(([term, value]) => row(term, term, value))}
      {detail.settings.map((s) => row(`setting-${s.key}`, s.label, s.value, s.key))}
      {after.map(([term, value], n) => row(`${term}-${n}`, term, value))}
    </dl>
  );
}

export function StatusPill(props: { status: RunSummary['status'] }) {
  return <span className={`status-pill status-${props.status}`}>{props.status}</span>;
}
