import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasmBackend } from '../../../app/engine/wasm-runtime.ts';
import { registerWasmTrainingKernels } from '../../../app/engine/wasm-kernels/index.ts';

interface Case {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  f: [number, number];
  stride: 1 | 2;
  pad: 'same' | 'valid';
}

// Seeded so a failure reproduces; shapes are odd/even mixes to hit the crop and zero-stuff paths.
function cases(): Case[] {
  let s = 7;
  const rnd = (lo: number, hi: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return lo + (s % (hi - lo + 1));
  };
  const out: Case[] = [];
  for (const stride of [1, 2] as const) {
    for (const pad of ['same', 'valid'] as const) {
      for (let k = 0; k < 3; k++) {
        const fh = rnd(1, 4);
        out.push({
          n: rnd(1, 3),
          h: rnd(5, 11),
          w: rnd(5, 11),
          ci: rnd(1, 5),
          co: rnd(1, 6),
          f: [fh, k === 2 ? 3 : fh],
          stride,
          pad,
        });
      }
    }
  }
  // 1×1 filters take the pointwise path (separable blocks, strided shortcuts): odd and even sizes,
  // and ≥ 16 input channels for its JS transpose (pixel counts not a multiple of its 16-row blocks).
  for (const stride of [1, 2] as const)
    for (const pad of ['same', 'valid'] as const)
      for (const [h, ci] of [
        [6, 5],
        [11, 21],
      ] as const)
        out.push({ n: 3, h, w: h + 1, ci, co: 4, f: [1, 1], stride, pad });
  return out;
}

/** dX and dW of Σ(conv(x,w)·dy) on the current backend. */
function convGrads(
  c: Case,
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  dyFor: (y: tf.Tensor4D) => tf.Tensor4D,
) {
  return tf.tidy(() => {
    const f = (xx: tf.Tensor, ww: tf.Tensor) => {
      const y = tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad);
      return y.mul(dyFor(y)).sum();
    };
    const [dx, dw] = tf.grads(f)([x, w]);
    return [dx!.arraySync(), dw!.arraySync()] as const;
  });
}

function maxAbsDiff(a: unknown, b: unknown): number {
  const fa = (a as number[]).flat(4) as number[];
  const fb = (b as number[]).flat(4) as number[];
  expect(fa.length).toBe(fb.length);
  return fa.reduce((m, v, i) => Math.max(m, Math.abs(v - (fb[i] as number))), 0);
}

describe('wasm conv2d gradient kernels match the cpu backend', () => {
  beforeAll(async () => {
    await initWasmBackend(1);
    expect(registerWasmTrainingKernels()).toContain('Conv2DBackpropFilter');
  });

  for (const c of cases()) {
    it(`x[${c.n},${c.h},${c.w},${c.ci}] f${c.f.join('x')}→${c.co} stride ${c.stride} ${c.pad}`, async () => {
      const xv = tf.randomUniform([c.n, c.h, c.w, c.ci], -1, 1).arraySync();
      const wv = tf.randomUniform([c.f[0], c.f[1], c.ci, c.co], -1, 1).arraySync();
      let dyv: number[][][][] | undefined;
      const dyFor = (y: tf.Tensor4D) => {
        dyv ??= tf.randomUniform(y.shape, -1, 1).arraySync() as number[][][][];
        return tf.tensor4d(dyv);
      };
      const run = () =>
        convGrads(c, tf.tensor4d(xv as number[][][][]), tf.tensor4d(wv as number[][][][]), dyFor);

      await tf.setBackend('cpu');
      const [dxRef, dwRef] = run();
      await tf.setBackend('wasm');
      expect(tf.getBackend()).toBe('wasm');
      const [dx, dw] = run();
      expect(maxAbsDiff(dx, dxRef)).toBeLessThan(1e-4);
      expect(maxAbsDiff(dw, dwRef)).toBeLessThan(1e-4);
    });
  }
});
