import { useStudio } from '../store/store.ts';

/** The latest `export-progress` event as a bar. */
export function ExportProgress(props: { testId: string }) {
  const progress = useStudio((s) => s.exportProgress);
  const percent = Math.round((progress?.fraction ?? 0) * 100);
  return (
    <div className="progress">
      <div className="progress-head">
        <span>{progress?.stage ?? 'Starting…'}</span>
        <span>{percent} %</span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label="Export progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid={props.testId}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
