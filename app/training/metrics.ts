/** Small numeric helpers for progress display: smoothed batch loss and time left. */

export interface Ema {
  /** Adds a value and returns the smoothed value; non-finite values are ignored. */
  push(value: number): number;
  /** Null until the first value. */
  value(): number | null;
  reset(): void;
}

/**
 * Exponential moving average with bias correction (as in Adam and TensorBoard), so the first
 * values are not dragged towards zero. `smoothing` 0 returns the raw value, 0.9 ≈ last 10 values.
 */
export function createEma(smoothing = 0.9): Ema {
  if (!(smoothing >= 0 && smoothing < 1))
    throw new Error(`smoothing must be in [0, 1), got ${smoothing}`);
  let avg = 0;
  let steps = 0;
  const value = () => (steps === 0 ? null : avg / (1 - smoothing ** steps));
  return {
    push(x) {
      if (Number.isFinite(x)) {
        avg = smoothing * avg + (1 - smoothing) * x;
        steps++;
      }
      return value() ?? x;
    },
    value,
    reset() {
      avg = 0;
      steps = 0;
    },
  };
}

/**
 * Seconds left, from the work done and the time it took; null before there is anything to
 * extrapolate from. Linear: epochs take about the same time once the first is through.
 */
export function etaSeconds(done: number, total: number, elapsedSeconds: number): number | null {
  if (done <= 0 || elapsedSeconds <= 0 || total <= 0) return null;
  if (done >= total) return 0;
  return (elapsedSeconds / done) * (total - done);
}

/** Work units per second, 0 for an empty interval. */
export function rate(units: number, seconds: number): number {
  return seconds > 0 ? units / seconds : 0;
}

/** 75 → "1:15", 3725 → "1:02:05", for the progress line. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
