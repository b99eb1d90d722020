import type { BackendInfo, EventOf, RunDetail } from '../../../app/contract/index.ts';

export type LiveStatus = EventOf<'training-status'>['status'];
type BatchEvent = EventOf<'training-batch'>;
type EpochEvent = EventOf<'training-epoch'>;
type StatusEvent = EventOf<'training-status'>;

/** `x` is in epochs: batch b of n in epoch e sits at e − 1 + b / n, so batches and epochs share an axis. */
export interface BatchPoint {
  x: number;
  loss: number;
  acc: number;
  lossEma: number;
  accEma: number;
}

/** What the charts plot per epoch: the contract's epoch metrics, without timing. */
export type EpochPoint = Pick<
  EventOf<'training-epoch'>,
  'epoch' | 'loss' | 'acc' | 'valLoss' | 'valAcc' | 'lr'
>;

/** ReduceLROnPlateau or the step schedule lowered the rate after `epoch`. */
export interface LrMark {
  epoch: number;
  from: number;
  to: number;
}

interface Ema {
  loss: number;
  acc: number;
  steps: number;
}

/** The run the core is training (or last trained), fed by events. */
export interface LiveRun {
  runId: number;
  status: LiveStatus;
  message: string | null;
  backend: BackendInfo | null;
  /** Planned epochs; null until the config is known. */
  epochs: number | null;
  epoch: number;
  batch: number;
  batches: number;
  imagesPerSec: number | null;
  etaSeconds: number | null;
  batchPoints: BatchPoint[];
  epochPoints: EpochPoint[];
  lrMarks: LrMark[];
  ema: Ema;
}

/** TensorBoard-style smoothing; the bias correction keeps the first points from hugging zero. */
export const EMA_WEIGHT = 0.9;
/** Past this many batch points the older half is thinned, so a long run stays cheap to draw. */
export const MAX_BATCH_POINTS = 1500;

export function isActive(status: LiveStatus): boolean {
  return status === 'preparing' || status === 'running' || status === 'stopping';
}

export function newLiveRun(runId: number, epochs: number | null): LiveRun {
  return {
    runId,
    status: 'preparing',
    message: null,
    backend: null,
    epochs,
    epoch: 0,
    batch: 0,
    batches: 0,
    imagesPerSec: null,
    etaSeconds: null,
    batchPoints: [],
    epochPoints: [],
    lrMarks: [],
    ema: { loss: 0, acc: 0, steps: 0 },
  };
}

export function stepEma(ema: Ema, loss: number, acc: number): Ema {
  return {
    loss: EMA_WEIGHT * ema.loss + (1 - EMA_WEIGHT) * loss,
    acc: EMA_WEIGHT * ema.acc + (1 - EMA_WEIGHT) * acc,
    steps: ema.steps + 1,
  };
}

export function emaValue(ema: Ema, key: 'loss' | 'acc'): number {
  return ema[key] / (1 - EMA_WEIGHT ** ema.steps);
}

export function withStatus(live: LiveRun, event: StatusEvent): LiveRun {
  return {
    ...live,
    status: event.status,
    message: event.message,
    // "stopping" comes without a backend; keep the one we know.
    backend: event.backend ?? live.backend,
  };
}

export function withBatch(live: LiveRun, event: BatchEvent): LiveRun {
  const x = event.epoch - 1 + (event.batches > 0 ? event.batch / event.batches : 0);
  let points = live.batchPoints;
  let ema = live.ema;
  const last = points.at(-1);
  // A resumed run replays from its checkpoint: drop what comes after it and restart smoothing.
  if (last && last.x >= x) {
    points = points.filter((p) => p.x < x);
    ema = { loss: 0, acc: 0, steps: 0 };
  }
  ema = stepEma(ema, event.loss, event.acc);
  if (points.length >= MAX_BATCH_POINTS) points = thin(points);
  const point: BatchPoint = {
    x,
    loss: event.loss,
    acc: event.acc,
    lossEma: emaValue(ema, 'loss'),
    accEma: emaValue(ema, 'acc'),
  };
  return {
    ...live,
    status: live.status === 'preparing' ? 'running' : live.status,
    epoch: event.epoch,
    batch: event.batch,
    batches: event.batches,
    imagesPerSec: event.imagesPerSec,
    etaSeconds: event.etaSeconds,
    batchPoints: [...points, point],
    ema,
  };
}

/** Keeps every second point of the older half and the newer half whole. */
function thin(points: BatchPoint[]): BatchPoint[] {
  const half = Math.floor(points.length / 2);
  return [...points.slice(0, half).filter((_, i) => i % 2 === 0), ...points.slice(half)];
}

export function withEpoch(live: LiveRun, event: EpochEvent): LiveRun {
  const point = toEpochPoint(event);
  const lrMarks = live.lrMarks.filter((m) => m.epoch < event.epoch);
  if (event.lrChange) lrMarks.push({ epoch: event.epoch, ...event.lrChange });
  return {
    ...live,
    epoch: event.epoch,
    batch: live.batches,
    imagesPerSec: event.imagesPerSec,
    epochPoints: [...live.epochPoints.filter((p) => p.epoch < event.epoch), point],
    lrMarks,
  };
}

/** Merges the stored run (config, history) into what events already delivered; events win. */
export function withDetail(live: LiveRun, detail: RunDetail): LiveRun {
  const seen = new Set(live.epochPoints.map((p) => p.epoch));
  const epochPoints = [
    ...detail.history.filter((h) => !seen.has(h.epoch)).map(toEpochPoint),
    ...live.epochPoints,
  ].sort((a, b) => a.epoch - b.epoch);
  const marked = new Set(live.lrMarks.map((m) => m.epoch));
  const lrMarks = [
    ...lrMarksFromHistory(detail.history, detail.config.schedule).filter(
      (m) => !marked.has(m.epoch),
    ),
    ...live.lrMarks,
  ].sort((a, b) => a.epoch - b.epoch);
  return {
    ...live,
    epochs: detail.config.epochs,
    backend: live.backend ?? detail.backend,
    epoch: Math.max(live.epoch, epochPoints.at(-1)?.epoch ?? 0),
    epochPoints,
    lrMarks,
  };
}

export function toEpochPoint(metrics: EpochPoint): EpochPoint {
  const { epoch, loss, acc, valLoss, valAcc, lr } = metrics;
  return { epoch, loss, acc, valLoss, valAcc, lr };
}

/**
 * Stored history has each epoch's rate; a cut between epochs e and e + 1 is a mark at e. As the
 * live events (and the report, app/report/gather.ts) mark them: only plateau cuts and steps after
 * warm-up, since warm-up and cosine move the rate every epoch.
 */
export function lrMarksFromHistory(
  history: readonly EpochPoint[],
  schedule: Pick<RunDetail['config']['schedule'], 'kind' | 'warmupEpochs'>,
): LrMark[] {
  if (schedule.kind !== 'plateau' && schedule.kind !== 'step') return [];
  const marks: LrMark[] = [];
  for (let i = 1; i < history.length; i += 1) {
    const previous = history[i - 1];
    const current = history[i];
    if (previous && current && previous.epoch > schedule.warmupEpochs && current.lr < previous.lr) {
      marks.push({ epoch: previous.epoch, from: previous.lr, to: current.lr });
    }
  }
  return marks;
}

/**
 * The core's batch points so far (a page opened mid-run) under what events already delivered:
 * the snapshot is replayed for its smoothing, newer event points stay on top.
 */
export function withBatchHistory(
  live: LiveRun,
  batches: readonly Omit<BatchEvent, 'runId'>[],
): LiveRun {
  let replay: LiveRun = { ...live, batchPoints: [], ema: { loss: 0, acc: 0, steps: 0 } };
  for (const batch of batches) replay = withBatch(replay, { runId: live.runId, ...batch });
  const lastX = replay.batchPoints.at(-1)?.x ?? -1;
  const newer = live.batchPoints.filter((p) => p.x > lastX);
  if (newer.length === 0) return { ...replay, epoch: Math.max(replay.epoch, live.epoch) };
  return { ...live, batchPoints: [...replay.batchPoints, ...newer] };
}
