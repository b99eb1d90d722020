import type { BackendPreference } from '../engine/backend.ts';
import type { Preprocessing } from '../preprocessing/index.ts';
import type { PredictedPhoto, PredictOptions } from './predict-image.ts';

/** Main → predict worker; replies name the request's `seq`. */
export type PredictRequest = {
  type: 'predict';
  seq: number;
  backend: BackendPreference;
  modelDir: string;
  /** Which saved model: a resumed run replaces it, so a changed stamp reloads. */
  modelStamp: string;
  preprocessing: Preprocessing;
  bytes: Uint8Array;
  options: PredictOptions;
};

export type PredictReply =
  | { type: 'result'; seq: number; photo: PredictedPhoto }
  | {
      type: 'error';
      seq: number;
      /** `photo`: the input cannot be read; `model`: the run's model cannot be used. */
      kind: 'photo' | 'model' | 'failed';
      code: string;
      message: string;
    };
