import { describe, expect, test } from 'vitest';
import { createEma, etaSeconds, formatDuration, rate } from '../../../app/training/metrics.ts';

describe('createEma', () => {
  test('the first value is returned unbiased, later values are smoothed', () => {
    const ema = createEma(0.9);
    expect(ema.value()).toBeNull();
    expect(ema.push(2)).toBeCloseTo(2, 12);
    const second = ema.push(1);
    // Bias-corrected average of 2 and 1 with weights 0.9·0.1 and 0.1 over 0.19.
    expect(second).toBeCloseTo((0.09 * 2 + 0.1 * 1) / 0.19, 12);
    for (let i = 0; i < 200; i++) ema.push(5);
    expect(ema.value()).toBeCloseTo(5, 6);
  });

  test('NaN does not poison the average; reset starts over', () => {
    const ema = createEma(0.5);
    ema.push(1);
    expect(ema.push(Number.NaN)).toBe(1);
    ema.reset();
    expect(ema.value()).toBeNull();
    expect(() => createEma(1)).toThrow(/smoothing/);
  });
});

describe('eta and rate', () => {
  test('linear extrapolation', () => {
    expect(etaSeconds(0, 10, 5)).toBeNull();
    expect(etaSeconds(2, 10, 30)).toBe(120);
    expect(etaSeconds(10, 10, 30)).toBe(0);
    expect(rate(640, 2)).toBe(320);
    expect(rate(5, 0)).toBe(0);
  });

  test('formatDuration', () => {
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(-3)).toBe('0:00');
  });
});
