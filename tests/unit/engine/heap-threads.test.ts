import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchNormTraining } from '../../../app/engine/batch-norm-training.ts';
import { selectBackend } from '../../../app/engine/backend.ts';
import { heapThreadStats, stopHeapThreads } from '../../../app/engine/wasm-kernels/heap-threads.ts';

// Own file: the threaded wasm build (shared heap) must be the first wasm initialisation in its process.

/** Gradients of Σ(maxPool(relu(batchNorm(x)))·dy) w.r.t. x, γ, β. */
function bnPoolGrads(values: { x: number[]; dy: number[] }, shape: number[]) {
  return tf.tidy(() => {
    const c = shape[3] as number;
    const x = tf.tensor4d(values.x, shape as [number, number, number, number]);
    const gamma = tf.linspace(0.5, 1.5, c);
    const beta = tf.linspace(-1, 1, c);
    const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { y, mean, variance } = batchNormTraining(a, g, b, 1e-3);
      tf.dispose([mean, variance]);
      const pooled = tf.maxPool(tf.relu(y) as tf.Tensor4D, 2, 2, 'valid');
      return tf.sum(tf.mul(pooled, tf.tensor(values.dy, pooled.shape)));
    };
    return tf
      .grads(f)([x, gamma, beta])
      .map((g) => Array.from(g.dataSync()));
  });
}

function maxDiff(a: number[][], b: number[][]): number {
  let worst = 0;
  a.forEach((row, i) => {
    expect(row.length).toBe(b[i]?.length);
    row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (b[i]?.[j] as number)))));
  });
  return worst;
}

describe('heap kernels split across two threads on the shared wasm heap', () => {
  // 5 images (an uneven split) × 24×24×48 = 138k floats: above the inline threshold.
  const shape = [5, 24, 24, 48];
  const size = shape.reduce((a, b) => a * b, 1);
  const values = {
    x: Array.from({ length: size }, (_, i) => Math.sin(i * 0.37) * 3 + (i % 48) * 0.1),
    dy: Array.from({ length: size / 4 }, (_, i) => Math.cos(i * 0.11)),
  };
  let reference: number[][];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    reference = bnPoolGrads(values, shape);
    const info = await selectBackend('wasm', undefined, { wasmThreads: 2 });
    expect(info.label).toBe('WebAssembly (SIMD, 2 threads, FMA convolutions)');
  });
  afterAll(() => stopHeapThreads());

  it('batch-norm, relu and max-pool gradients match the cpu backend, computed on both threads', () => {
    const before = heapThreadStats().parallel;
    const got = bnPoolGrads(values, shape);
    expect(maxDiff(got, reference)).toBeLessThan(1e-3);
    // moments, affine, max-pool grad, relu grad, dot sums, affine2: each split in two.
    expect(heapThreadStats().parallel - before).toBeGreaterThanOrEqual(6);
  });

  it('keeps working after the wasm heap grows (the helper gets the new buffer)', () => {
    // ~400 MB more heap: the SharedArrayBuffer object the helper holds is replaced.
    const heaps = heapThreadStats().heaps;
    const big = tf.zeros([100_000_000]);
    const got = bnPoolGrads(values, shape);
    big.dispose();
    expect(maxDiff(got, reference)).toBeLessThan(1e-3);
    expect(heapThreadStats()).not.toHaveProperty('broken');
    expect(heapThreadStats().heaps).toBe(heaps + 1);
  });

  // Last: a failed helper is never used again in this process.
  it('redoes a failed helper’s half on the calling thread, then stays single-threaded', () => {
    stopHeapThreads();
    process.env['FER_HEAP_HELPER_FAIL_FOR_TESTS'] = '1';
    try {
      const got = bnPoolGrads(values, shape);
      expect(maxDiff(got, reference)).toBeLessThan(1e-3);
      expect(heapThreadStats()).toMatchObject({
        broken: 'the heap helper thread failed a kernel loop',
      });
      const parallel = heapThreadStats().parallel;
      expect(maxDiff(bnPoolGrads(values, shape), reference)).toBeLessThan(1e-3);
      expect(heapThreadStats().parallel).toBe(parallel);
    } finally {
      delete process.env['FER_HEAP_HELPER_FAIL_FOR_TESTS'];
    }
  });
});
