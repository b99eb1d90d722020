import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { heapOf, offsetOf, type HeapBackend } from './kernel-utils.ts';
import { LOOP } from './heap-loops.ts';
import { runHeapLoop } from './heap-threads.ts';

/**
 * Per-channel (last axis) passes over the wasm heap for batch-norm training. The stock wasm
 * kernels broadcast a [C] vector against [N,H,W,C] through generic index maths (~4× slower
 * than same-shape ops) and need one kernel per arithmetic step; each of these is one pass.
 * Sums accumulate in float64. The loops live in `heap-loops.ts` and run on two threads where the
 * heap is shared (`heap-threads.ts`). Used through `app/engine/batch-norm-training.ts`, which falls back
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
  const n = src.length / c;
  const sums = runHeapLoop(heapOf(src), LOOP.moments, [offsetOf(src), c], n, c, 2 * c);
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let k = 0; k < c; k++) {
    const m = (sums[k] as number) / n;
    mean[k] = m;
    variance[k] = Math.max(0, (sums[c + k] as number) / n - m * m);
  }
  return [vector(b, mean), vector(b, variance)];
};

/** y = x·scale[c] + shift[c]. */
const affine: KernelFunc = ({ inputs, backend }) => {
  const b = backend as HeapBackend;
  const x = inputs['x'] as TensorInfo;
  const c = channels(x);
  const out = b.makeOutput(x.shape, 'float32');
  // Views after the allocation: it may have grown (replaced) the heap.
  const dst = b.typedArrayFromHeap(out);
  const [src, s, t] = (['x', 'scale', 'shift'] as const).map((k) =>
    b.typedArrayFromHeap(inputs[k] as TensorInfo),
  ) as [Float32Array, Float32Array, Float32Array];
  const params = [offsetOf(src), offsetOf(dst), offsetOf(s), offsetOf(t), c] as const;
  runHeapLoop(heapOf(dst), LOOP.affine, [...params], src.length / c, c);
  return out;
};

/** (dy, x, mean) → [Σdy, Σdy·(x − mean)] per channel, in one pass. */
const dotSums: KernelFunc = ({ inputs, backend }) => {
  const b = backend as HeapBackend;
  const [dy, x, mean] = (['dy', 'x', 'mean'] as const).map((k) =>
    b.typedArrayFromHeap(inputs[k] as TensorInfo),
  ) as [Float32Array, Float32Array, Float32Array];
  const c = channels(inputs['x'] as TensorInfo);
  const params: [number, number, number, number] = [offsetOf(dy), offsetOf(x), offsetOf(mean), c];
  const sums = runHeapLoop(heapOf(dy), LOOP.dotSums, params, dy.length / c, 2 * c, 2 * c);
  return [vector(b, sums.subarray(0, c)), vector(b, sums.subarray(c))];
};

/** out = a[c]·dy + b[c]·x + k[c]. */
const affine2: KernelFunc = ({ inputs, backend }) => {
  const be = backend as HeapBackend;
  const dyInfo = inputs['dy'] as TensorInfo;
  const c = channels(dyInfo);
  const out = be.makeOutput(dyInfo.shape, 'float32');
  const dst = be.typedArrayFromHeap(out);
  const [dy, x, a, b, k] = (['dy', 'x', 'a', 'b', 'k'] as const).map((name) =>
    offsetOf(be.typedArrayFromHeap(inputs[name] as TensorInfo)),
  ) as [number, number, number, number, number];
  runHeapLoop(heapOf(dst), LOOP.affine2, [dy, x, a, b, k, offsetOf(dst), c], dst.length / c, 2 * c);
  return out;
};

export const channelOpConfigs: KernelConfig[] = [
  { kernelName: CHANNEL_MOMENTS, backendName: 'wasm', kernelFunc: moments },
  { kernelName: CHANNEL_AFFINE, backendName: 'wasm', kernelFunc: affine },
  { kernelName: CHANNEL_DOT_SUMS, backendName: 'wasm', kernelFunc: dotSums },
  { kernelName: CHANNEL_AFFINE2, backendName: 'wasm', kernelFunc: affine2 },
];
