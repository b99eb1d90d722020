import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { HeapBackend } from './kernel-utils.ts';

/**
 * Per-channel (last axis) passes over the wasm heap for batch-norm training. The stock wasm
 * kernels broadcast a [C] vector against [N,H,W,C] through generic index maths (~4× slower
 * than same-shape ops) and need one kernel per arithmetic step; each of these is one pass.
 * Sums accumulate in float64. Used through `app/engine/batch-norm-training.ts`, which falls back
 * to ordinary tfjs ops on backends without these kernels.
 */
export const CHANNEL_MOMENTS = 'FerChannelMoments';
export const CHANNEL_AFFINE = 'FerChannelAffine';
export const CHANNEL_DOT_SUMS = 'FerChannelDotSums';
export const CHANNEL_AFFINE2 = 'FerChannelAffine2';

function channels(x: TensorInfo): number {
  return x.shape[x.shape.length - 1] ?? 1;
}

function vector(b: HeapBackend, values: Float64Array): TensorInfo {
  const out = b.makeOutput([values.length], 'float32');
  b.typedArrayFromHeap(out).set(values);
  return out;
}

/** x → [mean, biased variance] per channel, in one pass (Σx, Σx² in float64). */
const moments: KernelFunc = ({ inputs, backend }) => {
  const b = backend as HeapBackend;
  const x = inputs['x'] as TensorInfo;
  const c = channels(x);
  const src = b.typedArrayFromHeap(x);
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let i = 0; i < src.length;) {
    for (let k = 0; k < c; k++, i++) {
      const v = src[i] as number;
      sum[k] = (sum[k] as number) + v;
      sq[k] = (sq[k] as number) + v * v;
    }
  }
  const n = src.length / c;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    const m = (sum[k] as number) / n;
    mean[k] = m;
    variance[k] = Math.max(0, (sq[k] as number) / n - m * m);
  }
  return [vector(b, mean), vector(b, variance)];
};

/** y = x·scale[c] + shift[c]. */
const affine: KernelFunc = ({ inputs, backend }) => {
  const b = backend as HeapBackend;
  const x = inputs['x'] as TensorInfo;
  const out = b.makeOutput(x.shape, 'float32');
  const src = b.typedArrayFromHeap(x);
  const dst = b.typedArrayFromHeap(out);
  const s = b.typedArrayFromHeap(inputs['scale'] as TensorInfo);
  const t = b.typedArrayFromHeap(inputs['shift'] as TensorInfo);
  const c = channels(x);
  for (let i = 0; i < src.length;) {
    for (let k = 0; k < c; k++, i++)
      dst[i] = (src[i] as number) * (s[k] as number) + (t[k] as number);
  }
  return out;
};

/** (dy, x, mean) → [Σdy, Σdy·(x − mean)] per channel, in one pass. */
const dotSums: KernelFunc = ({ inputs, backend }) => {
  const b = backend as HeapBackend;
  const dy = b.typedArrayFromHeap(inputs['dy'] as TensorInfo);
  const x = b.typedArrayFromHeap(inputs['x'] as TensorInfo);
  const mean = b.typedArrayFromHeap(inputs['mean'] as TensorInfo);
  const c = channels(inputs['x'] as TensorInfo);
  const sumDy = new Float64Array(c);
  const sumDyX = new Float64Array(c);
  for (let i = 0; i < dy.length;) {
    for (let k = 0; k < c; k++, i++) {
      const g = dy[i] as number;
      sumDy[k] = (sumDy[k] as number) + g;
      sumDyX[k] = (sumDyX[k] as number) + g * ((x[i] as number) - (mean[k] as number));
    }
  }
  return [vector(b, sumDy), vector(b, sumDyX)];
};

/** out = a[c]·dy + b[c]·x + k[c]. */
const affine2: KernelFunc = ({ inputs, backend }) => {
  const be = backend as HeapBackend;
  const dyInfo = inputs['dy'] as TensorInfo;
  const out = be.makeOutput(dyInfo.shape, 'float32');
  const dst = be.typedArrayFromHeap(out);
  const dy = be.typedArrayFromHeap(dyInfo);
  const x = be.typedArrayFromHeap(inputs['x'] as TensorInfo);
  const a = be.typedArrayFromHeap(inputs['a'] as TensorInfo);
  const b = be.typedArrayFromHeap(inputs['b'] as TensorInfo);
  const k0 = be.typedArrayFromHeap(inputs['k'] as TensorInfo);
  const c = channels(dyInfo);
  for (let i = 0; i < dy.length;) {
    for (let k = 0; k < c; k++, i++)
      dst[i] =
        (a[k] as number) * (dy[i] as number) +
        (b[k] as number) * (x[i] as number) +
        (k0[k] as number);
  }
  return out;
};

export const channelOpConfigs: KernelConfig[] = [
  { kernelName: CHANNEL_MOMENTS, backendName: 'wasm', kernelFunc: moments },
  { kernelName: CHANNEL_AFFINE, backendName: 'wasm', kernelFunc: affine },
  { kernelName: CHANNEL_DOT_SUMS, backendName: 'wasm', kernelFunc: dotSums },
  { kernelName: CHANNEL_AFFINE2, backendName: 'wasm', kernelFunc: affine2 },
];
