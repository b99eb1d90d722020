import { useShallow } from 'zustand/react/shallow';
import { formatDuration, formatNumber, formatRate } from '../format.ts';
import type { LiveStatus } from '../store/live-run.ts';
import { useStudio } from '../store/store.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { selectTrainBlocker } from './train-readiness.ts';
import { TrainEstimateLine } from './train-estimate.tsx';
import { TrainNextSteps } from './train-next-steps.tsx';
import { ProgressTrack, percentOf } from '../components/progress-bar.tsx';

export const STATUS_TEXT: Record<LiveStatus, string> = {
  preparing: 'Preparing…',
  running: 'Training',
  stopping: 'Stopping…',
  stopped: 'Stopped',
  finished: 'Finished',
  failed: 'Failed',
};

/** Status, epoch k / N, the batch bar, speed and time left of the live run. */
export function TrainingProgress() {
  const blocker = useStudio(selectTrainBlocker);
  const live = useStudio(
    useShallow((s) =>
      s.live
        ? {
            runId: s.live.runId,
            status: s.live.status,
            message: s.live.message,
            epochs: s.live.epochs,
            epoch: s.live.epoch,
            batch: s.live.batch,
            batches: s.live.batches,
            imagesPerSec: s.live.imagesPerSec,
            etaSeconds: s.live.etaSeconds,
            // Schedules move the rate every epoch; the curves mark only drops, this shows the value.
            lr: s.live.epochPoints.at(-1)?.lr ?? null,
            lrEpoch: s.live.epochPoints.at(-1)?.epoch ?? null,
          }
        : null,
    ),
  );
  if (!live) {
    return (
      <section className="card train-progress">
        {blocker ? (
          <p className="muted">
            <span data-testid="train-status" data-status="blocked">
              {blocker}
            </span>
          </p>
        ) : (
          <p className="muted">
            <span data-testid="train-status" data-status="idle">
              Ready.
            </span>{' '}
            The defaults train a good first model: press Train (Ctrl+Enter).
          </p>
        )}
        {!blocker && <TrainEstimateLine />}
      </section>
    );
  }
  const percent = percentOf(live.batch, live.batches);
  const running = live.status === 'running';
  return (
    <section className="card train-progress" aria-live="polite">
      <div className="progress-head">
        <span>
          <strong
            className={`status status-${live.status}`}
            data-testid="train-status"
            data-status={live.status}
          >
            {STATUS_TEXT[live.status]}
          </strong>{' '}
          <span className="muted">run #{live.runId}</span>
        </span>
        <span>
          Epoch{' '}
          <span data-testid="train-epoch" data-epoch={live.epoch}>
            {live.epoch} / {live.epochs ?? '?'}
          </span>
        </span>
      </div>
      <ProgressTrack
        label="Batches in this epoch"
        percent={percent}
        valueText={`batch ${live.batch} of ${live.batches}`}
        testId="train-batch-progress"
      />
      <div className="progress-meta muted">
        <span>
          {live.batches > 0 ? `batch ${live.batch} / ${live.batches}` : ''}
          {live.lr !== null && (
            <span data-testid="train-lr-now" title="The learning rate of the last finished epoch">
              {` · epoch ${live.lrEpoch} trained at ${formatNumber(live.lr)}`}
            </span>
          )}
        </span>
        <span>
          {live.imagesPerSec !== null && `${formatRate(live.imagesPerSec)} images/s`}
          {running &&
            live.etaSeconds !== null &&
            ` · about ${formatDuration(live.etaSeconds)} left`}
        </span>
      </div>
      {live.status === 'failed' ? (
        <ErrorMessage
          code="training-failed"
          message={live.message ?? 'Training stopped with an error.'}
          testId="train-failed"
        />
      ) : (
        live.message && <p className="muted train-message">{live.message}</p>
      )}
      {live.status === 'finished' && <TrainNextSteps runId={live.runId} />}
    </section>
  );
}
