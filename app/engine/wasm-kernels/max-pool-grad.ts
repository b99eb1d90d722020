import * as tf from '@tensorflow/tfjs';
import type { HeapBackend } from './kernel-utils.ts';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * Max-pool gradient as one JS pass over the wasm heap: each window's dy goes to its first
 * (row-major) maximum, as in the cpu backend. The stock wasm kernel took ~60 ms per layer.
 */
const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as HeapBackend;
  const dy = inputs['dy'] as TensorInfo;
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
  const dx = b.typedArrayFromHeap(out);
  dx.fill(0);
  const xs = b.typedArrayFromHeap(input);
  const g = b.typedArrayFromHeap(dy);
  for (let n = 0; n < batchSize; n++) {
    const xBase = n * inHeight * inWidth * c;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      const yA = Math.max(0, y0);
      const yB = Math.min(inHeight, y0 + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        const xA = Math.max(0, x0);
        const xB = Math.min(inWidth, x0 + filterWidth);
        const gBase = ((n * outHeight + oy) * outWidth + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let y = yA; y < yB; y++) {
            for (let x = xA; x < xB; x++) {
              const i = xBase + (y * inWidth + x) * c + ch;
              const v = xs[i] as number;
              if (v > best) {
                best = v;
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] = (dx[at] as number) + (g[gBase + ch] as number);
        }
      }
    }
  }
  return out;
};

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};
