import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend, type ModuleLoader } from '../../../app/engine/backend.ts';

const missing: ModuleLoader = (name) => Promise.reject(new Error(`Cannot find package '${name}'`));
// Loads "successfully" but registers no backend, like a native addon built for the wrong ABI.
const broken: ModuleLoader = () => Promise.resolve({});

describe('selectBackend', () => {
  it('falls back from missing native packages to wasm and says why', async () => {
    const info = await selectBackend('auto', missing, { wasmThreads: 1 });
    expect(info.name).toBe('wasm');
    expect(info.label).toBe('WebAssembly (SIMD, 1 thread, FMA convolutions)');
    expect(info.reasons).toHaveLength(2);
    expect(info.reasons).toEqual([
      'TensorFlow GPU: not installed (the optional package @tensorflow/tfjs-node-gpu)',
      'TensorFlow CPU: not installed (the optional package @tensorflow/tfjs-node)',
    ]);
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('reports a native package that loads but registers no backend', async () => {
    const info = await selectBackend('tensorflow', broken, { wasmThreads: 1 });
    expect(info.name).toBe('wasm');
    expect(info.reasons.join('\n')).toMatch(
      /is installed but did not load \(.*registered no 'tensorflow' backend\)/,
    );
  });

  it('honours an explicit cpu preference without reasons', async () => {
    const info = await selectBackend('cpu', missing);
    expect(info).toEqual({ name: 'cpu', label: 'JavaScript CPU', reasons: [] });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects an unknown preference with a clear error', async () => {
    await expect(selectBackend('gpu' as never, missing)).rejects.toThrow(
      /unknown backend preference "gpu"/,
    );
  });
});
