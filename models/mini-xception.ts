import type * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from './seed-cnn.ts';
import { buildXceptionFer } from './xception-fer.ts';

/**
 * The published mini-Xception (oarriaga/face_classification): stem 8 channels, residual
 * separable modules of 16/32/64/128 filters, no dropout by default; 58,423 parameters at
 * 48×48×1 (1,472 of them batch-norm moving statistics), the published count.
 */
export function buildMiniXception(config: ModelConfig = {}): tf.LayersModel {
  return buildXceptionFer({ dropout: 0, ...config, width: 1, depth: 2 });
}
