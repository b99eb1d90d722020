import { describe, expect, test } from 'vitest';
import {
  earlyStoppingStep,
  initialMonitorState,
  plateauStep,
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
