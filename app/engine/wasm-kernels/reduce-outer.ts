import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel, type HeapBackend } from './kernel-utils.ts';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/** Leading-axes count when `axis` is exactly [0..k-1] with 0 < k < rank, else 0. */
function leadingAxes(axis: number | number[], rank: number): number {
  const axes = tf.util
    .parseAxisParam(axis, new Array(rank).fill(1) as number[])
    .sort((p, q) => p - q);
  if (axes.length === 0 || axes.length >= rank) return 0;
  return axes.every((v, i) => v === i) ? axes.length : 0;
}

/**
 * Sum/Mean over the leading axes (per-channel reductions of NHWC activations, everywhere in
 * batch-norm and bias gradients). The stock wasm kernels transpose the whole tensor first;
 * a column sum over the heap in float64 is one pass. Other reductions go to the stock kernel.
 */
function outerReduce(kernelName: 'Sum' | 'Mean', stock: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs['x'] as TensorInfo;
    const a = attrs as NamedAttrMap;
    const k =
      x.dtype === 'float32' ? leadingAxes(a['axis'] as number | number[], x.shape.length) : 0;
    if (k === 0) return stock(args);
    const b = backend as HeapBackend;
    const rows = x.shape.slice(0, k).reduce((p, q) => p * q, 1);
    const tail = x.shape.slice(k);
    const cols = tail.reduce((p, q) => p * q, 1);
    const shape = a['keepDims'] ? [...new Array(k).fill(1), ...tail] : tail;
    const out = b.makeOutput(shape as number[], 'float32');
    const src = b.typedArrayFromHeap(x);
    const acc = new Float64Array(cols);
    for (let r = 0, i = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++, i++) acc[c] = (acc[c] as number) + (src[i] as number);
    }
    const scale = kernelName === 'Mean' && rows > 0 ? 1 / rows : 1;
    const dst = b.typedArrayFromHeap(out);
    for (let c = 0; c < cols; c++) dst[c] = (acc[c] as number) * scale;
    return out;
  };
}

/** Sum and Mean with the leading-axes fast path; other reductions go to the stock kernels. */
export function outerReduceConfigs(): KernelConfig[] {
  return (['Sum', 'Mean'] as const).map((name) =>
    replaceWasmKernel(name, (stock) => outerReduce(name, stock)),
  );
}
