import { DEFAULT_MODEL } from './names.ts';
import type * as tf from '@tensorflow/tfjs';
import { buildCompactCnn } from './compact-cnn.ts';
import { buildSeedCnn, type ModelConfig } from './seed-cnn.ts';

export type { ModelConfig } from './seed-cnn.ts';

export interface ModelEntry {
  name: string;
  description: string;
  /** Returns a new, uncompiled model each call. */
  build: (config?: ModelConfig) => tf.LayersModel;
}

export const MODELS: Record<string, ModelEntry> = {
  'compact-cnn': {
    name: 'compact-cnn',
    description:
      'Batch-norm CNN with global average pooling (~0.28 M params); fast on CPU, the default without a GPU.',
    build: buildCompactCnn,
  },
  'seed-cnn': {
    name: 'seed-cnn',
    description:
      "The reference notebook's CNN: conv/pool/dropout blocks and a 256-unit dense layer (~1.4 M params).",
    build: buildSeedCnn,
  },
};

export { DEFAULT_MODEL };
