import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeMetrics } from '../../../app/evaluation/metrics.ts';
import type { TrainResult } from '../../../app/training/train.ts';
import { printOutcome, type AccuracyOutcome } from '../../../scripts/accuracy-report.ts';

const labels = [0, 1, 2, 3, 4, 5, 6, 3];
const metrics = computeMetrics(labels, [0, 1, 2, 3, 4, 5, 6, 4]);

function outcome(
  minutes: number,
  status: TrainResult['status'],
  trainFraction = 1,
): AccuracyOutcome {
  const result: TrainResult = {
    status,
    message: '',
    epochsDone: 2,
    history: [1, 2].map((epoch) => ({
      epoch,
      loss: 1,
      acc: 0.5,
      valLoss: 1,
      valAcc: 0.4 + epoch / 10,
      lr: 0.01,
      imagesPerSec: 100 * epoch,
      seconds: 60,
    })),
    monitor: 'val_acc',
    bestEpoch: 2,
    bestValue: 0.6,
    restoredBest: true,
    lastCheckpointEpoch: 2,
    recalibrated: true,
    split: { train: 8, validation: 8 },
    warnings: [],
    dynamics: { probs: new Float32Array(0), epochs: new Uint16Array(0) },
  };
  return {
    cpu: '2 × Test CPU',
    backend: 'cpu',
    recipe: {},
    trainFraction,
    trainImages: 8,
    valImages: 8,
    result,
    minutes,
    val: { plain: metrics, flip: metrics },
    test: { plain: metrics, flip: metrics, images: labels.length },
    recalibratedBn: null,
    averaged: null,
  };
}

function printed(o: AccuracyOutcome): string {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  printOutcome(o);
  return log.mock.calls.map((call) => call.join(' ')).join('\n');
}

afterEach(() => vi.restoreAllMocks());

describe('printOutcome', () => {
  it('prints the figures of the run: epochs, minutes, img/s, CPU, plain and flip accuracy', () => {
    const text = printed(outcome(104.7, 'completed'));
    expect(text).toContain('2 × Test CPU');
    expect(text).toContain('2 in 104.7 min, 150 img/s training (best epoch 2, restored');
    expect(text).toContain('test accuracy   87.50 % plain on 8 FER-2013 test images');
    expect(text).toMatch(/neutral\s+F1 0\.667/);
  });

  it("says whether a full-data run fitted issue 10's 2 h, and when --minutes cut it short", () => {
    expect(printed(outcome(104.7, 'completed'))).toContain("within issue 10's 2 h");
    expect(printed(outcome(131.2, 'completed'))).toContain("over issue 10's 2 h");
    const capped = printed(outcome(90, 'stopped'));
    expect(capped).toContain("within issue 10's 2 h");
    expect(capped).toContain('stopped by --minutes: not the whole recipe');
  });

  it('says nothing of the 2 h for a proxy run on a fraction of train', () => {
    expect(printed(outcome(14, 'completed', 0.25))).not.toContain('2 h');
  });
});
