// `npm run bench:peer -- --convs [--threads 1|2]`: GMAC/s of the default model's 3×3 convolutions
// (compact-cnn-w24 on 44-px crops, batch 64) for the forward pass, the input gradient and the
// filter gradient, today's kernels (XNNPACK forward, the engine's gradients) against the FMA
// kernels, measured alternately in one process so load from other processes hits both alike.
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { selectBackend } from '../app/engine/backend.ts';
import { installFmaKernels } from '../app/engine/fma/index.ts';

/** (side, in channels, out channels) of compact-cnn-w24's convolutions on a 44-px crop. */
export const CONV_SHAPES: [number, number, number][] = [
  [44, 1, 24],
  [22, 24, 48],
  [11, 48, 96],
  [11, 96, 96],
  [5, 96, 192],
  [5, 192, 192],
];
const BATCH = 64;
const KERNELS = ['forward', 'input grad', 'filter grad'] as const;
type Kernel = (typeof KERNELS)[number];

function runner(side: number, cIn: number, cOut: number): Record<Kernel, () => tf.Tensor> {
  const x = tf.randomNormal([BATCH, side, side, cIn]);
  const w = tf.randomNormal([3, 3, cIn, cOut]);
  const dy = tf.randomNormal([BATCH, side, side, cOut]);
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, activation: 'linear' };
  const run = (name: string, inputs: tf.NamedTensorMap, extra: object) =>
    tf.engine().runKernel(name, inputs, { ...attrs, ...extra }) as tf.Tensor;
  return {
    forward: () => run('FusedConv2D', { x, filter: w }, {}),
    'input grad': () =>
      run('Conv2DBackpropInput', { dy, filter: w }, { inputShape: [BATCH, side, side, cIn] }),
    'filter grad': () => run('Conv2DBackpropFilter', { x, dy }, { filterShape: [3, 3, cIn, cOut] }),
  };
}

// The wasm kernels (and the FMA kernels' helper thread) finish before the call returns, so the
// call is the whole cost. No dataSync: copying the output out of the heap (12 MB for the stem) is
// not something the training step does, and it used to dominate the thin layers' figures.
function seconds(fn: () => tf.Tensor, steps: number): number {
  fn().dispose();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) fn().dispose();
  return (performance.now() - t0) / steps / 1000;
}

export async function compareConvKernels(threads: number, steps: number): Promise<void> {
  const info = await selectBackend('wasm', undefined, { wasmThreads: threads });
  console.log(`backend: ${info.label}`);
  console.log(
    `3×3 convolutions of compact-cnn-w24 (44-px crops, batch ${BATCH}), ${threads} thread(s), ` +
      'GMAC/s: today / FMA = speed-up',
  );
  const totals = { old: 0, fma: 0 };
  for (const [side, cIn, cOut] of CONV_SHAPES) {
    const macs = BATCH * side * side * 9 * cIn * cOut;
    const fns = runner(side, cIn, cOut);
    const cells: string[] = [];
    for (const kernel of KERNELS) {
      const best = { old: Infinity, fma: Infinity };
      // Alternate old and new three times; keep each one's best (least disturbed) time.
      for (let round = 0; round < 3; round++) {
        for (const kind of ['old', 'fma'] as const) {
          process.env['FER_FMA_KERNELS'] = kind === 'old' ? '0' : '1';
          installFmaKernels(threads);
          best[kind] = Math.min(best[kind], seconds(fns[kernel], steps));
        }
      }
      totals.old += best.old;
      totals.fma += best.fma;
      const rate = (s: number) => (macs / s / 1e9).toFixed(1);
      cells.push(
        `${kernel} ${rate(best.old)} / ${rate(best.fma)} = ×${(best.old / best.fma).toFixed(2)}`,
      );
    }
    console.log(`${`${side}x${side} ${cIn}->${cOut}`.padEnd(14)} ${cells.join('  ')}`);
  }
  delete process.env['FER_FMA_KERNELS'];
  console.log(
    `all six layers, all three kernels: ×${(totals.old / totals.fma).toFixed(2)} ` +
      `(load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`,
  );
}
