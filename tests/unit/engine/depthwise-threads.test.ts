import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFmaKernels } from '../../../app/engine/fma/index.ts';
import { selectBackend } from '../../../app/engine/backend.ts';
import { heapThreadStats, stopHeapThreads } from '../../../app/engine/wasm-kernels/heap-threads.ts';

// Own file: the threaded wasm build (shared heap) must be the first wasm initialisation in its process.

interface Shape {
  x: [number, number, number, number];
  f: [number, number, number, number];
}

/** dX and dW of Σ(depthwiseConv2d(x, w, same)·dy), values made from sines so both backends agree. */
function grads(s: Shape): number[][] {
  return tf.tidy(() => {
    const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor4d(
      Array.from({ length: size(s.x) }, (_, i) => Math.sin(i * 0.37)),
      s.x,
    );
    const w = tf.tensor4d(
      Array.from({ length: size(s.f) }, (_, i) => Math.cos(i * 0.7)),
      s.f,
    );
    const f = (xx: tf.Tensor, ww: tf.Tensor) => {
      const y = tf.depthwiseConv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, 'same');
      const dy = tf.tensor(
        Array.from({ length: y.size }, (_, i) => Math.cos(i * 0.11)),
        y.shape,
      );
      return y.mul(dy).sum();
    };
    return tf
      .grads(f)([x, w])
      .map((g) => Array.from(g.dataSync()));
  });
}

/** Largest difference relative to the reference's largest magnitude. */
function relDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0) / scale;
}

const SHAPES: Record<string, Shape> = {
  // A mini-Xception layer's shape, 5 images (an uneven split between the threads).
  'model-like 24×24×48': { x: [5, 24, 24, 48], f: [3, 3, 48, 1] },
  // 3·3·1000·2 sums exceed the helper's shared partial block: done in channel slices.
  'wide 6×6×1000, multiplier 2': { x: [3, 6, 6, 1000], f: [3, 3, 1000, 2] },
};

describe('depthwise filter gradient split across two threads on the shared wasm heap', () => {
  const reference: Record<string, number[][]> = {};

  beforeAll(async () => {
    await tf.setBackend('cpu');
    for (const [name, s] of Object.entries(SHAPES)) reference[name] = grads(s);
    const info = await selectBackend('wasm', undefined, { wasmThreads: 2 });
    expect(info.label).toBe('WebAssembly (SIMD, 2 threads, FMA convolutions)');
  });
  afterAll(() => stopHeapThreads());

  for (const [name, s] of Object.entries(SHAPES)) {
    it(`${name}: matches the cpu backend, computed on both threads`, () => {
      const before = heapThreadStats().parallel;
      const [dx, dw] = grads(s);
      const [dxRef, dwRef] = reference[name] as number[][];
      expect(relDiff(dx as number[], dxRef as number[])).toBeLessThan(1e-5);
      expect(relDiff(dw as number[], dwRef as number[])).toBeLessThan(1e-5);
      expect(heapThreadStats().parallel).toBeGreaterThan(before);
      expect(heapThreadStats()).not.toHaveProperty('broken');
    });
  }
});

describe('1×1 conv filter gradient (blocked transpose) split across two threads', () => {
  // 5·22·23 = 2530 pixels (not a multiple of the 16-row blocks) × 40 channels: above the inline threshold.
  const run = () =>
    tf.tidy(() => {
      const x = tf.tensor4d(
        Array.from({ length: 5 * 22 * 23 * 40 }, (_, i) => Math.sin(i * 0.37)),
        [5, 22, 23, 40],
      );
      const w = tf.tensor4d(
        Array.from({ length: 40 * 24 }, (_, i) => Math.cos(i * 0.7)),
        [1, 1, 40, 24],
      );
      const f = (ww: tf.Tensor) =>
        tf
          .conv2d(x, ww as tf.Tensor4D, 1, 'same')
          .square()
          .sum();
      return Array.from(tf.grad(f)(w).dataSync());
    });

  it('matches the cpu backend', async () => {
    await tf.setBackend('cpu');
    const reference = run();
    await tf.setBackend('wasm');
    // The FMA kernels serve 1×1 convolutions now; this path stays as their fallback.
    process.env['FER_FMA_KERNELS'] = '0';
    installFmaKernels(2);
    try {
      const before = heapThreadStats().parallel;
      expect(relDiff(run(), reference)).toBeLessThan(1e-5);
      expect(heapThreadStats().parallel).toBeGreaterThan(before);
    } finally {
      delete process.env['FER_FMA_KERNELS'];
      installFmaKernels(2);
    }
  });
});
