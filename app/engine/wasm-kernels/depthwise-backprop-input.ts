import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { transposedConv } from './conv2d-backprop-input.ts';
import { depthwiseGeometry } from './depthwise-geometry.ts';
import { free, runWasm } from './kernel-utils.ts';

/**
 * dX of a depthwise convolution as XNNPACK's depthwise forward: dy (zero-stuffed when strided)
 * correlated with the 180°-rotated filter, dilated like the forward pass. With a depth multiplier
 * m, dy's c·m channels each get their own rotated tap set, and each input channel sums its m
 * results. The stock wasm backend has no kernel (tfjs#8474).
 */
const depthwiseBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputs['dy'] as TensorInfo;
  const filter = inputs['filter'] as TensorInfo;
  const a = attrs as NamedAttrMap;
  const inputShape = a['inputShape'] as [number, number, number, number];
  const filterShape = filter.shape as [number, number, number, number];
  const g = depthwiseGeometry(inputShape, filterShape, a);
  const [fH, fW, c, mult] = filterShape;
  const flipped = runWasm(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  // One tap set per dy channel: [fH, fW, c·m, 1] keeps dy's channel order c·m + k.
  const taps =
    mult === 1
      ? flipped
      : runWasm(backend, 'Reshape', { x: flipped }, { shape: [fH, fW, c * mult, 1] });
  // transposedConv pads by the window's extent, which is the effective (dilated) filter size.
  const extent = { ...g, fH: g.effH, fW: g.effW };
  const perChannel = transposedConv(backend, dy, extent, (src, pad) =>
    runWasm(
      backend,
      'DepthwiseConv2dNative',
      { x: src, filter: taps },
      { strides: 1, dilations: [g.dilationH, g.dilationW], pad, dataFormat: 'NHWC' },
    ),
  );
  if (taps !== flipped) free(backend, taps);
  free(backend, flipped);
  if (mult === 1) return perChannel;
  const [n, h, w] = inputShape;
  const split = runWasm(backend, 'Reshape', { x: perChannel }, { shape: [n, h, w, c, mult] });
  const dx = runWasm(backend, 'Sum', { x: split }, { axis: [4], keepDims: false });
  free(backend, split, perChannel);
  return dx;
};

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput,
};
