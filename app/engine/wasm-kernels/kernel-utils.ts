import * as tf from '@tensorflow/tfjs';
import type {
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs';

/**
 * Calls another wasm kernel directly (no engine bookkeeping, no tape), so composite kernels
 * can chain the backend's fast XNNPACK kernels and free their intermediates exactly.
 */
export function runWasm(
  backend: object,
  kernelName: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (!kernel) throw new Error(`wasm kernel ${kernelName} is not registered`);
  const out = kernel.kernelFunc({ inputs, backend: backend as KernelBackend, attrs });
  if (Array.isArray(out)) throw new Error(`wasm kernel ${kernelName} returned several outputs`);
  return out;
}

export function free(backend: object, ...infos: TensorInfo[]): void {
  for (const info of infos) (backend as KernelBackend).disposeData(info.dataId);
}

/** Normalised NHWC conv geometry shared by the backprop kernels. */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  fH: number;
  fW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

export function convGeometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: NamedAttrMap,
  depthwise: boolean,
): ConvGeometry {
  const strides = attrs['strides'] as [number, number] | number;
  const dilations = (attrs['dilations'] ?? 1) as [number, number] | number;
  const pad = attrs['pad'] as tf.backend_util.ExplicitPadding | 'same' | 'valid' | number;
  const rounding = attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined;
  if (attrs['dataFormat'] === 'NCHW') throw new Error('wasm training kernels support NHWC only');
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (dh !== 1 || dw !== 1)
    throw new Error('wasm training kernels do not support dilated convolutions');
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    strides,
    1,
    pad,
    rounding,
    depthwise,
  );
  return geometryOf(info);
}

/** The dense fields of tfjs' conv info, in the names the heap loops take. */
export function geometryOf(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    fH: info.filterHeight,
    fW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** The wasm backend's view of its heap: tensors as Float32Array views and outputs allocated in place. */
export interface HeapBackend extends KernelBackend {
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

const heaps = new WeakMap<ArrayBufferLike, Float32Array>();

/** A Float32Array over the whole wasm heap that `view` lies in (cached per heap buffer). */
function heapOf(view: Float32Array): Float32Array {
  let heap = heaps.get(view.buffer);
  if (!heap) {
    heap = new Float32Array(view.buffer);
    heaps.set(view.buffer, heap);
  }
  return heap;
}

/** Index of `view`'s first element in `heapOf(view)`. */
export function offsetOf(view: Float32Array): number {
  return view.byteOffset / Float32Array.BYTES_PER_ELEMENT;
}

/**
 * The heap and each named input's offset in it. Call after allocating outputs: an allocation may
 * grow the heap, which replaces its buffer.
 */
export function heapInputs<N extends string>(
  backend: HeapBackend,
  inputs: NamedTensorInfoMap,
  names: readonly N[],
): { heap: Float32Array; offset: Record<N, number> } {
  const views = names.map((name) => backend.typedArrayFromHeap(inputs[name] as TensorInfo));
  const offset = Object.fromEntries(
    names.map((name, i) => [name, offsetOf(views[i] as Float32Array)]),
  );
  return { heap: heapOf(views[0] as Float32Array), offset: offset as Record<N, number> };
}

const stockKernels = new Map<string, KernelConfig>();

/**
 * A config that replaces wasm kernel `name` with `wrap(stock)`. The stock kernel is saved on first
 * use, so registering again never wraps our own; its setupFunc (which binds the C functions the
 * stock kernel calls) is kept.
 */
export function replaceWasmKernel(
  name: string,
  wrap: (stock: KernelFunc) => KernelFunc,
): KernelConfig {
  let stock = stockKernels.get(name);
  if (!stock) {
    stock = tf.getKernel(name, 'wasm');
    if (!stock) throw new Error(`stock wasm kernel ${name} missing`);
    stockKernels.set(name, stock);
  }
  return {
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: wrap(stock.kernelFunc),
    ...(stock.setupFunc ? { setupFunc: stock.setupFunc } : {}),
  };
}
