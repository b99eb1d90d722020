import type { TensorInfo } from '@tensorflow/tfjs';
import { LOOP } from './heap-loops.ts';
import { runHeapLoop } from './heap-threads.ts';
import { free, runWasm, type ConvGeometry, type HeapBackend } from './kernel-utils.ts';
import { TRANSPOSE_BLOCK, type TransposeParams } from './transpose-loop.ts';

/**
 * Gradients of 1×1 convolutions (the pointwise half of separable blocks, strided shortcuts) as
 * plain matrix products. A strided 1×1 conv reads every stride-th pixel from the top left, so its
 * gradients only need those pixels: gathered (filter) or scattered into zeros (input) by a JS copy
 * on the heap. The general paths cost 3–8× more here: the filter gradient's one big convolution
 * has all of dy as its filter, and zero-stuffing (Reshape/PadV2/Slice) and StridedSlice are slow.
 */

const strided = (g: ConvGeometry) =>
  g.strideH > 1 || g.strideW > 1 || g.outH !== g.inH || g.outW !== g.inW;

/** Copies pixel rows of `c` floats between the full [n,inH,inW,c] grid and the strided [n,outH,outW,c] one. */
function copyStrided(
  heap: Float32Array,
  full: number,
  sparse: number,
  g: ConvGeometry,
  gather: boolean,
) {
  const c = g.inC;
  for (let n = 0; n < g.batch; n++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const f = full + ((n * g.inH + oy * g.strideH) * g.inW + ox * g.strideW) * c;
        const s = sparse + ((n * g.outH + oy) * g.outW + ox) * c;
        if (gather) heap.copyWithin(s, f, f + c);
        else heap.copyWithin(f, s, s + c);
      }
    }
  }
}

/**
 * `t` viewed as [rows, cols], transposed. Few columns: the wasm kernel is fast there; otherwise a
 * blocked two-thread heap loop (`transpose-loop.ts`), ~4× faster than the wasm kernel.
 */
function transposeRows(b: HeapBackend, t: TensorInfo, rows: number, cols: number): TensorInfo {
  if (cols < 16) {
    const flat = runWasm(b, 'Reshape', { x: t }, { shape: [rows, cols] });
    const out = runWasm(b, 'Transpose', { x: flat }, { perm: [1, 0] });
    free(b, flat);
    return out;
  }
  const out = b.makeOutput([cols, rows], 'float32');
  const dst = b.typedArrayFromHeap(out);
  const src = b.typedArrayFromHeap(t);
  const params: TransposeParams = [src.byteOffset / 4, dst.byteOffset / 4, rows, cols];
  const blocks = Math.ceil(rows / TRANSPOSE_BLOCK);
  runHeapLoop(
    new Float32Array(dst.buffer),
    LOOP.transpose2d,
    params,
    blocks,
    TRANSPOSE_BLOCK * cols,
  );
  return out;
}

/** dW = xᵀ·dy over the pixels the forward pass read (x explicitly transposed: faster than transposeA). */
export function pointwiseFilterGrad(
  b: HeapBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  let src = x;
  if (strided(g)) {
    src = b.makeOutput([g.batch, g.outH, g.outW, g.inC], 'float32');
    const to = b.typedArrayFromHeap(src);
    const from = b.typedArrayFromHeap(x);
    const heap = new Float32Array(to.buffer);
    copyStrided(heap, from.byteOffset / 4, to.byteOffset / 4, g, true);
  }
  const pixels = g.batch * g.outH * g.outW;
  const cols = transposeRows(b, src, pixels, g.inC);
  const a3 = runWasm(b, 'Reshape', { x: cols }, { shape: [1, g.inC, pixels] });
  const b3 = runWasm(b, 'Reshape', { x: dy }, { shape: [1, pixels, g.outC] });
  const product = runWasm(
    b,
    'BatchMatMul',
    { a: a3, b: b3 },
    { transposeA: false, transposeB: false },
  );
  const dw = runWasm(b, 'Reshape', { x: product }, { shape: [1, 1, g.inC, g.outC] });
  // Reshapes only bumped their source's reference count: free each handle once.
  free(b, cols, a3, b3, product);
  if (src !== x) free(b, src);
  return dw;
}

/** dX = dy·Wᵀ as a 1×1 forward conv (XNNPACK), scattered onto the strided pixels of a zero grid. */
export function pointwiseInputGrad(
  b: HeapBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const wT = runWasm(b, 'Transpose', { x: filter }, { perm: [0, 1, 3, 2] });
  const product = runWasm(
    b,
    'Conv2D',
    { x: dy, filter: wT },
    { strides: 1, dilations: 1, pad: 'valid', dataFormat: 'NHWC' },
  );
  free(b, wT);
  if (!strided(g)) return product;
  const dx = b.makeOutput([g.batch, g.inH, g.inW, g.inC], 'float32');
  const to = b.typedArrayFromHeap(dx);
  const from = b.typedArrayFromHeap(product);
  to.fill(0);
  copyStrided(new Float32Array(to.buffer), to.byteOffset / 4, from.byteOffset / 4, g, false);
  free(b, product);
  return dx;
}
