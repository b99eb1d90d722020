import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../../app/contract/index.ts';
import {
  EMA_WEIGHT,
  MAX_BATCH_POINTS,
  lrMarksFromHistory,
  newLiveRun,
  withBatch,
  withDetail,
  withEpoch,
  withStatus,
} from '../../../renderer/src/store/live-run.ts';
import type { LiveRun } from '../../../renderer/src/store/live-run.ts';
import { lossTicks } from '../../../renderer/src/components/metric-chart.tsx';
import { makeRunDetail } from './fake-client.ts';

const batch = (epoch: number, b: number, loss: number, acc = 0.5): EventOf<'training-batch'> => ({
  runId: 1,
  epoch,
  batch: b,
  batches: 4,
  loss,
  acc,
  imagesPerSec: 250,
  etaSeconds: 12,
});

const epochEvent = (
  epoch: number,
  lrChange: { from: number; to: number } | null = null,
): EventOf<'training-epoch'> => ({
  runId: 1,
  epoch,
  loss: 2 - epoch / 10,
  acc: 0.2 + epoch / 20,
  valLoss: 2.1 - epoch / 10,
  valAcc: 0.18 + epoch / 20,
  lr: 1e-3,
  imagesPerSec: 300,
  seconds: 20,
  lrChange,
});

describe('live run', () => {
  it('smooths batch loss with a bias-corrected EMA and keeps the raw values', () => {
    const losses = [2, 1, 1.5, 0.5];
    let live = newLiveRun(1, 10);
    for (const [i, loss] of losses.entries())
      live = withBatch(live, batch(1, i + 1, loss, loss / 4));
    // Reference: TensorBoard's debiased EMA, computed independently here.
    let biased = 0;
    const expected = losses.map((loss, i) => {
      biased = EMA_WEIGHT * biased + (1 - EMA_WEIGHT) * loss;
      return biased / (1 - EMA_WEIGHT ** (i + 1));
    });
    expect(live.batchPoints.map((p) => p.loss)).toEqual(losses);
    live.batchPoints.forEach((p, i) => expect(p.lossEma).toBeCloseTo(expected[i] ?? NaN, 12));
    live.batchPoints.forEach((p, i) => expect(p.accEma).toBeCloseTo((expected[i] ?? NaN) / 4, 12));
    // The first smoothed point is the first value, not a fraction of it.
    expect(live.batchPoints[0]?.lossEma).toBeCloseTo(2, 12);
    expect(live.batchPoints.map((p) => p.x)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(live).toMatchObject({
      epoch: 1,
      batch: 4,
      batches: 4,
      imagesPerSec: 250,
      etaSeconds: 12,
    });
    expect(live.status).toBe('running');
  });

  it('records epochs and marks where the learning rate changed', () => {
    let live = newLiveRun(1, 10);
    live = withEpoch(live, epochEvent(1));
    live = withEpoch(live, epochEvent(2, { from: 1e-3, to: 5e-4 }));
    live = withEpoch(live, epochEvent(3));
    expect(live.epochPoints.map((p) => p.epoch)).toEqual([1, 2, 3]);
    const { runId: _r, imagesPerSec: _i, seconds: _s, lrChange: _c, ...second } = epochEvent(2);
    expect(live.epochPoints[1]).toEqual(second);
    expect(Object.keys(second).sort()).toEqual(['acc', 'epoch', 'loss', 'lr', 'valAcc', 'valLoss']);
    expect(live.lrMarks).toEqual([{ epoch: 2, from: 1e-3, to: 5e-4 }]);
    expect(live.epoch).toBe(3);
  });

  it('drops what came after the checkpoint when a resumed run replays an epoch', () => {
    let live = newLiveRun(1, 10);
    for (let e = 1; e <= 3; e += 1) {
      for (let b = 1; b <= 4; b += 1) live = withBatch(live, batch(e, b, 1));
      live = withEpoch(live, epochEvent(e, e === 3 ? { from: 1e-3, to: 5e-4 } : null));
    }
    live = withBatch(live, batch(3, 1, 4));
    expect(live.batchPoints.at(-1)).toMatchObject({ x: 2.25, loss: 4, lossEma: 4 });
    expect(Math.max(...live.batchPoints.map((p) => p.x))).toBe(2.25);
    live = withEpoch(live, epochEvent(3));
    expect(live.epochPoints.map((p) => p.epoch)).toEqual([1, 2, 3]);
    expect(live.lrMarks).toEqual([]);
  });

  it('thins old batch points so a long run stays bounded', () => {
    let live: LiveRun = newLiveRun(1, 1000);
    const total = MAX_BATCH_POINTS * 3;
    for (let i = 1; i <= total; i += 1)
      live = withBatch(live, { ...batch(1, i, 1), batches: total });
    expect(live.batchPoints.length).toBeLessThanOrEqual(MAX_BATCH_POINTS);
    expect(live.batchPoints.at(-1)?.x).toBe(1);
    const xs = live.batchPoints.map((p) => p.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it('keeps the known backend when a status event has none', () => {
    const backend = { name: 'wasm' as const, label: 'WebAssembly', reasons: [] };
    let live = withStatus(newLiveRun(1, 3), {
      runId: 1,
      status: 'running',
      message: null,
      backend,
    });
    live = withStatus(live, { runId: 1, status: 'stopping', message: null, backend: null });
    expect(live.backend).toEqual(backend);
    expect(live.status).toBe('stopping');
  });

  it('merges the stored history under what events delivered and derives lr marks from it', () => {
    const detail = makeRunDetail(1, { epochsDone: 4, epochs: 12 });
    expect(lrMarksFromHistory(detail.history, detail.config.schedule)).toEqual([
      { epoch: 2, from: 1e-3, to: 5e-4 },
    ]);
    let live = withEpoch(newLiveRun(1, null), { ...epochEvent(4), loss: 0.123 });
    live = withDetail(live, detail);
    expect(live.epochs).toBe(12);
    expect(live.epochPoints.map((p) => p.epoch)).toEqual([1, 2, 3, 4]);
    expect(live.epochPoints[3]?.loss).toBe(0.123);
    expect(live.lrMarks).toEqual([{ epoch: 2, from: 1e-3, to: 5e-4 }]);
  });
});

describe('loss axis', () => {
  it('picks round ticks that just cover the largest loss', () => {
    expect(lossTicks(2.2)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(lossTicks(1.6)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(lossTicks(0.42)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(lossTicks(0)).toEqual([0, 0.05, 0.1, 0.15, 0.2]);
    expect(lossTicks(900)).toEqual([0, 225, 450, 675, 900]);
  });
});
