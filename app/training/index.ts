/** The training domain's public API: train a model, checkpoint it, resume it, preview augmentation. */
export { parseTrainConfig, trainConfigSchema, NO_AUGMENTATION } from './config.ts';
export type { Augmentation, TrainConfig, TrainConfigInput } from './config.ts';
export { prepareDataset, validateTrainingData } from './dataset.ts';
export type { TrainingData, PreparedDataset } from './dataset.ts';
export { previewAugmentations } from './augment.ts';
export { train } from './train.ts';
export type {
  BatchEnd,
  CheckpointSnapshot,
  EpochMetrics,
  LrChange,
  TrainCallbacks,
  TrainOptions,
  TrainResult,
  TrainStatus,
} from './train.ts';
export {
  checkpointTo,
  loadBestModel,
  loadCheckpoint,
  resumeTraining,
  saveCheckpoint,
} from './checkpoint.ts';
export { fileIoHandler } from './fs-io.ts';
export { createEma, etaSeconds, formatDuration } from './metrics.ts';
