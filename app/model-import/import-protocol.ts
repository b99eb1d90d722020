import type { ErrorCode } from '../contract/errors.ts';
import type { BackendPreference } from '../engine/backend.ts';
import type { InputRange, Preprocessing } from '../preprocessing/index.ts';
import type { ImportFormat } from './read-sources.ts';

/** What the import worker reports about a model it opened. */
export interface ModelFacts {
  format: ImportFormat;
  detail: string;
  inputShape: [number, number, number];
  classes: Preprocessing['classOrder'];
  range: InputRange;
  layers: number;
  params: number;
  notes: string[];
}

/** Main → import worker: open one model, predict `pixels`, save it to `stageDir` if given. */
export interface ImportJob {
  path: string;
  inputRange?: InputRange | undefined;
  classes?: string[] | undefined;
  /** count × 2304 stored pixels to predict (the preview's images); may be empty. */
  pixels: Uint8Array;
  /** Where to save the model (tfjs layers format), or null for a preview. */
  stageDir: string | null;
  backend: BackendPreference;
}

/** Import worker → main. */
export type ImportReply =
  | {
      type: 'result';
      facts: ModelFacts;
      preprocessing: Preprocessing;
      /** count × 7 probabilities in studio class order. */
      probs: Float32Array;
      fileName: string;
      sha256: string;
    }
  | { type: 'progress'; fraction: number; stage: string }
  | { type: 'error'; code: ErrorCode; message: string };
