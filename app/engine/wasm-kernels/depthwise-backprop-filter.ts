import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { depthwiseGeometry } from './depthwise-geometry.ts';
import type { DepthwiseFilterGradParams } from './depthwise-loops.ts';
import { LOOP } from './heap-loops.ts';
import { MAX_PARTIAL, runHeapLoop } from './heap-threads.ts';
import { heapInputs, type HeapBackend } from './kernel-utils.ts';

/**
 * dW of a depthwise convolution: one pass over x and dy on the wasm heap (`depthwise-loops.ts`),
 * images split across two threads, sums in float64. The stock wasm backend has no kernel (tfjs#8474).
 */
const depthwiseBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as HeapBackend;
  const x = inputs['x'] as TensorInfo;
  const a = attrs as NamedAttrMap;
  const filterShape = a['filterShape'] as [number, number, number, number];
  const g = depthwiseGeometry(x.shape as [number, number, number, number], filterShape, a);
  const out = b.makeOutput(filterShape, 'float32');
  const { heap, offset } = heapInputs(b, inputs, ['x', 'dy']);
  const taps = g.fH * g.fW;
  // Channel slices small enough for the helper's shared partial block (wide layers only).
  const slice = Math.max(1, Math.floor(MAX_PARTIAL / (taps * g.mult)));
  const sums: Float64Array[] = [];
  for (let c0 = 0; c0 < g.inC; c0 += slice) {
    const c1 = Math.min(g.inC, c0 + slice);
    const params: DepthwiseFilterGradParams = [
      offset.x,
      offset.dy,
      g.inH,
      g.inW,
      g.inC,
      g.mult,
      g.outH,
      g.outW,
      g.strideH,
      g.strideW,
      g.fH,
      g.fW,
      g.dilationH,
      g.dilationW,
      g.padTop,
      g.padLeft,
      c0,
      c1,
    ];
    const floatsPerImage = g.outH * g.outW * taps * (c1 - c0) * g.mult;
    const partial = runHeapLoop(
      heap,
      LOOP.depthwiseFilterGrad,
      params,
      g.batch,
      floatsPerImage,
      taps * (c1 - c0) * g.mult,
    );
    sums.push(partial);
  }
  // Partials are [tap][channel slice][mult]; the filter is [tap][channel][mult].
  const dw = b.typedArrayFromHeap(out);
  const cm = g.inC * g.mult;
  sums.forEach((partial, i) => {
    const c0 = i * slice;
    const width = (Math.min(g.inC, c0 + slice) - c0) * g.mult;
    for (let t = 0; t < taps; t++)
      for (let k = 0; k < width; k++)
        dw[t * cm + c0 * g.mult + k] = partial[t * width + k] as number;
  });
  return out;
};

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter,
};
