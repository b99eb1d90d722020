import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasmBackend } from '../../../app/engine/wasm-runtime.ts';
import { registerWasmTrainingKernels } from '../../../app/engine/wasm-kernels/index.ts';

/** Runs `f` on cpu, then on wasm, with the same random inputs; returns the max abs difference. */
async function cpuVsWasm(
  shapes: number[][],
  f: (...xs: tf.Tensor[]) => tf.Tensor[],
): Promise<number> {
  const values = shapes.map((s) => tf.randomUniform(s, -1, 1).arraySync());
  const run = () =>
    tf.tidy(() =>
      f(...values.map((v, i) => tf.tensor(v as number[], shapes[i]))).map((t) => t.dataSync()),
    );
  await tf.setBackend('cpu');
  const ref = run();
  await tf.setBackend('wasm');
  const got = run();
  let diff = 0;
  ref.forEach((r, i) => {
    const g = got[i] as tf.TypedArray;
    expect(g.length).toBe(r.length);
    r.forEach((v, j) => (diff = Math.max(diff, Math.abs(v - (g[j] as number)))));
  });
  return diff;
}

describe('wasm pooling, reduction and batch-norm gradients match the cpu backend', () => {
  beforeAll(async () => {
    await initWasmBackend(1);
    registerWasmTrainingKernels();
  });

  const pools: [number[], number, 1 | 2, 'same' | 'valid'][] = [
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[2, 7, 9, 3], 2, 2, 'valid'],
    [[2, 8, 6, 5], 2, 2, 'same'],
    [[1, 9, 7, 2], 2, 2, 'same'],
    [[2, 7, 7, 4], 3, 2, 'same'],
    [[1, 6, 5, 3], 3, 1, 'valid'],
    [[3, 5, 6, 1], 2, 1, 'same'],
  ];
  for (const [shape, size, stride, pad] of pools) {
    it(`maxPool grad x[${shape.join(',')}] pool ${size} stride ${stride} ${pad}`, async () => {
      const diff = await cpuVsWasm([shape], (x) => {
        const f = (t: tf.Tensor) =>
          tf
            .maxPool(t as tf.Tensor4D, size, stride, pad)
            .square()
            .sum();
        return [tf.grad(f)(x as tf.Tensor)];
      });
      expect(diff).toBeLessThan(1e-5);
    });
  }

  // 2×2/2 windows take the dedicated loop; 3×3/2 "same" (mini-Xception's pools) overlap and pad.
  for (const [size, pad] of [
    [2, 'valid'],
    [3, 'same'],
  ] as const) {
    it(`max-pool ${size}×${size} gradient with tied maxima (ReLU zeros) goes to each window’s first maximum`, async () => {
      const diff = await cpuVsWasm([[2, 8, 7, 3]], (x) => {
        // Half the inputs are 0, so some windows are all zeros; a few more tie on rounded values.
        const t = tf.relu(tf.round(tf.mul(x as tf.Tensor, 3)));
        const f = (a: tf.Tensor) =>
          tf
            .maxPool(a as tf.Tensor4D, size, 2, pad)
            .mul(tf.linspace(1, 2, 3))
            .sum();
        return [tf.grad(f)(t)];
      });
      expect(diff).toBeLessThan(1e-6);
    });
  }

  it('relu and its one-pass gradient (negative, zero and positive inputs)', async () => {
    const diff = await cpuVsWasm([[3, 7, 5, 4]], (x) => {
      const t = (x as tf.Tensor).sub(0.2);
      const f = (a: tf.Tensor) => tf.relu(a).mul(a.add(1.5)).sum();
      return [tf.relu(t), tf.grad(f)(t), tf.grad(f)(tf.zeros([5]))];
    });
    expect(diff).toBeLessThan(1e-5);
  });

  it('sum and mean over leading axes (fast path) and other axes (stock path)', async () => {
    const diff = await cpuVsWasm([[4, 5, 6, 3]], (x) => {
      const t = x as tf.Tensor;
      return [t.sum([0, 1, 2]), t.mean([0, 1], true), t.sum(0), t.mean([1, 2]), t.sum(), t.sum(-1)];
    });
    expect(diff).toBeLessThan(1e-4);
  });

  it('broadcast tile (fast path), general tile (stock path) and sum/mean gradients', async () => {
    const diff = await cpuVsWasm([[4, 5, 6, 3]], (x) => {
      const t = x as tf.Tensor;
      const perChannel = t.mean([0, 1, 2], true);
      const perImage = t.mean([1, 2], true);
      const loss = (u: tf.Tensor) =>
        u
          .mean([0, 1, 2])
          .square()
          .sum()
          .add(u.sum([1, 2]).sum());
      return [
        tf.tile(perChannel, [4, 5, 6, 1]),
        tf.tile(perImage, [1, 5, 6, 1]),
        tf.tile(t, [2, 1, 1, 2]),
        tf.grad(loss)(t),
        tf.cast(t, 'int32').cast('float32'),
        tf.cast(t, 'float32').add(t.clone()),
      ];
    });
    expect(diff).toBeLessThan(1e-4);
  });

  it('fused batch-norm gradient equals the gradient of the same maths in elementary ops', async () => {
    const eps = 1e-3;
    const shapes = [[3, 4, 5, 6], [6], [6], [6], [6], [3, 4, 5, 6]];
    const grads = async (fused: boolean) =>
      cpuVsWasm(shapes, (x, m, v, s, o, dy) => {
        const variance = (v as tf.Tensor).abs().add(0.5);
        const f = (xx: tf.Tensor, mm: tf.Tensor, vv: tf.Tensor, ss: tf.Tensor, oo: tf.Tensor) => {
          const y = fused
            ? tf.batchNorm(xx, mm, vv, oo, ss, eps)
            : xx
                .sub(mm)
                .mul(tf.rsqrt(vv.add(eps)))
                .mul(ss)
                .add(oo);
          return y.mul(dy as tf.Tensor).sum();
        };
        return tf.grads(f)([
          x as tf.Tensor,
          m as tf.Tensor,
          variance,
          s as tf.Tensor,
          o as tf.Tensor,
        ]);
      });
    // Both variants compared across backends; then fused-vs-elementary on wasm alone.
    expect(await grads(true)).toBeLessThan(1e-3);
    const values = shapes.map((s) => tf.randomUniform(s, -1, 1));
    const [x, m, v, s, o, dy] = values as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
    const vv = v.abs().add(0.5);
    const of = (fused: boolean) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor) =>
        (fused
          ? tf.batchNorm(a, b, c, e, d, eps)
          : a
              .sub(b)
              .mul(tf.rsqrt(c.add(eps)))
              .mul(d)
              .add(e)
        )
          .mul(dy)
          .sum(),
      )([x, m, vv, s, o]);
    const fusedG = of(true);
    const plainG = of(false);
    fusedG.forEach((g, i) => {
      const d = g
        .sub(plainG[i] as tf.Tensor)
        .abs()
        .max()
        .dataSync()[0] as number;
      expect(d).toBeLessThan(1e-3);
    });
    tf.dispose([...values, vv, ...fusedG, ...plainG]);
  });
});
