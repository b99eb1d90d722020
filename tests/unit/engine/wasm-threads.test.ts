import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../app/engine/backend.ts';

// Own file: the threaded build must be the first wasm initialisation in its process.
describe('threaded wasm under Node', () => {
  it('starts 2 XNNPACK threads and computes the same convolution as the cpu backend', async () => {
    await tf.setBackend('cpu');
    const x = tf.randomUniform([2, 12, 12, 8]).arraySync() as number[][][][];
    const w = tf.randomUniform([3, 3, 8, 4]).arraySync() as number[][][][];
    const conv = () =>
      tf.tidy(() => tf.conv2d(tf.tensor4d(x), tf.tensor4d(w), 1, 'same').dataSync());
    const ref = conv();
    const info = await selectBackend('wasm', undefined, { wasmThreads: 2 });
    expect(info.label).toBe('WebAssembly (SIMD, 2 threads, FMA convolutions)');
    const got = conv();
    expect(Math.max(...ref.map((v, i) => Math.abs(v - (got[i] as number))))).toBeLessThan(1e-4);
  });
});
