import type { ImportProgress } from '../../../app/contract/index.ts';
import { formatCount, formatDuration, formatRate } from '../format.ts';
import { ProgressTrack, percentOf } from '../components/progress-bar.tsx';

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
  const percent = percentOf(done, total);
  const phase = props.cancelling ? 'Cancelling…' : progress ? PHASES[progress.phase] : 'Starting…';
  return (
    <div className="progress">
      <div className="progress-head">
        <span>{phase}</span>
        <span>
          {formatCount(done)} / {formatCount(total)} files
        </span>
      </div>
      <ProgressTrack
        label="Import progress"
        percent={percent}
        valueText={`${percent}% (${done} of ${total} files)`}
        testId="import-progress"
        done={done}
        total={total}
      />
      <div className="progress-meta muted">
        {progress ? `${formatRate(progress.imagesPerSec)} images/s` : ''}
        {progress && progress.phase === 'importing'
          ? ` · about ${formatDuration(progress.etaSeconds)} left`
          : ''}
      </div>
    </div>
  );
}
