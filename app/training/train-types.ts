import type * as tf from '@tensorflow/tfjs';
import type { Monitor, TrainConfig } from './config.ts';
import type { DynamicsMeans, EncodedDynamics } from './dynamics.ts';
import type { EncodedTensors } from './optimizer-state.ts';
import type { MonitorState } from './schedulers.ts';

/** What train() takes and reports: callbacks, checkpoints, resume points and results. */
export interface BatchEnd {
  /** 1-based, like the UI shows it. */
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  acc: number;
  imagesPerSec: number;
}

export interface EpochMetrics {
  epoch: number;
  loss: number;
  acc: number;
  /** Null without a validation set. */
  valLoss: number | null;
  valAcc: number | null;
  /** The learning rate this epoch trained with. */
  lr: number;
  imagesPerSec: number;
  seconds: number;
}

/**
 * A drop worth marking on the curves: ReduceLROnPlateau's cuts and the step schedule's steps.
 * Warm-up and cosine change the rate every epoch; those show as the LR line, not as marks.
 */
export interface LrChange {
  epoch: number;
  from: number;
  to: number;
  reason: 'plateau' | 'step';
}

/** Everything besides weights needed to continue a run exactly; plain JSON. */
export interface TrainState {
  config: TrainConfig;
  epochsDone: number;
  rngState: [number, number, number, number];
  lr: number;
  monitor: Monitor;
  history: EpochMetrics[];
  earlyStopping: MonitorState;
  plateau: MonitorState;
  /** The training dynamics recorded so far (absent in checkpoints written before they existed). */
  dynamics?: EncodedDynamics;
}

export interface CheckpointSnapshot {
  epoch: number;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  state: TrainState;
  /** This epoch is the best so far: the model's weights are the best weights. */
  improved: boolean;
  /** The best epoch's weights so far (null unless restoreBest); equal to the model's when `improved`. */
  bestWeights: readonly tf.Tensor[] | null;
}

export interface TrainCallbacks {
  onBatchEnd?: (info: BatchEnd) => void;
  onEpochEnd?: (metrics: EpochMetrics) => void | Promise<void>;
  onLrChange?: (change: LrChange) => void;
  /**
   * What the model predicted for each training batch as it trained (augmented images, training
   * mode): `indices` are the batch's images in `data`, `probs` is indices.length × outputs.
   * Given, it makes each step read the batch's probabilities back (448 floats per 64 images).
   */
  onBatchProbabilities?: (epoch: number, indices: Int32Array, probs: Float32Array) => void;
  /** Awaited at every epoch end; a throw stops training with status `checkpoint-failed`. */
  onCheckpoint?: (snapshot: CheckpointSnapshot) => void | Promise<void>;
}

export interface ResumePoint {
  state: TrainState;
  optimizer: EncodedTensors;
  /** The best epoch's weights, for restoreBest; ownership passes to train(). */
  bestWeights?: tf.Tensor[];
}

export interface TrainOptions {
  signal?: AbortSignal;
  resume?: ResumePoint;
}

export type TrainStatus = 'completed' | 'early-stopped' | 'stopped' | 'nan' | 'checkpoint-failed';

export interface TrainResult {
  status: TrainStatus;
  /** One sentence for the UI/CLI. */
  message: string;
  epochsDone: number;
  history: EpochMetrics[];
  monitor: Monitor;
  bestEpoch: number | null;
  bestValue: number | null;
  /** The model now holds the best epoch's weights. */
  restoredBest: boolean;
  /** The last epoch whose checkpoint callback succeeded. */
  lastCheckpointEpoch: number | null;
  /** Batch-norm statistics were recalibrated on the training images after the last epoch. */
  recalibrated: boolean;
  split: { train: number; validation: number };
  warnings: string[];
  /** Per image of `data` (same order), its mean predicted probabilities while it trained. */
  dynamics: DynamicsMeans;
}
