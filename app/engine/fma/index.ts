import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import {
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  fusedConv2d,
  withFallback,
} from './conv-kernels.ts';
import { hasRelaxedSimd } from './runtime.ts';
import { setFmaThreads } from './threads.ts';

type FmaKernel = (args: Parameters<KernelFunc>[0]) => TensorInfo | null;

const KERNELS: Record<string, FmaKernel> = {
  Conv2D: conv2d,
  FusedConv2D: fusedConv2d,
  Conv2DBackpropInput: conv2dBackpropInput,
  Conv2DBackpropFilter: conv2dBackpropFilter,
};

/** The kernels the FMA ones replaced (today's: XNNPACK's forward, the engine's gradients). */
const previous = new Map<string, KernelConfig>();
const ours = new WeakSet<KernelFunc>();

export interface FmaStatus {
  active: boolean;
  /** For the backend label: "FMA convolutions" or why not. */
  note: string;
}

function restore(): void {
  for (const name of Object.keys(KERNELS)) {
    const before = previous.get(name);
    const now = tf.getKernel(name, 'wasm');
    if (before && now && ours.has(now.kernelFunc)) {
      tf.unregisterKernel(name, 'wasm');
      tf.registerKernel(before);
    }
  }
}

/**
 * Puts the FMA convolution kernels in front of the wasm backend's current ones, which still serve
 * every call the FMA kernels do not cover. Call after registerWasmTrainingKernels. FER_FMA_KERNELS=0
 * (or a runtime without relaxed SIMD) keeps today's kernels.
 */
export function installFmaKernels(threads: number): FmaStatus {
  if (process.env['FER_FMA_KERNELS'] === '0') {
    restore();
    return { active: false, note: 'FMA convolutions off (FER_FMA_KERNELS=0)' };
  }
  if (!hasRelaxedSimd()) {
    restore();
    return { active: false, note: 'no FMA convolutions: this runtime lacks relaxed SIMD' };
  }
  setFmaThreads(threads);
  for (const [name, fma] of Object.entries(KERNELS)) {
    const current = tf.getKernel(name, 'wasm');
    if (!current) throw new Error(`wasm kernel ${name} missing`);
    if (!ours.has(current.kernelFunc)) previous.set(name, current);
    const before = previous.get(name) as KernelConfig;
    const kernelFunc = withFallback(name, fma, before.kernelFunc);
    ours.add(kernelFunc);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc,
      ...(before.setupFunc ? { setupFunc: before.setupFunc } : {}),
    });
  }
  return { active: true, note: 'FMA convolutions' };
}

export { fmaCalls } from './conv-kernels.ts';
