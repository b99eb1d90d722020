import type { KernelBackend, KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { replaceWasmKernel } from './kernel-utils.ts';

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

/** Identity and Cast configs; strings and real dtype conversions still go to the stock kernels. */
export function shareDataConfigs(): KernelConfig[] {
  return [
    replaceWasmKernel('Identity', (identity) => (args) => {
      const x = args.inputs['x'] as TensorInfo;
      return x.dtype === 'string' ? identity(args) : share(args.backend as KernelBackend, x);
    }),
    replaceWasmKernel('Cast', (cast) => (args) => {
      const x = args.inputs['x'] as TensorInfo;
      const same = (args.attrs as NamedAttrMap)['dtype'] === x.dtype && x.dtype !== 'string';
      return same ? share(args.backend as KernelBackend, x) : cast(args);
    }),
  ];
}
