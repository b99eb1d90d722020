import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { HeapBackend } from '../wasm-kernels/kernel-utils.ts';
import { ConvHeap, FmaCapacityError } from './runtime.ts';
import { fmaThreads, runSplit } from './threads.ts';

type Shape4 = [number, number, number, number];
type Pad = tf.backend_util.ExplicitPadding | 'same' | 'valid' | number;

/** Kernel calls served by the FMA kernels and handed back to the previous kernels, per name. */
export const fmaCalls = { fma: new Map<string, number>(), fallback: new Map<string, number>() };

function count(kind: 'fma' | 'fallback', name: string): void {
  fmaCalls[kind].set(name, (fmaCalls[kind].get(name) ?? 0) + 1);
}

let heap: ConvHeap | null = null;
function convHeap(): ConvHeap {
  heap ??= new ConvHeap();
  heap.reset();
  return heap;
}

/** Each thread's private buffers: an optional zeroed partial sum of `partial` floats, then work. */
function work(h: ConvHeap, kind: number, partial = 0): [number[], number[]?] {
  const one = () => {
    const args = partial > 0 ? [h.alloc(partial)] : [];
    if (partial > 0) h.view(args[0] as number, partial).fill(0);
    return [...args, h.alloc(h.exports.scratch_floats(kind))];
  };
  const first = one();
  return fmaThreads() >= 2 ? [first, one()] : [first];
}

/** tfjs' conv geometry, or null for what the kernels do not cover (NCHW, empty tensors). */
function geometry(xShape: Shape4, filterShape: Shape4, attrs: NamedAttrMap): number[] | null {
  if (attrs['dataFormat'] === 'NCHW' || attrs['dataFormat'] === 'channelsFirst') return null;
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs['strides'] as [number, number] | number,
    (attrs['dilations'] ?? 1) as [number, number] | number,
    attrs['pad'] as Pad,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  const g = [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
  return g.every((v) => Number.isInteger(v)) && g.slice(0, 11).every((v) => v > 0) ? g : null;
}

const floats = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);
const isFloat = (...ts: TensorInfo[]) => ts.every((t) => t.dtype === 'float32');

/**
 * A tfjs tensor holding `values`. Made only after the FMA heap has done its work: an allocation
 * there that fails then leaves nothing behind, and the call falls back cleanly.
 */
function output(backend: HeapBackend, shape: number[], values: Float32Array): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  backend.typedArrayFromHeap(out).set(values);
  return out;
}

/**
 * A forward pass this thin (a reduction over fewer than THIN_DEPTH values: the 1-channel stem) and
 * this large is left to XNNPACK: it runs the stem of the default model in 2.6 ms against the FMA
 * kernels' 6.4 ms (batch 64, 44 px, idle AMD EPYC), whose time goes to copying a 12 MB output out
 * of their own heap, not to multiply-adds.
 */
export const THIN_DEPTH = 16;
export const THIN_ROWS = 16_384;

/** y = conv(x, w) (+ bias, relu); null when not covered or better served by XNNPACK. */
function forward(
  backend: HeapBackend,
  x: TensorInfo,
  w: TensorInfo,
  attrs: NamedAttrMap,
  bias: TensorInfo | null,
  relu: boolean,
): TensorInfo | null {
  if (!isFloat(x, w) || (bias && !isFloat(bias))) return null;
  const g = geometry(x.shape as Shape4, w.shape as Shape4, attrs);
  if (!g) return null;
  const [n, , , , oh, ow, oc] = g as [number, number, number, number, number, number, number];
  if (bias && floats(bias) !== oc) return null;
  if (floats(w) / oc < THIN_DEPTH && n * oh * ow >= THIN_ROWS) return null;
  const h = convHeap();
  h.exports.set_geometry(...g);
  const xAt = h.copyIn(backend.typedArrayFromHeap(x));
  const wAt = h.copyIn(backend.typedArrayFromHeap(w));
  const bAt = bias ? h.copyIn(backend.typedArrayFromHeap(bias)) : 0;
  const yAt = h.alloc(n * oh * ow * oc);
  const packed = h.alloc(h.exports.scratch_floats(3));
  h.exports.pack_forward(wAt, packed);
  const rows = n * oh * ow;
  const macs = rows * floats(w);
  runSplit(h, 'conv_forward', [xAt, packed, bAt, relu ? 1 : 0, yAt], work(h, 0), rows, 1, macs);
  return output(backend, [n, oh, ow, oc], h.view(yAt, n * oh * ow * oc));
}

/** Wraps `previous` so covered calls run `fma` and the rest (null) run `previous`. */
export function withFallback(
  name: string,
  fma: (args: Parameters<KernelFunc>[0]) => TensorInfo | null,
  previous: KernelFunc,
): KernelFunc {
  return (args) => {
    let out: TensorInfo | null = null;
    try {
      out = fma(args);
    } catch (error) {
      if (!(error instanceof FmaCapacityError)) throw error;
    }
    if (out) {
      count('fma', name);
      return out;
    }
    count('fallback', name);
    return previous(args);
  };
}

export const conv2d = (args: Parameters<KernelFunc>[0]): TensorInfo | null =>
  forward(
    args.backend as HeapBackend,
    args.inputs['x'] as TensorInfo,
    args.inputs['filter'] as TensorInfo,
    args.attrs as NamedAttrMap,
    null,
    false,
  );

export const fusedConv2d = (args: Parameters<KernelFunc>[0]): TensorInfo | null => {
  const a = args.attrs as NamedAttrMap;
  const activation = (a['activation'] ?? 'linear') as string;
  if (args.inputs['preluActivationWeights'] || !['linear', 'relu'].includes(activation))
    return null;
  return forward(
    args.backend as HeapBackend,
    args.inputs['x'] as TensorInfo,
    args.inputs['filter'] as TensorInfo,
    a,
    (args.inputs['bias'] as TensorInfo | undefined) ?? null,
    activation === 'relu',
  );
};

export const conv2dBackpropInput = (args: Parameters<KernelFunc>[0]): TensorInfo | null => {
  const backend = args.backend as HeapBackend;
  const dy = args.inputs['dy'] as TensorInfo;
  const w = args.inputs['filter'] as TensorInfo;
  const a = args.attrs as NamedAttrMap;
  const inputShape = a['inputShape'] as Shape4;
  if (!isFloat(dy, w)) return null;
  const g = geometry(inputShape, w.shape as Shape4, a);
  if (!g || g[4] !== dy.shape[1] || g[5] !== dy.shape[2]) return null;
  const size = inputShape.reduce((p, q) => p * q, 1);
  const h = convHeap();
  h.exports.set_geometry(...g);
  const dyAt = h.copyIn(backend.typedArrayFromHeap(dy));
  const wAt = h.copyIn(backend.typedArrayFromHeap(w));
  const dxAt = h.alloc(size);
  const packed = h.alloc(h.exports.scratch_floats(4));
  h.exports.pack_input_grad(wAt, packed);
  h.view(dxAt, size).fill(0);
  const perImage = (g[4] as number) * (g[5] as number);
  const rows = inputShape[0] * perImage;
  runSplit(
    h,
    'conv_input_grad',
    [dyAt, packed, dxAt],
    work(h, 1),
    rows,
    perImage,
    rows * floats(w),
  );
  return output(backend, [...inputShape], h.view(dxAt, size));
};

export const conv2dBackpropFilter = (args: Parameters<KernelFunc>[0]): TensorInfo | null => {
  const backend = args.backend as HeapBackend;
  const x = args.inputs['x'] as TensorInfo;
  const dy = args.inputs['dy'] as TensorInfo;
  const a = args.attrs as NamedAttrMap;
  const filterShape = a['filterShape'] as Shape4;
  if (!isFloat(x, dy)) return null;
  const g = geometry(x.shape as Shape4, filterShape, a);
  if (!g || g[4] !== dy.shape[1] || g[5] !== dy.shape[2]) return null;
  const h = convHeap();
  h.exports.set_geometry(...g);
  const xAt = h.copyIn(backend.typedArrayFromHeap(x));
  const dyAt = h.copyIn(backend.typedArrayFromHeap(dy));
  const size = filterShape.reduce((p, q) => p * q, 1);
  const rows = floats(dy) / (g[6] as number);
  const own = work(h, 2, size);
  const split = runSplit(h, 'conv_filter_grad', [xAt, dyAt], own, rows, 1, rows * size);
  const sum = h.view(own[0][0] as number, size);
  if (split && own[1]) {
    const theirs = h.view(own[1][0] as number, size);
    for (let i = 0; i < size; i++) sum[i] = (sum[i] as number) + (theirs[i] as number);
  }
  return output(backend, [...filterShape], sum);
};
