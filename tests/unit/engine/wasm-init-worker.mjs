// Worker for wasm-concurrent.test.ts: initialises threaded wasm and runs one convolution.
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../app/engine/backend.ts';

try {
  const info = await selectBackend('wasm', undefined, { wasmThreads: 2 });
  const sum = tf.tidy(
    () =>
      tf
        .conv2d(tf.ones([1, 8, 8, 2]), tf.ones([3, 3, 2, 2]), 1, 'same')
        .sum()
        .dataSync()[0],
  );
  parentPort.postMessage({ ok: true, label: info.label, sum });
} catch (error) {
  parentPort.postMessage({ ok: false, message: String(error?.message ?? error) });
}
