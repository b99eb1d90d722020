import type { BackendPreference } from '../engine/backend.ts';
import type { Preprocessing } from '../preprocessing/index.ts';
import type { TrainConfig } from '../training/config.ts';

/** Main → evaluation worker; one job per worker, replies name the request's `seq`. */
export type EvalRequest =
  | {
      type: 'predict';
      seq: number;
      backend: BackendPreference;
      modelDir: string;
      /** count × 2304 grayscale pixels. */
      pixels: Uint8Array;
      /** How this run's model takes an image and orders its outputs. */
      preprocessing: Preprocessing;
      /** `flip`: each row is the mean of the image's and its mirror image's probabilities. */
      tta?: 'flip';
    }
  | {
      type: 'cross-validate';
      seq: number;
      backend: BackendPreference;
      /** The run's config; the worker trains with `epochs` epochs and no validation split. */
      config: TrainConfig;
      epochs: number;
      pixels: Uint8Array;
      /** Class index per image. */
      labels: Uint8Array;
      /** 0-based fold per image. */
      folds: Uint8Array;
      foldCount: number;
      /** Folds already stored by a search that was cancelled: not trained again. */
      skipFolds?: number[];
    };

/** Evaluation worker → main. */
export type EvalMessage =
  | { type: 'progress'; seq: number; done: number; total: number; fold: number | null }
  | {
      /** One fold finished: its held-out images' probabilities, stored at once so Cancel keeps them. */
      type: 'fold';
      seq: number;
      /** 0-based fold. */
      fold: number;
      /** Positions in the request's images. */
      indices: Uint32Array;
      /** indices.length × 7 probabilities. */
      probs: Float32Array;
    }
  | {
      type: 'result';
      seq: number;
      /** count × 7 probabilities in request order; empty for cross-validation, whose folds came as `fold`. */
      probs: Float32Array;
    }
  | {
      type: 'error';
      seq: number;
      /** `model-unreadable`: the saved model could not be loaded. */
      reason: 'model-unreadable' | 'failed';
      message: string;
    };
