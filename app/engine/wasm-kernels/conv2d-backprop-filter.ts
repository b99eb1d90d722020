import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { convGeometry, free, runWasm, type HeapBackend } from './kernel-utils.ts';
import { pointwiseFilterGrad } from './pointwise-grads.ts';

/**
 * dW[a,b,ci,co] = Σ_{n,i,j} xpad[n, i·s+a, j·s+b, ci] · dy[n,i,j,co].
 * Swapping batch and channels turns that sum into ONE forward convolution (XNNPACK):
 * input xᵀ [ci, H, W, n], filter dyᵀ [i, j, n, co] dilated by the stride → [ci, a, b, co].
 * Measured ~5–7× faster than shifted matmuls on this backend, whose BatchMatMul is slow.
 */
const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs['x'] as TensorInfo;
  const dy = inputs['dy'] as TensorInfo;
  const a = attrs as NamedAttrMap;
  const filterShape = a['filterShape'] as [number, number, number, number];
  const g = convGeometry(x.shape as [number, number, number, number], filterShape, a, false);
  if (g.fH === 1 && g.fW === 1 && g.padTop === 0 && g.padLeft === 0)
    return pointwiseFilterGrad(backend as HeapBackend, x, dy, g);

  // Rows/cols the forward pass read: top pad, then enough bottom pad (or a crop) to reach fH taps.
  const needH = (g.outH - 1) * g.strideH + g.fH;
  const needW = (g.outW - 1) * g.strideW + g.fW;
  const padBottom = Math.max(0, needH - g.padTop - g.inH);
  const padRight = Math.max(0, needW - g.padLeft - g.inW);

  const xT = runWasm(backend, 'Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = runWasm(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const conv = runWasm(
    backend,
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: 1,
      dilations: [g.strideH, g.strideW],
      pad: [
        [0, 0],
        [g.padTop, padBottom],
        [g.padLeft, padRight],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  );
  free(backend, xT, dyT);
  // The conv may yield extra taps when the forward pass ignored trailing rows (valid, stride > 1).
  let taps = conv;
  if (conv.shape[1] !== g.fH || conv.shape[2] !== g.fW) {
    taps = runWasm(
      backend,
      'Slice',
      { x: conv },
      { begin: [0, 0, 0, 0], size: [g.inC, g.fH, g.fW, g.outC] },
    );
    free(backend, conv);
  }
  const dw = runWasm(backend, 'Transpose', { x: taps }, { perm: [1, 2, 0, 3] });
  free(backend, taps);
  return dw;
};

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
