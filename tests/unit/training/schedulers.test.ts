import { describe, expect, test } from 'vitest';
import {
  annealedFrom,
  earlyStoppingStep,
  initialMonitorState,
  plateauStep,
  scheduledLr,
  type ScheduleConfig,
} from '../../../app/training/schedulers.ts';

function runEarlyStopping(
  values: number[],
  patience: number,
  minDelta = 0,
  mode: 'min' | 'max' = 'min',
) {
  let state = initialMonitorState();
  for (const [i, value] of values.entries()) {
    const step = earlyStoppingStep(
      state,
      value,
      i + 1,
      { enabled: true, patience, minDelta },
      mode,
    );
    state = step.state;
    if (step.stop) return { stoppedAt: i + 1, state };
  }
  return { stoppedAt: null, state };
}

describe('early stopping', () => {
  test('stops after `patience` epochs without improvement and remembers the best epoch', () => {
    const { stoppedAt, state } = runEarlyStopping([1.0, 0.8, 0.7, 0.75, 0.72, 0.71], 3);
    expect(stoppedAt).toBe(6);
    expect(state).toEqual({ best: 0.7, bestEpoch: 3, wait: 3 });
  });

  test('an improvement resets the counter', () => {
    expect(runEarlyStopping([1.0, 1.1, 1.2, 0.9, 1.0, 1.0], 3).stoppedAt).toBeNull();
  });

  test('improvements smaller than minDelta do not count', () => {
    expect(runEarlyStopping([1.0, 0.9995, 0.9992, 0.9991], 3, 1e-3).stoppedAt).toBe(4);
    expect(runEarlyStopping([1.0, 0.99, 0.98, 0.97], 3, 1e-3).stoppedAt).toBeNull();
  });

  test('max mode for accuracy', () => {
    expect(runEarlyStopping([0.5, 0.6, 0.55, 0.58], 2, 0, 'max').stoppedAt).toBe(4);
  });

  test('disabled: tracks the best but never stops', () => {
    let state = initialMonitorState();
    for (const [i, v] of [1, 2, 3, 4, 5, 6].entries()) {
      const step = earlyStoppingStep(
        state,
        v,
        i + 1,
        { enabled: false, patience: 1, minDelta: 0 },
        'min',
      );
      expect(step.stop).toBe(false);
      state = step.state;
    }
    expect(state.bestEpoch).toBe(1);
  });
});

describe('reduce LR on plateau', () => {
  const config = { enabled: true, factor: 0.5, patience: 2, minDelta: 1e-4, minLr: 1e-5 };

  function lrs(values: number[], lr0: number, cfg = config) {
    let state = initialMonitorState();
    let lr = lr0;
    const out: number[] = [];
    for (const [i, value] of values.entries()) {
      ({ state, lr } = plateauStep(state, value, i + 1, lr, cfg, 'min'));
      out.push(lr);
    }
    return out;
  }

  test('halves after two flat epochs, then needs two more flat epochs for the next cut', () => {
    expect(lrs([1, 0.9, 0.95, 0.95, 0.96, 0.97, 0.8, 0.85], 1e-3)).toEqual([
      1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4, 2.5e-4, 2.5e-4,
    ]);
  });

  test('never goes below minLr', () => {
    const out = lrs([1, 1, 1, 1, 1, 1, 1], 3e-5);
    expect(out.at(-1)).toBe(1e-5);
    expect(Math.min(...out)).toBe(1e-5);
  });

  test('disabled keeps the rate', () => {
    expect(lrs([1, 1, 1, 1, 1], 1e-3, { ...config, enabled: false })).toEqual([
      1e-3, 1e-3, 1e-3, 1e-3, 1e-3,
    ]);
  });
});

const schedule = (overrides: Partial<ScheduleConfig>): ScheduleConfig => ({
  kind: 'cosine',
  warmupEpochs: 0,
  stepEvery: 10,
  stepFactor: 0.1,
  finalFraction: 0.01,
  ...overrides,
});
const plan = (epochs: number, s: ScheduleConfig, base = 1) =>
  Array.from({ length: epochs }, (_, e) => scheduledLr(e + 1, epochs, base, s));

describe('learning-rate schedules', () => {
  test('linear warm-up reaches the peak at its last epoch, then the schedule starts', () => {
    const lrs = plan(6, schedule({ kind: 'constant', warmupEpochs: 3 }));
    expect(lrs).toEqual([1 / 3, 2 / 3, 1, 1, 1, 1]);
  });

  test('cosine starts at the peak and ends at finalFraction of it, decreasing', () => {
    const lrs = plan(12, schedule({ warmupEpochs: 1 })) as number[];
    expect(lrs[0]).toBe(1);
    expect(lrs[1]).toBe(1);
    expect(lrs[11]).toBeCloseTo(0.01, 12);
    // Epoch 7 is 5 of the 10 steps from epoch 2 to epoch 12: halfway.
    expect(lrs[6]).toBeCloseTo(0.01 + 0.99 * 0.5, 12);
    for (let i = 2; i < lrs.length; i++) expect(lrs[i]).toBeLessThan(lrs[i - 1] as number);
  });

  test('step multiplies by the factor every stepEvery epochs', () => {
    const lrs = plan(7, schedule({ kind: 'step', stepEvery: 3, stepFactor: 0.5 }));
    expect(lrs).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.25]);
  });

  test('plateau plans only its warm-up and first epoch; the rest is ReduceLROnPlateau', () => {
    expect(plan(4, schedule({ kind: 'plateau', warmupEpochs: 2 }))).toEqual([0.5, 1, 1, null]);
  });

  test('early stopping counts from the annealed phase of a fixed schedule', () => {
    // Cosine over 30 epochs to 1 %: the rate is ≤ 10 % of the peak from epoch 25 on.
    const cosine = schedule({});
    const start = annealedFrom(30, 1, cosine);
    expect(scheduledLr(start, 30, 1, cosine)).toBeLessThanOrEqual(0.1);
    expect(scheduledLr(start - 1, 30, 1, cosine)).toBeGreaterThan(0.1);
    // Step ×0.1: from the first drop; ×0.5 every 10 of 30: from the last step (0.25).
    expect(annealedFrom(30, 1, schedule({ kind: 'step', stepEvery: 10 }))).toBe(11);
    expect(annealedFrom(30, 1, schedule({ kind: 'step', stepEvery: 10, stepFactor: 0.5 }))).toBe(
      21,
    );
    // Plateau and constant only wait out the warm-up.
    expect(annealedFrom(30, 1, schedule({ kind: 'plateau', warmupEpochs: 4 }))).toBe(5);
  });
});

describe('a cosine run with one epoch after warm-up', () => {
  const cosine: ScheduleConfig = {
    kind: 'cosine',
    warmupEpochs: 0,
    stepEvery: 10,
    stepFactor: 0.5,
    finalFraction: 0.01,
  };
  test('trains at the rate typed, not at the final fraction of it', () => {
    expect(scheduledLr(1, 1, 0.05, cosine)).toBe(0.05);
    expect(scheduledLr(3, 3, 0.05, { ...cosine, warmupEpochs: 2 })).toBe(0.05);
  });
});
