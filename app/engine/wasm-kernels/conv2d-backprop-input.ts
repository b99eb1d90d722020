import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import {
  convGeometry,
  free,
  runWasm,
  type ConvGeometry,
  type HeapBackend,
} from './kernel-utils.ts';
import { pointwiseInputGrad } from './pointwise-grads.ts';

/**
 * dX as a forward convolution of dy (zero-stuffed when strided) with the 180°-rotated,
 * in/out-swapped filter. The stock wasm kernel is a scalar loop ~7× slower than XNNPACK.
 */
const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputs['dy'] as TensorInfo;
  const filter = inputs['filter'] as TensorInfo;
  const a = attrs as NamedAttrMap;
  const inputShape = a['inputShape'] as [number, number, number, number];
  const g = convGeometry(inputShape, filter.shape as [number, number, number, number], a, false);
  if (g.fH === 1 && g.fW === 1 && g.padTop === 0 && g.padLeft === 0)
    return pointwiseInputGrad(backend as HeapBackend, dy, filter, g);
  // [fh,fw,ci,co] → reversed taps, [fh,fw,co,ci]
  const flipped = runWasm(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  const rotated = runWasm(backend, 'Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
  free(backend, flipped);
  const dx = transposedConv(backend, dy, g, (src, pad) =>
    runWasm(
      backend,
      'Conv2D',
      { x: src, filter: rotated },
      { strides: 1, dilations: 1, pad, dataFormat: 'NHWC' },
    ),
  );
  free(backend, rotated);
  return dx;
};

type Explicit = [[number, number], [number, number], [number, number], [number, number]];

/**
 * Shared by the dense and depthwise input gradients: stuff stride-1 zeros between dy's rows and
 * columns, pad so the "full" correlation lands exactly on the input grid, and run `conv`.
 */
export function transposedConv(
  backend: object,
  dy: TensorInfo,
  g: ConvGeometry,
  conv: (src: TensorInfo, pad: Explicit) => TensorInfo,
): TensorInfo {
  let src = dy;
  if (g.strideH > 1 || g.strideW > 1) src = zeroStuff(backend, dy, g);
  const stuffedH = (g.outH - 1) * g.strideH + 1;
  const stuffedW = (g.outW - 1) * g.strideW + 1;
  const top = g.fH - 1 - g.padTop;
  const left = g.fW - 1 - g.padLeft;
  const bottom = g.inH + g.fH - 1 - stuffedH - top;
  const right = g.inW + g.fW - 1 - stuffedW - left;
  // Negative pads (padding larger than the filter) would need a crop: not produced by Keras layers.
  if (Math.min(top, left, bottom, right) < 0) {
    if (src !== dy) free(backend, src);
    throw new Error('wasm conv input gradient: padding larger than filter-1 is not supported');
  }
  const out = conv(src, [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ]);
  if (src !== dy) free(backend, src);
  return out;
}

/** [n,h,w,c] → [n,(h-1)·s+1,(w-1)·s+1,c] with zeros between the original samples. */
function zeroStuff(backend: object, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const [n, h, w, c] = dy.shape as [number, number, number, number];
  const r6 = runWasm(backend, 'Reshape', { x: dy }, { shape: [n, h, 1, w, 1, c] });
  const padded = runWasm(
    backend,
    'PadV2',
    { x: r6 },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, g.strideH - 1],
        [0, 0],
        [0, g.strideW - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const flat = runWasm(
    backend,
    'Reshape',
    { x: padded },
    { shape: [n, h * g.strideH, w * g.strideW, c] },
  );
  const out = runWasm(
    backend,
    'Slice',
    { x: flat },
    { begin: [0, 0, 0, 0], size: [n, (h - 1) * g.strideH + 1, (w - 1) * g.strideW + 1, c] },
  );
  // r6 and flat are reshapes that only bumped dy's / padded's reference count.
  free(backend, r6, padded, flat);
  return out;
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
};
