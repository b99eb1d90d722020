import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RunSummary, Stats } from '../../../app/contract/index.ts';
import { formatDuration, formatRate } from '../format.ts';
import { isActive } from '../store/live-run.ts';
import { useClient, useStudio } from '../store/store.ts';
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
    batchSize: config.batchSize,
    earlyStopping: config.earlyStopping.enabled,
    images: s.stats ? Object.values(s.stats.classes).reduce((sum, c) => sum + c.train, 0) : 0,
    // The runs list has loaded: only then does "no measured run" mean a speed test is needed.
    runsLoaded: s.runs !== null,
    training: s.live !== null && isActive(s.live.status),
    seconds: estimate?.seconds ?? null,
    fromRunId: estimate?.fromRunId ?? null,
    imagesPerSec: estimate?.imagesPerSec ?? null,
  };
};

type SpeedTest =
  | { key: string; kind: 'measuring' }
  | { key: string; kind: 'done'; secondsPerImageEpoch: number; backend: string }
  | { key: string; kind: 'failed' };

/**
 * Without a run of this model here, asks the core for a speed test (one short epoch on random
 * faces, cached per model and batch size) and scales it the same way.
 */
function useSpeedTest(model: string, batchSize: number, wanted: boolean): SpeedTest | null {
  const client = useClient();
  const key = `${model}/${batchSize}`;
  const [test, setTest] = useState<SpeedTest | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let current = true;
    client.invoke('training-speed', { model, batchSize }).then(
      (speed) => current && setTest({ key, kind: 'done', ...speed }),
      () => current && setTest({ key, kind: 'failed' }),
    );
    return () => {
      current = false;
    };
  }, [client, key, model, batchSize, wanted]);
  if (test?.key === key) return test;
  return wanted ? { key, kind: 'measuring' } : null;
}

/** "About 14 min for 30 epochs", before the click, from this machine's measured speed. */
export function TrainEstimateLine() {
  const e = useStudio(useShallow(selectEstimate));
  const fromRun = e !== null && e.seconds !== null;
  const wantTest = e !== null && !fromRun && e.runsLoaded && !e.training && e.images > 0;
  const test = useSpeedTest(e?.model ?? '', e?.batchSize ?? 0, wantTest);
  if (!e) return null;
  const early = e.earlyStopping ? ' at most; early stopping may end it sooner' : '';
  const epochs = `${e.epochs} ${e.epochs === 1 ? 'epoch' : 'epochs'}`;
  let text: string;
  if (e.seconds !== null && e.imagesPerSec !== null)
    text = `About ${formatDuration(e.seconds)} for ${epochs}${early} (run #${e.fromRunId} trained ${e.model} at ${formatRate(e.imagesPerSec)} images/s here).`;
  else if (test?.kind === 'done')
    text = `About ${formatDuration(test.secondsPerImageEpoch * e.images * e.epochs)} for ${epochs}${early} (a speed test of ${e.model} here: ${formatRate(1 / test.secondsPerImageEpoch)} images/s on ${test.backend}).`;
  else if (test?.kind === 'measuring') text = `Measuring how fast ${e.model} trains here…`;
  else
    text = `No time estimate yet for ${e.model} on this machine: the first epoch measures the speed, then the time left shows here.`;
  return (
    <p
      className="muted"
      data-testid="train-estimate"
      data-kind={test?.kind ?? (fromRun ? 'run' : 'none')}
    >
      {text}
    </p>
  );
}
