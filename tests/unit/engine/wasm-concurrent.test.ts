import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const WORKER = new URL('./wasm-init-worker.mjs', import.meta.url);

function startWorker(): Promise<{ ok: boolean; label?: string; sum?: number; message?: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER);
    worker.once('message', (message) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

// The studio's core runs training, evaluation, predict and model-import workers in one process;
// two of them starting the threaded wasm backend at once must not break each other.
describe('threaded wasm in concurrent worker threads of one process', () => {
  it('four workers initialise at the same time and all compute, three rounds', async () => {
    // One round alone failed about half the time before each start got its own worker script.
    const results = [];
    for (let round = 0; round < 3; round++)
      results.push(...(await Promise.all([1, 2, 3, 4].map(() => startWorker()))));
    expect(results).toHaveLength(12);
    for (const result of results) {
      expect(result.message).toBeUndefined();
      expect(result.ok).toBe(true);
      expect(result.label).toBe('WebAssembly (SIMD, 2 threads, FMA convolutions)');
      // 'same' 3×3 ones over 8×8×2 ones, 2 output channels: interior 18 each, edges fewer.
      expect(result.sum).toBe(2 * 2 * (36 * 9 + 24 * 6 + 4 * 4));
    }
  }, 120_000);
});
