import { COMPACT_VARIANT, DEFAULT_MODEL, XCEPTION_VARIANT, isModelVariant } from './names.ts';
import type * as tf from '@tensorflow/tfjs';
import { buildCompactCnn } from './compact-cnn.ts';
import { buildMiniXception } from './mini-xception.ts';
import { buildSeedCnn, type ModelConfig } from './seed-cnn.ts';
import { buildXceptionFer } from './xception-fer.ts';

export interface ModelEntry {
  name: string;
  description: string;
  /** Returns a new, uncompiled model each call. */
  build: (config?: ModelConfig) => tf.LayersModel;
}

// Parameter counts at 48×48×1, 7 classes, batch-norm moving statistics included (countParams()).
export const MODELS: Record<string, ModelEntry> = {
  'compact-cnn-w24': {
    name: 'compact-cnn-w24',
    description:
      'compact-cnn at 1.5× width (24 channels first, ~0.64 M params): the default without a GPU, about half compact-cnn’s speed.',
    build: (config) => buildCompactCnn({ ...config, width: 24 }),
  },
  'compact-cnn': {
    name: 'compact-cnn',
    description:
      'Batch-norm CNN with global average pooling (~0.28 M params): twice as fast as the default, less accurate.',
    build: buildCompactCnn,
  },
  'mini-xception': {
    name: 'mini-xception',
    description:
      'The published mini-Xception (oarriaga/face_classification): residual depthwise-separable modules, no dense layer, no dropout (58 k params).',
    build: buildMiniXception,
  },
  'xception-fer': {
    name: 'xception-fer',
    description:
      'mini-Xception at twice the width with dropout 0.2 before the classifier (0.21 M params); xception-fer-w3, -w2d3 … name other widths and depths.',
    build: (config) => buildXceptionFer({ ...config, width: 2, depth: 2 }),
  },
  'seed-cnn': {
    name: 'seed-cnn',
    description:
      "The reference notebook's CNN: conv/pool/dropout blocks and a 256-unit dense layer (~1.4 M params).",
    build: buildSeedCnn,
  },
};

/**
 * A registered model, or a variant named by width (and depth): `compact-cnn-w24` (24 channels in
 * the first block), `xception-fer-w3`, `xception-fer-w2d3` (width 2, three separable convolutions
 * per module). Undefined if unknown.
 */
export function findModel(name: string): ModelEntry | undefined {
  const entry = MODELS[name];
  if (entry) return entry;
  if (!isModelVariant(name)) return undefined;
  const compact = COMPACT_VARIANT.exec(name);
  if (compact) {
    const width = Number(compact[1]);
    return {
      name,
      description: `compact-cnn with ${width} channels in the first block (16 by default).`,
      build: (config) => buildCompactCnn({ ...config, width }),
    };
  }
  const match = XCEPTION_VARIANT.exec(name);
  if (!match) return undefined;
  const width = Number(match[1]);
  const depth = Number(match[2] ?? 2);
  return {
    name,
    description: `xception-fer at width ${width}, ${depth} separable convolutions per module.`,
    build: (config) => buildXceptionFer({ ...config, width, depth }),
  };
}

export { DEFAULT_MODEL };
