import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.ts';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.ts';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.ts';
import { fusedBatchNormGradConfig } from './batch-norm-grad.ts';
import { maxPoolGradConfig } from './max-pool-grad.ts';
import { outerReduceConfigs } from './reduce-outer.ts';
import { meanGradConfig, sumGradConfig } from './reduce-grads.ts';
import { shareDataConfigs } from './share-data.ts';
import { broadcastTileConfig } from './tile-broadcast.ts';
import { channelOpConfigs } from './channel-ops.ts';
import { reluGradConfig, reluGradKernelConfig } from './relu.ts';

const TRAINING_KERNELS = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  maxPoolGradConfig,
];

/**
 * Registers (or replaces) the gradient kernels the stock wasm backend lacks or runs slowly.
 * Idempotent; call before training on the 'wasm' backend.
 */
export function registerWasmTrainingKernels(): string[] {
  for (const config of [
    ...TRAINING_KERNELS,
    ...outerReduceConfigs(),
    ...shareDataConfigs(),
    broadcastTileConfig(),
    ...channelOpConfigs,
    reluGradKernelConfig,
  ]) {
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  // Gradient (not kernel) override: backend-neutral maths, so it is registered globally.
  for (const grad of [fusedBatchNormGradConfig, sumGradConfig, meanGradConfig, reluGradConfig])
    tf.registerGradient(grad);
  return [
    ...TRAINING_KERNELS.map((k) => k.kernelName),
    'Sum',
    'Mean',
    'Identity',
    'Cast',
    'Tile',
    'Relu',
  ];
}
