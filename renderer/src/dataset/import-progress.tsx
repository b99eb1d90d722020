import type { ImportProgress } from '../../../app/contract/index.ts';
import { formatCount, formatDuration, formatRate } from '../format.ts';

const PHASES: Record<ImportProgress['phase'], string> = {
  scanning: 'Scanning files…',
  importing: 'Importing…',
  done: 'Finishing…',
};

/** aria-valuenow is the percentage; data-done/data-total carry the file counts. */
export function ImportProgressBar(props: { progress: ImportProgress | null; cancelling: boolean }) {
  const { progress } = props;
  const done = progress?.done ?? 0;
  const total = progress?.total ?? 0;
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  const phase = props.cancelling ? 'Cancelling…' : progress ? PHASES[progress.phase] : 'Starting…';
  return (
    <div className="progress">
      <div className="progress-head">
        <span>{phase}</span>
        <span>
          {formatCount(done)} / {formatCount(total)} files
        </span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}% (${done} of ${total} files)`}
        data-testid="import-progress"
        data-done={done}
        data-total={total}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="progress-meta muted">
        {progress ? `${formatRate(progress.imagesPerSec)} images/s` : ''}
        {progress && progress.phase === 'importing'
          ? ` · about ${formatDuration(progress.etaSeconds)} left`
          : ''}
      </div>
    </div>
  );
}
