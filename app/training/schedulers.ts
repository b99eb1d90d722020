/**
 * Early stopping and ReduceLROnPlateau as pure state transitions (Keras semantics), so a crafted
 * metric sequence can test them and a checkpoint can store their state as plain JSON.
 */

export type Mode = 'min' | 'max';

export interface MonitorState {
  /** Best monitored value so far, null before the first epoch. */
  best: number | null;
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
}

export const initialMonitorState = (): MonitorState => ({ best: null, bestEpoch: -1, wait: 0 });

export function isImprovement(value: number, best: number | null, minDelta: number, mode: Mode) {
  if (best === null) return true;
  return mode === 'min' ? value < best - minDelta : value > best + minDelta;
}

export interface EarlyStoppingConfig {
  enabled: boolean;
  patience: number;
  minDelta: number;
}

export function earlyStoppingStep(
  state: MonitorState,
  value: number,
  epoch: number,
  config: EarlyStoppingConfig,
  mode: Mode,
): { state: MonitorState; improved: boolean; stop: boolean } {
  if (isImprovement(value, state.best, config.minDelta, mode)) {
    return { state: { best: value, bestEpoch: epoch, wait: 0 }, improved: true, stop: false };
  }
  const wait = state.wait + 1;
  return {
    state: { ...state, wait },
    improved: false,
    stop: config.enabled && wait >= config.patience,
  };
}

export interface PlateauConfig {
  enabled: boolean;
  factor: number;
  patience: number;
  minDelta: number;
  minLr: number;
}

export function plateauStep(
  state: MonitorState,
  value: number,
  epoch: number,
  lr: number,
  config: PlateauConfig,
  mode: Mode,
): { state: MonitorState; lr: number } {
  if (isImprovement(value, state.best, config.minDelta, mode)) {
    return { state: { best: value, bestEpoch: epoch, wait: 0 }, lr };
  }
  const wait = state.wait + 1;
  if (!config.enabled || wait < config.patience) return { state: { ...state, wait }, lr };
  // Reset the counter after a cut, so the next cut needs `patience` more flat epochs.
  const next = Math.max(lr * config.factor, config.minLr);
  return { state: { ...state, wait: 0 }, lr: next };
}

export interface ScheduleConfig {
  kind: 'plateau' | 'cosine' | 'step' | 'constant';
  warmupEpochs: number;
  stepEvery: number;
  stepFactor: number;
  finalFraction: number;
}

/**
 * The rate a schedule plans for 1-based `epoch` of an `epochs`-long run peaking at `base`: linear
 * warm-up (epoch e ≤ W trains at base·e/W), then cosine from base to base·finalFraction at the
 * last epoch, or ×stepFactor every stepEvery epochs, or base. Null for `plateau` after warm-up:
 * there the rate is ReduceLROnPlateau's and depends on the metrics.
 */
export function scheduledLr(
  epoch: number,
  epochs: number,
  base: number,
  s: ScheduleConfig,
): number | null {
  const w = s.warmupEpochs;
  if (epoch <= w) return (base * epoch) / w;
  const k = epoch - w - 1;
  const n = epochs - w - 1;
  switch (s.kind) {
    case 'plateau':
      return epoch === w + 1 ? base : null;
    case 'constant':
      return base;
    case 'step':
      return base * s.stepFactor ** Math.floor(k / s.stepEvery);
    case 'cosine': {
      // One epoch after warm-up has nothing to anneal towards: it trains at the rate typed.
      const t = n <= 0 ? 0 : Math.min(1, k / n);
      return base * (s.finalFraction + ((1 - s.finalFraction) * (1 + Math.cos(Math.PI * t))) / 2);
    }
  }
}

/** Within this factor of the peak a fixed schedule counts as annealed (or at its final rate). */
export const ANNEALED_FRACTION = 0.1;

/**
 * The first epoch early stopping may count: after warm-up, and for the fixed-length schedules
 * (cosine, step) the first epoch whose planned rate is ≤ max(10 % of the peak, the last epoch's
 * rate). Early stopping then needs `patience` non-improving epochs inside that phase, so a run
 * that plateaued at its high rate still gets its low-rate epochs, where the gains come (the
 * mini-Xception log: +2.5 points in the epoch after the first ×0.1 drop).
 */
export function annealedFrom(epochs: number, base: number, s: ScheduleConfig): number {
  const start = s.warmupEpochs + 1;
  if (s.kind === 'plateau' || s.kind === 'constant') return start;
  const last = scheduledLr(epochs, epochs, base, s) ?? base;
  const threshold = Math.max(ANNEALED_FRACTION * base, last) * (1 + 1e-9);
  for (let e = start; e <= epochs; e++) {
    if ((scheduledLr(e, epochs, base, s) ?? base) <= threshold) return e;
  }
  return epochs;
}

/** True when the schedule lowers the rate at some point of an `epochs`-long run. */
export function scheduleDecays(
  epochs: number,
  s: ScheduleConfig,
  plateauEnabled: boolean,
): boolean {
  if (s.kind === 'plateau') return plateauEnabled;
  if (s.kind === 'constant') return false;
  if (s.kind === 'cosine') return s.finalFraction < 1 && epochs - s.warmupEpochs > 1;
  return epochs - s.warmupEpochs > s.stepEvery;
}
