import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchNormTraining,
  installBatchNormTraining,
} from '../../../app/engine/batch-norm-training.ts';
import { initWasmBackend } from '../../../app/engine/wasm-runtime.ts';
import { registerWasmTrainingKernels } from '../../../app/engine/wasm-kernels/index.ts';

const EPS = 1e-3;

/** tfjs-layers' own training maths: moments, then batchNorm, differentiated by the tape. */
function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  return tf.batchNorm(x, mean, variance, beta, gamma, EPS);
}

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  const p = a.dataSync();
  const q = b.dataSync();
  expect(p.length).toBe(q.length);
  let worst = 0;
  p.forEach((v, i) => {
    const w = q[i] as number;
    worst = Math.max(worst, Math.abs(v - w) / (1e-3 + Math.abs(w)));
  });
  return worst;
}

function compare(shape: number[], offset: number): number {
  return tf.tidy(() => {
    const c = shape[shape.length - 1] as number;
    // An offset mean and uneven scales per channel, as after a conv layer.
    const x = tf.add(
      tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 7), tf.linspace(0.5, 3, c)),
      offset,
    );
    const gamma = tf.randomUniform([c], 0.5, 1.5, 'float32', 8);
    const beta = tf.randomUniform([c], -1, 1, 'float32', 9);
    const dy = tf.randomNormal(shape, 0, 1, 'float32', 10);
    const loss =
      (f: (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
      (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(f(a, g, b), dy));
    const fast = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { y, mean, variance } = batchNormTraining(a, g, b, EPS);
      tf.dispose([mean, variance]);
      return y;
    };
    const got = tf.grads(loss(fast))([x, gamma, beta]);
    const want = tf.grads(loss(reference))([x, gamma, beta]);
    const outputs = maxRelDiff(fast(x, gamma, beta), reference(x, gamma, beta));
    return Math.max(outputs, ...got.map((g, i) => maxRelDiff(g, want[i] as tf.Tensor)));
  });
}

describe('batch-norm training as one op: same outputs and gradients as tfjs-layers’ maths', () => {
  beforeAll(async () => {
    await initWasmBackend(1);
    registerWasmTrainingKernels();
    installBatchNormTraining();
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    for (const [shape, offset] of [
      [[4, 6, 5, 8], 0],
      [[3, 7, 7, 16], 5],
      [[32, 10], -2],
    ] as const) {
      it(`${backend}: x[${shape.join(',')}] mean offset ${offset}`, async () => {
        await tf.setBackend(backend);
        expect(compare([...shape], offset)).toBeLessThan(2e-3);
      });
    }
  }

  it('the patched layer updates moving statistics like Keras and leaves inference alone', async () => {
    await tf.setBackend('wasm');
    const layer = tf.layers.batchNormalization({ momentum: 0.9 });
    const x = tf.add(tf.mul(tf.randomNormal([8, 4, 4, 3], 0, 1, 'float32', 3), 2), 1);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const [movingMean, movingVar] = layer.getWeights().slice(2) as [tf.Tensor, tf.Tensor];
    // From the initial 0 / 1: m ← 0.9·m + 0.1·batch.
    expect(maxRelDiff(movingMean, tf.mul(mean, 0.1))).toBeLessThan(1e-4);
    expect(maxRelDiff(movingVar, tf.add(0.9, tf.mul(variance, 0.1)))).toBeLessThan(1e-4);
    const out = tf.moments(y, [0, 1, 2]);
    expect(Math.max(...out.mean.abs().dataSync())).toBeLessThan(1e-4);
    expect(Math.max(...out.variance.sub(1).abs().dataSync())).toBeLessThan(2e-3);
    const inference = layer.apply(x, { training: false }) as tf.Tensor;
    const expected = tf.batchNorm(x, movingMean, movingVar, null as never, null as never, EPS);
    expect(maxRelDiff(inference, expected)).toBeLessThan(1e-4);
    tf.dispose([x, y, mean, variance, out.mean, out.variance, inference, expected]);
  });

  it('a batch-norm without γ and β (stock tfjs throws in training) normalises', async () => {
    await tf.setBackend('wasm');
    const layer = tf.layers.batchNormalization({ center: false, scale: false });
    const x = tf.add(tf.randomNormal([6, 3, 4], 0, 2, 'float32', 4), 3);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const { mean, variance } = tf.moments(x, [0, 1]);
    const want = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS)));
    expect(maxRelDiff(y, want)).toBeLessThan(1e-3);
    tf.dispose([x, y, mean, variance, want]);
  });
});
