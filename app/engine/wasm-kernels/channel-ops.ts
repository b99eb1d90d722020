import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { heapInputs, offsetOf, type HeapBackend } from './kernel-utils.ts';
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

/** Rows of `channels(x)` values: N·H·W for NHWC. */
function pixels(x: TensorInfo): number {
  return tf.util.sizeFromShape(x.shape) / channels(x);
}

function vector(b: HeapBackend, values: Float64Array): TensorInfo {
  const out = b.makeOutput([values.length], 'float32');
  b.typedArrayFromHeap(out).set(values);
  return out;
}

/** x → [mean, biased variance] per channel, in one pass (Σx, Σx² in float64). */
const moments: KernelFunc = ({ inputs, backend }) => {
  const b = backend as HeapBackend;
  const c = channels(inputs['x'] as TensorInfo);
  const n = pixels(inputs['x'] as TensorInfo);
  const { heap, offset } = heapInputs(b, inputs, ['x']);
  const sums = runHeapLoop(heap, LOOP.moments, [offset.x, c], n, c, 2 * c);
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
  const out = b.makeOutput(x.shape, 'float32');
  const dst = offsetOf(b.typedArrayFromHeap(out));
  const { heap, offset: o } = heapInputs(b, inputs, ['x', 'scale', 'shift']);
  const c = channels(x);
  runHeapLoop(heap, LOOP.affine, [o.x, dst, o.scale, o.shift, c], pixels(x), c);
  return out;
};

/** (dy, x, mean) → [Σdy, Σdy·(x − mean)] per channel, in one pass. */
const dotSums: KernelFunc = ({ inputs, backend }) => {
  const b = backend as HeapBackend;
  const x = inputs['x'] as TensorInfo;
  const c = channels(x);
  const { heap, offset: o } = heapInputs(b, inputs, ['dy', 'x', 'mean']);
  const sums = runHeapLoop(heap, LOOP.dotSums, [o.dy, o.x, o.mean, c], pixels(x), 2 * c, 2 * c);
  return [vector(b, sums.subarray(0, c)), vector(b, sums.subarray(c))];
};

/** out = a[c]·dy + b[c]·x + k[c]. */
const affine2: KernelFunc = ({ inputs, backend }) => {
  const be = backend as HeapBackend;
  const dy = inputs['dy'] as TensorInfo;
  const out = be.makeOutput(dy.shape, 'float32');
  const dst = offsetOf(be.typedArrayFromHeap(out));
  const { heap, offset: o } = heapInputs(be, inputs, ['dy', 'x', 'a', 'b', 'k']);
  const c = channels(dy);
  runHeapLoop(heap, LOOP.affine2, [o.dy, o.x, o.a, o.b, o.k, dst, c], pixels(dy), 2 * c);
  return out;
};

export const channelOpConfigs: KernelConfig[] = [
  { kernelName: CHANNEL_MOMENTS, backendName: 'wasm', kernelFunc: moments },
  { kernelName: CHANNEL_AFFINE, backendName: 'wasm', kernelFunc: affine },
  { kernelName: CHANNEL_DOT_SUMS, backendName: 'wasm', kernelFunc: dotSums },
  { kernelName: CHANNEL_AFFINE2, backendName: 'wasm', kernelFunc: affine2 },
];
