import { useShallow } from 'zustand/react/shallow';
import type { RunSummary, Stats } from '../../../app/contract/index.ts';
import { formatDuration, formatRate } from '../format.ts';
import { useStudio } from '../store/store.ts';
import type { StudioState } from '../store/store.ts';
import { parseDraft } from './train-form.ts';

export interface TrainEstimate {
  seconds: number;
  /** The run whose measured speed the estimate scales. */
  fromRunId: number;
  imagesPerSec: number;
}

/**
 * Wall time of a run about to start, scaled from the newest run of the same model that trained at
 * least one epoch here: its seconds per image per epoch (training, validation and checkpoints
 * included) × the training images now × the epochs asked for. Null without such a run.
 */
export function estimateTraining(
  model: string,
  epochs: number,
  runs: readonly RunSummary[] | null,
  stats: Stats | null,
): TrainEstimate | null {
  if (!runs || !stats) return null;
  const images = Object.values(stats.classes).reduce((sum, c) => sum + c.train, 0);
  const measured = runs
    .filter((r) => r.model === model && !r.imported && r.epochsDone > 0 && r.seconds > 0)
    .filter((r) => r.trainImages + r.valImages > 0)
    .sort((a, b) => b.id - a.id)[0];
  if (!measured || images === 0) return null;
  const perImageEpoch =
    measured.seconds / (measured.epochsDone * (measured.trainImages + measured.valImages));
  return {
    seconds: perImageEpoch * images * epochs,
    fromRunId: measured.id,
    imagesPerSec: 1 / perImageEpoch,
  };
}

/** Primitives only, so useShallow keeps the selection stable between renders. */
const selectEstimate = (s: StudioState) => {
  if (!s.trainDraft) return null;
  const { config } = parseDraft(s.trainDraft);
  const estimate = estimateTraining(config.model, config.epochs, s.runs, s.stats);
  return {
    model: config.model,
    epochs: config.epochs,
    earlyStopping: config.earlyStopping.enabled,
    seconds: estimate?.seconds ?? null,
    fromRunId: estimate?.fromRunId ?? null,
    imagesPerSec: estimate?.imagesPerSec ?? null,
  };
};

/** "About 14 min for 30 epochs", before the click, from this machine's measured speed. */
export function TrainEstimateLine() {
  const e = useStudio(useShallow(selectEstimate));
  if (!e) return null;
  const early = e.earlyStopping ? ' at most; early stopping may end it sooner' : '';
  return (
    <p className="muted" data-testid="train-estimate">
      {e.seconds !== null && e.imagesPerSec !== null
        ? `About ${formatDuration(e.seconds)} for ${e.epochs} epochs${early} (run #${e.fromRunId} trained ${e.model} at ${formatRate(e.imagesPerSec)} images/s here).`
        : `No time estimate yet for ${e.model} on this machine: the first epoch measures the speed, then the time left shows here.`}
    </p>
  );
}
