import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { initWasmBackend } from './wasm-runtime.ts';
import { silenceTfjsNodeBanner } from './quiet-tfjs.ts';
import { installBatchNormTraining } from './batch-norm-training.ts';
import { registerWasmTrainingKernels } from './wasm-kernels/index.ts';
import { installFmaKernels } from './fma/index.ts';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** "TensorFlow GPU", "TensorFlow CPU", "WebAssembly (SIMD, N threads, FMA convolutions)", "JavaScript CPU". */
  label: string;
  /** Why each better backend was not used, human-readable, best first. */
  reasons: string[];
}

/** Imports a package by name; injectable so tests can simulate a missing or broken native package. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

export interface SelectBackendOptions {
  /** XNNPACK threads for wasm; default FER_WASM_THREADS or min(cores, 4). 1 = single-threaded build. */
  wasmThreads?: number;
}

const defaultLoader: ModuleLoader = (specifier) => import(specifier);

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}

function isNotInstalled(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (package|module)/.test(message(err));
}

/** A reason a person can act on: a missing optional package is "not installed", not a resolver trace. */
function unavailable(what: string, pkg: string, err: unknown): string {
  if (isNotInstalled(err)) return `${what}: not installed (the optional package ${pkg})`;
  return `${what}: ${pkg} is installed but did not load (${message(err)})`;
}

/** tfjs-node-gpu's backend reports whether TensorFlow found a CUDA device. */
function usesGpu(): boolean {
  const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean | (() => boolean) };
  const flag = backend.isUsingGpuDevice;
  return typeof flag === 'function' ? flag.call(backend) : flag === true;
}

async function tryNative(pkg: string, load: ModuleLoader): Promise<void> {
  await load(pkg);
  if (!tf.findBackend('tensorflow'))
    throw new Error(`${pkg} loaded but registered no 'tensorflow' backend`);
  if (!(await tf.setBackend('tensorflow')))
    throw new Error(`${pkg}: the 'tensorflow' backend failed to initialise`);
}

function defaultThreads(): number {
  const env = Number(process.env['FER_WASM_THREADS']);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, Math.min(os.availableParallelism(), 4));
}

/**
 * Activates the best tfjs backend allowed by `preference` and says why better ones were skipped.
 * auto: tfjs-node-gpu (only if it sees a GPU) → tfjs-node → wasm + training kernels → cpu.
 */
export async function selectBackend(
  preference: BackendPreference,
  loader: ModuleLoader = defaultLoader,
  options: SelectBackendOptions = {},
): Promise<BackendInfo> {
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(preference)) {
    throw new Error(
      `unknown backend preference "${String(preference)}" (auto, tensorflow, wasm or cpu)`,
    );
  }
  silenceTfjsNodeBanner();
  const reasons: string[] = [];
  if (preference === 'auto' || preference === 'tensorflow') {
    try {
      await tryNative('@tensorflow/tfjs-node-gpu', loader);
      if (usesGpu()) return { name: 'tensorflow-gpu', label: 'TensorFlow GPU', reasons };
      reasons.push(
        'TensorFlow GPU: @tensorflow/tfjs-node-gpu loaded but found no usable GPU (CUDA/cuDNN)',
      );
    } catch (err) {
      reasons.push(unavailable('TensorFlow GPU', '@tensorflow/tfjs-node-gpu', err));
    }
    try {
      // The GPU package's 'tensorflow' backend already runs on the CPU when no GPU was found.
      if (tf.getBackend() !== 'tensorflow') await tryNative('@tensorflow/tfjs-node', loader);
      return { name: 'tensorflow', label: 'TensorFlow CPU', reasons };
    } catch (err) {
      reasons.push(unavailable('TensorFlow CPU', '@tensorflow/tfjs-node', err));
    }
  }
  if (preference !== 'cpu') {
    try {
      const threads = await initWasmBackend(options.wasmThreads ?? defaultThreads());
      registerWasmTrainingKernels();
      const fma = installFmaKernels(threads);
      installBatchNormTraining();
      return {
        name: 'wasm',
        label: `WebAssembly (SIMD, ${threads} thread${threads === 1 ? '' : 's'}, ${fma.note})`,
        reasons,
      };
    } catch (err) {
      reasons.push(`WebAssembly: failed to initialise (${message(err)})`);
    }
  }
  if (!(await tf.setBackend('cpu')))
    throw new Error('even the JavaScript cpu backend failed to initialise');
  installBatchNormTraining();
  return { name: 'cpu', label: 'JavaScript CPU', reasons };
}
