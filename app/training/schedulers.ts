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
