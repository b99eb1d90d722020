import type { BackendInfo } from '../contract/handlers.ts';
import type { TrainConfig } from '../training/config.ts';
import type { BatchEnd, EpochMetrics, LrChange, TrainStatus } from '../training/train.ts';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** Main → training worker. Requests carry a sequence number; replies name it. */
export type WorkerRequest =
  | { type: 'probe'; seq: number; backend: BackendPreference }
  | {
      type: 'train';
      seq: number;
      backend: BackendPreference;
      runDir: string;
      config: TrainConfig;
      /** Continue from the run directory's latest checkpoint instead of a fresh model. */
      resume: boolean;
      /** Fine-tuning: the parent run's model folder to start from instead of a fresh model. */
      initialModel: string | null;
      pixels: Uint8Array;
      labels: Uint8Array;
      ids: number[];
    }
  /** A short timed epoch on random faces, for a time estimate before a model's first run. */
  | { type: 'speed'; seq: number; backend: BackendPreference; config: TrainConfig }
  | { type: 'stop'; seq: number };

export interface ModelDescription {
  name: string;
  description: string;
  parameters: number;
}

/** Training worker → main. */
export type WorkerMessage =
  | {
      type: 'probed';
      seq: number;
      backend: BackendInfo;
      models: ModelDescription[];
      defaultModel: string;
    }
  | { type: 'backend'; seq: number; backend: BackendInfo }
  | { type: 'speed'; seq: number; backend: BackendInfo; secondsPerImageEpoch: number }
  | { type: 'batch'; seq: number; info: BatchEnd }
  | { type: 'epoch'; seq: number; metrics: EpochMetrics }
  | { type: 'lr-change'; seq: number; change: LrChange }
  | {
      type: 'done';
      seq: number;
      status: TrainStatus;
      message: string;
      epochsDone: number;
      /** Where the final (best) model was saved, tfjs layers format. */
      modelDir: string | null;
      /** Training dynamics per catalogue image (the studio's 7 classes only; null otherwise). */
      dynamics: { ids: number[]; probs: Float32Array; epochs: Uint16Array } | null;
    }
  | { type: 'error'; seq: number; message: string };
