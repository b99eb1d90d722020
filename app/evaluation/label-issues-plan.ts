import type Database from 'better-sqlite3';
import type { IssueMethod } from '../contract/evaluation.ts';
import { createRunStore } from '../runs/run-store.ts';
import { createDynamicsStore } from './dynamics-store.ts';
import { defaultCvEpochs } from './cv-epochs.ts';
import { assignFolds, finishedFolds } from './folds.ts';
import { createPredictionStore } from './prediction-store.ts';

export interface LabelIssuesPlan {
  method: IssueMethod;
  dynamics: boolean;
  folds: number;
  /** Epochs each fold model trains. */
  epochs: number;
  trainImages: number;
  /** From the run's own training speed; null when the run has no epoch to measure it by. */
  estimatedSeconds: number | null;
  /** The cross-validation is stored already: finding issues only ranks (seconds). */
  ready: boolean;
  /** Fold models kept from a cancelled search: only the others are trained. */
  foldsDone: number;
}

/** Worker start and model build per fold, measured at 1–2 s here; small beside the training. */
const FOLD_OVERHEAD_S = 1;
const WORKER_START_S = 2;
/** Inference runs about three times faster than a training step on the same images. */
const PREDICT_SPEEDUP = 3;

/** What "Find label issues" will cost for a run, so the UI can say so before the click. */
export function createLabelIssuesPlanner(db: Database.Database) {
  const runs = createRunStore(db);
  const predictions = createPredictionStore(db);
  const dynamicsStore = createDynamicsStore(db);
  return (runId: number, folds: number, epochs?: number, asked?: IssueMethod): LabelIssuesPlan => {
    const run = runs.get(runId);
    const dynamics = !run.config.fineTune && dynamicsStore.has(runId);
    const method = asked ?? (dynamics ? 'training-dynamics' : 'k-fold');
    // A fine-tuned run ranks only its test images (evaluator.labelIssues): no cross-validation.
    const train = predictions.roleImages(runId, 'train');
    const trainImages = run.config.fineTune ? 0 : train.ids.length;
    const stored = predictions.load(runId, 'train', true).ids;
    // Training dynamics were stored when the run ended: only the ranking is left.
    const ready = method === 'training-dynamics' || stored.length >= trainImages;
    const foldsDone =
      ready || trainImages < folds
        ? 0
        : finishedFolds(stored, train.ids, assignFolds(train.labels, folds, run.config.seed))
            .length;
    const foldEpochs = epochs ?? defaultCvEpochs(run.config, trainImages, folds);
    const speeds = run.history.map((h) => h.imagesPerSec).filter((v) => v > 0);
    const speed = speeds.length > 0 ? median(speeds) : null;
    const perFold = Math.ceil((trainImages * (folds - 1)) / folds);
    const estimatedSeconds =
      ready || speed === null
        ? ready
          ? 0
          : null
        : ((folds - foldsDone) * foldEpochs * perFold) / speed +
          ((folds - foldsDone) / folds) * (trainImages / (speed * PREDICT_SPEEDUP)) +
          (folds - foldsDone) * FOLD_OVERHEAD_S +
          WORKER_START_S;
    return {
      method,
      dynamics,
      folds,
      epochs: foldEpochs,
      trainImages,
      estimatedSeconds,
      ready,
      foldsDone,
    };
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
