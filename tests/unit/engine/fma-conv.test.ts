import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../../app/engine/backend.ts';
import { fmaCalls } from '../../../app/engine/fma/index.ts';
import { THIN_ROWS, withFallback } from '../../../app/engine/fma/conv-kernels.ts';
import { ConvHeap, FmaCapacityError } from '../../../app/engine/fma/runtime.ts';
import { fmaSplits, setFmaThreads } from '../../../app/engine/fma/threads.ts';

type Pad =
  'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  x: [number, number, number, number];
  f: [number, number, number, number];
  stride: [number, number];
  dilation: [number, number];
  pad: Pad;
}

// Seeded so a failure reproduces.
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function cases(count: number, seed: number, dilated: boolean): Case[] {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const fh = int(1, 4);
    const fw = i % 3 === 0 ? fh : int(1, 4);
    const pads: Pad[] = [
      'same',
      'valid',
      [
        [0, 0],
        [int(0, 3), int(0, 3)],
        [int(0, 3), int(0, 3)],
        [0, 0],
      ],
    ];
    const strided = !dilated || i % 2 === 0;
    const dilation: [number, number] = dilated && !strided ? [int(1, 3), int(1, 3)] : [1, 1];
    // At least one output pixel: tfjs' wasm backend fails on empty outputs.
    const span = (f: number, d: number) => (f - 1) * d + 1;
    out.push({
      x: [int(1, 3), int(span(fh, dilation[0]), 13), int(span(fw, dilation[1]), 13), int(1, 19)],
      f: [fh, fw, 0, int(1, 21)],
      stride: strided ? [int(1, 3), int(1, 3)] : [1, 1],
      dilation,
      pad: pads[i % 3] as Pad,
    });
    const last = out[out.length - 1] as Case;
    last.f[2] = last.x[3];
  }
  return out;
}

function data(shape: number[], r: () => number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
}

/** y, dx, dw of Σ(conv(x, w)·dy) on the active backend, as flat arrays. */
function convAndGrads(c: Case, x: Float32Array, w: Float32Array, dySeed: number) {
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, c.x);
    const wt = tf.tensor4d(w, c.f);
    const conv = (a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad, 'NHWC', c.dilation);
    const y = conv(xt, wt);
    if (c.dilation[0] > 1 || c.dilation[1] > 1) return [y.dataSync() as Float32Array];
    const dy = tf.tensor(data(y.shape, rng(dySeed)), y.shape);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a, b).mul(dy).sum())([xt, wt]);
    return [y, dx!, dw!].map((t) => t.dataSync() as Float32Array);
  });
}

/** Largest difference relative to the reference's largest magnitude. */
function relativeError(got: Float32Array, want: Float32Array): number {
  expect(got.length).toBe(want.length);
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs((got[i] as number) - (want[i] as number)));
    scale = Math.max(scale, Math.abs(want[i] as number));
  }
  return diff / scale;
}

async function compare(list: Case[]): Promise<void> {
  const r = rng(11);
  for (const [i, c] of list.entries()) {
    const x = data(c.x, r);
    const w = data(c.f, r);
    await tf.setBackend('cpu');
    const want = convAndGrads(c, x, w, i + 1);
    await tf.setBackend('wasm');
    const got = convAndGrads(c, x, w, i + 1);
    for (const [k, ref] of want.entries())
      expect(
        relativeError(got[k] as Float32Array, ref),
        `${JSON.stringify(c)} output ${k}`,
      ).toBeLessThan(1e-5);
  }
}

const total = (kind: 'fma' | 'fallback') => [...fmaCalls[kind].values()].reduce((a, b) => a + b, 0);

describe('FMA convolution kernels match the cpu backend', () => {
  beforeAll(async () => {
    const info = await selectBackend('wasm', undefined, { wasmThreads: 1 });
    expect(info.label).toBe('WebAssembly (SIMD, 1 thread, FMA convolutions)');
  });
  afterAll(() => setFmaThreads(1));

  it('forward, input and filter gradients on random shapes, strides and paddings', async () => {
    const before = total('fma');
    await compare(cases(24, 3, false));
    // 24 forward passes and 48 gradients: all of them served by the FMA kernels.
    expect(total('fma') - before).toBeGreaterThanOrEqual(72);
  });

  it('dilated forward convolutions (tfjs has no dilated conv gradients)', async () => {
    await compare(cases(12, 5, true));
  });

  it('splits large convolutions over two threads with the same results', async () => {
    setFmaThreads(2);
    const before = fmaSplits();
    await compare([
      { x: [4, 24, 24, 16], f: [3, 3, 16, 32], stride: [1, 1], dilation: [1, 1], pad: 'same' },
      { x: [5, 23, 21, 24], f: [3, 3, 24, 40], stride: [2, 2], dilation: [1, 1], pad: 'valid' },
    ]);
    // Per case: the forward pass, again inside tf.grads, and both gradients.
    expect(fmaSplits() - before).toBe(8);
    setFmaThreads(1);
  });

  it('fuses a bias and relu into the forward pass', async () => {
    const r = rng(4);
    const [x, w, b] = [data([2, 9, 8, 5], r), data([3, 3, 5, 11], r), data([11], r)];
    const run = () =>
      tf.tidy(
        () =>
          tf.fused
            .conv2d({
              x: tf.tensor4d(x, [2, 9, 8, 5]),
              filter: tf.tensor4d(w, [3, 3, 5, 11]),
              bias: tf.tensor1d(b),
              strides: 2,
              pad: 'same',
              activation: 'relu',
            })
            .dataSync() as Float32Array,
      );
    const before = fmaCalls.fma.get('FusedConv2D') ?? 0;
    const got = run();
    await tf.setBackend('cpu');
    const want = run();
    await tf.setBackend('wasm');
    expect(relativeError(got, want)).toBeLessThan(1e-5);
    expect(want.some((v) => v === 0) && want.some((v) => v > 0)).toBe(true);
    expect(fmaCalls.fma.get('FusedConv2D')).toBe(before + 1);
  });

  it('falls back when a call does not fit the kernels memory', () => {
    const previous = vi.fn(() => ({ dataId: {}, shape: [1], dtype: 'float32' as const }));
    const kernel = withFallback(
      'Conv2D',
      () => {
        throw new FmaCapacityError();
      },
      previous,
    );
    const args = { inputs: {}, backend: {} as never, attrs: {} };
    expect(kernel(args)).toEqual({ dataId: {}, shape: [1], dtype: 'float32' });
    expect(previous).toHaveBeenCalledWith(args);
    const broken = withFallback(
      'Conv2D',
      () => {
        throw new Error('bug');
      },
      previous,
    );
    expect(() => broken(args)).toThrow('bug');
  });

  it('hands calls it does not cover back to the previous kernels', async () => {
    const before = total('fallback');
    const r = rng(2);
    const x = data([2, 7, 7, 3], r);
    const w = data([3, 3, 3, 4], r);
    const run = () =>
      tf.tidy(
        () =>
          tf.fused
            .conv2d({
              x: tf.tensor4d(x, [2, 7, 7, 3]),
              filter: tf.tensor4d(w, [3, 3, 3, 4]),
              strides: 1,
              pad: 'same',
              activation: 'elu',
            })
            .dataSync() as Float32Array,
      );
    const got = run();
    await tf.setBackend('cpu');
    const want = run();
    await tf.setBackend('wasm');
    expect(relativeError(got, want)).toBeLessThan(1e-5);
    expect(total('fallback') - before).toBe(1);
  });

  it('leaves a thin, large forward pass (the 1-channel stem) to XNNPACK, its filter gradient not', async () => {
    const r = rng(6);
    const side = Math.ceil(Math.sqrt(THIN_ROWS / 9)) + 1;
    const shape: [number, number, number, number] = [9, side, side, 1];
    const [x, w, dy] = [data(shape, r), data([3, 3, 1, 8], r), data([9, side, side, 8], r)];
    const run = () =>
      tf.tidy(() => {
        const xt = tf.tensor4d(x, shape);
        const y = tf.conv2d(xt, tf.tensor4d(w, [3, 3, 1, 8]), 1, 'same');
        const dw = tf.engine().runKernel(
          'Conv2DBackpropFilter',
          { x: xt, dy: tf.tensor4d(dy, [9, side, side, 8]) },
          {
            strides: 1,
            pad: 'same',
            dataFormat: 'NHWC',
            dilations: 1,
            filterShape: [3, 3, 1, 8],
          },
        ) as tf.Tensor;
        return [y.dataSync() as Float32Array, dw.dataSync() as Float32Array];
      });
    const [fallbackBefore, filterBefore] = [
      fmaCalls.fallback.get('Conv2D') ?? 0,
      fmaCalls.fma.get('Conv2DBackpropFilter') ?? 0,
    ];
    const got = run();
    expect(fmaCalls.fallback.get('Conv2D')).toBe(fallbackBefore + 1);
    expect(fmaCalls.fma.get('Conv2DBackpropFilter')).toBe(filterBefore + 1);
    await tf.setBackend('cpu');
    const want = run();
    await tf.setBackend('wasm');
    expect(relativeError(got[0] as Float32Array, want[0] as Float32Array)).toBeLessThan(1e-5);
    expect(relativeError(got[1] as Float32Array, want[1] as Float32Array)).toBeLessThan(1e-5);
  });

  it("bench:peer --peak's probe computes the same sums fused and unfused", () => {
    const { exports } = new ConvHeap();
    const [fused, unfused] = [exports.peak(50, 1), exports.peak(50, 0)];
    // Each accumulator runs acc = 0.5 acc + 0.999 and tends to 1.998; 12 of them, two lanes summed.
    expect(fused).toBeCloseTo(unfused, 3);
    expect(fused).toBeCloseTo(2 * 12 * 1.998, 2);
  });

  it('FER_FMA_KERNELS=0 keeps the previous kernels and says so in the label', async () => {
    process.env['FER_FMA_KERNELS'] = '0';
    try {
      const info = await selectBackend('wasm', undefined, { wasmThreads: 1 });
      expect(info.label).toBe(
        'WebAssembly (SIMD, 1 thread, FMA convolutions off (FER_FMA_KERNELS=0))',
      );
      const before = total('fma') + total('fallback');
      tf.tidy(() =>
        tf
          .conv2d(
            tf.ones([1, 5, 5, 2]) as tf.Tensor4D,
            tf.ones([3, 3, 2, 2]) as tf.Tensor4D,
            1,
            'same',
          )
          .dataSync(),
      );
      expect(total('fma') + total('fallback')).toBe(before);
    } finally {
      delete process.env['FER_FMA_KERNELS'];
      await selectBackend('wasm', undefined, { wasmThreads: 1 });
    }
  });
});
