import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasmBackend } from '../../../app/engine/wasm-runtime.ts';
import { registerWasmTrainingKernels } from '../../../app/engine/wasm-kernels/index.ts';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

interface Case {
  n: number;
  h: number;
  w: number;
  c: number;
  mult: 1 | 2;
  f: [number, number];
  stride: 1 | 2;
  dilation: 1 | 2;
  pad: Pad;
}

// Seeded so a failure reproduces. tfjs allows stride > 1 or dilation > 1, not both.
function cases(): Case[] {
  let s = 11;
  const rnd = (lo: number, hi: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return lo + ((s >>> 16) % (hi - lo + 1));
  };
  const out: Case[] = [];
  for (const [stride, dilation] of [
    [1, 1],
    [2, 1],
    [1, 2],
  ] as const) {
    for (const padKind of ['same', 'valid', 'explicit'] as const) {
      for (const mult of [1, 2] as const) {
        const fh = rnd(1, 4);
        const f: [number, number] = [fh, mult === 2 ? 3 : fh];
        // Explicit pads up to the window's extent − 1 (the range a transposed conv can express).
        const ext = (k: number) => (k - 1) * dilation;
        const pad: Pad =
          padKind === 'explicit'
            ? [
                [0, 0],
                [rnd(0, ext(f[0])), rnd(0, ext(f[0]))],
                [rnd(0, ext(f[1])), rnd(0, ext(f[1]))],
                [0, 0],
              ]
            : padKind;
        out.push({
          n: rnd(1, 3),
          h: rnd(6, 11),
          w: rnd(6, 11),
          c: rnd(1, 6),
          mult,
          f,
          stride,
          dilation,
          pad,
        });
      }
    }
  }
  return out;
}

type Values = { x: number[]; w: number[]; dy: number[] | null };

/** The filter with (d − 1) zeros between taps: a dilated filter as a plain one. */
function expandFilter(
  c: Case,
  w: number[],
): { shape: [number, number, number, number]; values: number[] } {
  const d = c.dilation;
  const [fh, fw] = c.f;
  const eh = (fh - 1) * d + 1;
  const ew = (fw - 1) * d + 1;
  const cm = c.c * c.mult;
  const values = new Array<number>(eh * ew * cm).fill(0);
  for (let a = 0; a < fh; a++)
    for (let b = 0; b < fw; b++)
      for (let k = 0; k < cm; k++)
        values[(a * d * ew + b * d) * cm + k] = w[(a * fw + b) * cm + k]!;
  return { shape: [eh, ew, c.c, c.mult], values };
}

/**
 * dX and dW of Σ(depthwiseConv2d(x, w)·dy) through tf.grads. tfjs' gradient refuses dilation and
 * the cpu kernels ignore it, so dilated cases run undilated with the zero-expanded filter, and
 * dW is read back at the real taps.
 */
function grads(c: Case, v: Values) {
  const filter = expandFilter(c, v.w);
  return tf.tidy(() => {
    const x = tf.tensor4d(v.x, [c.n, c.h, c.w, c.c]);
    const w = tf.tensor4d(filter.values, filter.shape);
    const f = (xx: tf.Tensor, ww: tf.Tensor) => {
      const y = tf.depthwiseConv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad);
      v.dy ??= Array.from({ length: y.size }, () => Math.random() * 2 - 1);
      return y.mul(tf.tensor(v.dy, y.shape)).sum();
    };
    const [dx, dwFull] = tf
      .grads(f)([x, w])
      .map((g) => Array.from(g.dataSync()));
    const taps = expandFilter(
      c,
      Array.from({ length: v.w.length }, (_, i) => i + 1),
    ).values;
    const dw = new Array<number>(v.w.length);
    taps.forEach((t, i) => {
      if (t > 0) dw[t - 1] = dwFull![i]!;
    });
    return [dx!, dw];
  });
}

/** The wasm kernels called directly with the real dilation. */
function kernelGrads(c: Case, v: Values) {
  return tf.tidy(() => {
    const x = tf.tensor4d(v.x, [c.n, c.h, c.w, c.c]);
    const filterShape: [number, number, number, number] = [c.f[0], c.f[1], c.c, c.mult];
    const w = tf.tensor4d(v.w, filterShape);
    const y = tf.depthwiseConv2d(x, w, c.stride, c.pad, 'NHWC', c.dilation);
    const dy = tf.tensor(v.dy!, y.shape);
    const attrs = {
      strides: c.stride,
      pad: c.pad,
      dilations: c.dilation,
    } as unknown as tf.NamedAttrMap;
    const dx = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, {
      ...attrs,
      inputShape: x.shape,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const dw = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, {
      ...attrs,
      filterShape,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    return [Array.from(dx.dataSync()), Array.from(dw.dataSync())];
  });
}

function maxAbsDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
}

const random = (n: number) => Array.from({ length: n }, () => Math.random() * 2 - 1);

describe('wasm depthwise gradient kernels match the cpu backend', () => {
  beforeAll(async () => {
    await initWasmBackend(1);
    const names = registerWasmTrainingKernels();
    expect(names).toContain('DepthwiseConv2dNativeBackpropInput');
    expect(names).toContain('DepthwiseConv2dNativeBackpropFilter');
  });

  for (const c of cases()) {
    const pad = typeof c.pad === 'string' ? c.pad : `pad ${JSON.stringify(c.pad.slice(1, 3))}`;
    it(`x[${c.n},${c.h},${c.w},${c.c}] f${c.f.join('x')}×${c.mult} stride ${c.stride} dilation ${c.dilation} ${pad}`, async () => {
      const v: Values = {
        x: random(c.n * c.h * c.w * c.c),
        w: random(c.f[0] * c.f[1] * c.c * c.mult),
        dy: null,
      };
      await tf.setBackend('cpu');
      const [dxRef, dwRef] = grads(c, v);
      await tf.setBackend('wasm');
      expect(tf.getBackend()).toBe('wasm');
      // Undilated: the real gradient path (tape → kernels); dilated: the kernels themselves.
      const [dx, dw] = c.dilation === 1 ? grads(c, v) : kernelGrads(c, v);
      expect(maxAbsDiff(dx as number[], dxRef as number[])).toBeLessThan(1e-4);
      expect(maxAbsDiff(dw as number[], dwRef as number[])).toBeLessThan(1e-4);
      // Not vacuous: the gradients carry signal.
      expect(Math.max(...(dwRef as number[]).map(Math.abs))).toBeGreaterThan(1e-3);
    });
  }

  it('fused depthwise (bias + relu) and a SeparableConv2D layer train identically on wasm and cpu', async () => {
    const x = random(2 * 9 * 9 * 3);
    const run = () =>
      tf.tidy(() => {
        const xt = tf.tensor4d(x, [2, 9, 9, 3]);
        const w = tf.tensor4d(x.slice(0, 27), [3, 3, 3, 1]);
        const bias = tf.tensor1d([0.1, -0.2, 0.05]);
        const fused = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
          tf.fused
            .depthwiseConv2d({
              x: xx as tf.Tensor4D,
              filter: ww as tf.Tensor4D,
              strides: 1,
              pad: 'same',
              bias: bb,
              activation: 'relu',
            })
            .square()
            .sum();
        const [dx, dw, db] = tf.grads(fused)([xt, w, bias]);
        return [dx!, dw!, db!].map((g) => Array.from(g.dataSync()));
      });
    await tf.setBackend('cpu');
    const ref = run();
    await tf.setBackend('wasm');
    const got = run();
    ref.forEach((r, i) => expect(maxAbsDiff(got[i] as number[], r)).toBeLessThan(1e-4));

    const layerRun = () => {
      const layer = tf.layers.separableConv2d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        depthMultiplier: 2,
        activation: 'relu',
        depthwiseInitializer: tf.initializers.constant({ value: 0.3 }),
        pointwiseInitializer: tf.initializers.constant({ value: -0.2 }),
        biasInitializer: tf.initializers.constant({ value: 0.1 }),
      });
      return tf.tidy(() => {
        const xt = tf.tensor4d(x, [2, 9, 9, 3]);
        const y = layer.apply(xt) as tf.Tensor;
        // Core variables carry their layer variable's name.
        const { grads: g } = tf.variableGrads(
          () => (layer.apply(xt) as tf.Tensor).square().sum() as tf.Scalar,
        );
        return [
          Array.from(y.dataSync()),
          ...layer.trainableWeights.map((wt) => Array.from(g[wt.name]!.dataSync())),
        ];
      });
    };
    await tf.setBackend('cpu');
    const layerRef = layerRun();
    await tf.setBackend('wasm');
    const layerGot = layerRun();
    expect(layerGot).toHaveLength(4);
    layerRef.forEach((r, i) => expect(maxAbsDiff(layerGot[i] as number[], r)).toBeLessThan(1e-4));
  });
});
