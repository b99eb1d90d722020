import { useStudio } from '../store/store.ts';
import { ProgressTrack } from './progress-bar.tsx';

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
      <ProgressTrack label="Export progress" percent={percent} testId={props.testId} />
    </div>
  );
}
