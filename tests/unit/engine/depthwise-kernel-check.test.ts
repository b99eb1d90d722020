import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assertTrainingKernels,
  missingTrainingKernels,
} from '../../../app/engine/training-kernels.ts';
import { registerWasmTrainingKernels } from '../../../app/engine/wasm-kernels/index.ts';
import { initWasmBackend } from '../../../app/engine/wasm-runtime.ts';
import { train } from '../../../app/training/train.ts';
import { MODELS } from '../../../models/index.ts';
import { barData, quickConfig } from '../training/helpers.ts';

const build = (name: string) => (MODELS[name] as { build: () => tf.LayersModel }).build();

describe('a model whose gradient kernels the backend lacks fails before training', () => {
  beforeAll(async () => {
    // The stock wasm backend, before our training kernels are registered (tfjs#8474).
    await initWasmBackend(1);
    expect(await tf.setBackend('wasm')).toBe(true);
  });

  it('names the layer, the kernel and the backend; train() rejects before any epoch', async () => {
    const model = build('mini-xception');
    const missing = missingTrainingKernels(model).map((m) => m.kernel);
    expect(missing).toContain('DepthwiseConv2dNativeBackpropFilter');
    expect(missing).toContain('DepthwiseConv2dNativeBackpropInput');
    expect(() => assertTrainingKernels(model)).toThrow(
      /cannot train on the "wasm" backend: its \w+ layers need the gradient kernel \w+, which "wasm" does not have/,
    );
    const epochs: number[] = [];
    const batches: number[] = [];
    await expect(
      train(model, barData(4), quickConfig({ epochs: 1 }), {
        onEpochEnd: (m) => void epochs.push(m.epoch),
        onBatchEnd: (b) => void batches.push(b.batch),
      }),
    ).rejects.toThrow(/cannot train on the "wasm" backend.*DepthwiseConv2dNativeBackprop/);
    expect(epochs).toEqual([]);
    expect(batches).toEqual([]);
    model.dispose();
  });

  it('passes every registered model once the wasm training kernels are registered; cpu has all', () => {
    registerWasmTrainingKernels();
    for (const name of Object.keys(MODELS)) {
      const model = build(name);
      expect(missingTrainingKernels(model, 'wasm')).toEqual([]);
      expect(missingTrainingKernels(model, 'cpu')).toEqual([]);
      expect(() => assertTrainingKernels(model, 'wasm')).not.toThrow();
      model.dispose();
    }
  });
});
