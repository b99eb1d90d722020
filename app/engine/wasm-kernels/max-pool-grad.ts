import * as tf from '@tensorflow/tfjs';
import { heapInputs, offsetOf, type HeapBackend } from './kernel-utils.ts';
import { LOOP, type LoopParams, type MaxPoolGradParams } from './heap-loops.ts';
import { runHeapLoop } from './heap-threads.ts';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * Max-pool gradient as one JS pass over the wasm heap (`heap-loops.ts`, split by image across
 * two threads where the heap is shared): each window's dy goes to its first (row-major)
 * maximum, as in the cpu backend. The stock wasm kernel took ~60 ms per layer.
 */
const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as HeapBackend;
  const input = inputs['input'] as TensorInfo;
  const a = attrs as NamedAttrMap;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    a['filterSize'] as [number, number] | number,
    a['strides'] as [number, number] | number,
    1,
    a['pad'] as 'same' | 'valid' | number,
    a['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const out = b.makeOutput(input.shape, 'float32');
  const dx = offsetOf(b.typedArrayFromHeap(out));
  const { heap, offset: o } = heapInputs(b, inputs, ['dy', 'input', 'output']);
  const imageSize = inHeight * inWidth * c;
  // Whole 2×2 windows (no padding reaches into them): the branch-free fast path.
  const whole2x2 =
    filterHeight === 2 &&
    filterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    top === 0 &&
    left === 0 &&
    outHeight === inHeight >> 1 &&
    outWidth === inWidth >> 1;
  if (whole2x2) {
    const params: LoopParams[typeof LOOP.maxPoolGrad2x2] = [
      o.dy,
      o.input,
      o.output,
      dx,
      inHeight,
      inWidth,
      c,
    ];
    runHeapLoop(heap, LOOP.maxPoolGrad2x2, params, batchSize, imageSize);
  } else {
    const params: MaxPoolGradParams = [
      o.dy,
      o.input,
      dx,
      inHeight,
      inWidth,
      c,
      outHeight,
      outWidth,
      strideHeight,
      strideWidth,
      filterHeight,
      filterWidth,
      top,
      left,
    ];
    runHeapLoop(heap, LOOP.maxPoolGrad, params, batchSize, imageSize);
  }
  return out;
};

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
