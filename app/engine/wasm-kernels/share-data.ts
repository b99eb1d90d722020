import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap } from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';

/**
 * Identity (and Cast to the same dtype) share the input's buffer by reference count, as the cpu
 * backend and the wasm Reshape already do. The stock wasm kernels copy, and the engine clones
 * every tensor a gradient saves, so each training step copied its activations once more.
 * Safe because tfjs never writes into a buffer after creation (Variable.assign swaps data ids).
 */
function share(backend: KernelBackend, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

const stockKernels = new Map<string, KernelFunc>();

/** The kernel registered before ours; saved once so re-registering never wraps our own. */
function stock(name: string): KernelFunc {
  if (!stockKernels.has(name)) {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel) throw new Error(`stock wasm kernel ${name} missing`);
    stockKernels.set(name, kernel.kernelFunc);
  }
  return stockKernels.get(name) as KernelFunc;
}

/** Identity and Cast configs; strings and real dtype conversions still go to the stock kernels. */
export function shareDataConfigs(): KernelConfig[] {
  const identity = stock('Identity');
  const cast = stock('Cast');
  return [
    {
      kernelName: 'Identity',
      backendName: 'wasm',
      kernelFunc: (args) => {
        const x = args.inputs['x'] as TensorInfo;
        return x.dtype === 'string' ? identity(args) : share(args.backend as KernelBackend, x);
      },
    },
    {
      kernelName: 'Cast',
      backendName: 'wasm',
      kernelFunc: (args) => {
        const x = args.inputs['x'] as TensorInfo;
        const same = (args.attrs as NamedAttrMap)['dtype'] === x.dtype && x.dtype !== 'string';
        return same ? share(args.backend as KernelBackend, x) : cast(args);
      },
    },
  ];
}
