// `npm run bench:peer -- --convs`: compact-cnn's single 3×3 convolutions, studio (WebAssembly)
// beside PyTorch (`torch_peer.py conv`), in GMAC/s on one thread each. A convolution-bound network
// cannot train faster, relative to PyTorch, than these ratios allow.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../app/engine/backend.ts';

/** Same list as CONV_SHAPES in torch_peer.py: (side, in channels, out channels) at batch 64. */
export const CONV_SHAPES: [number, number, number][] = [
  [48, 1, 16],
  [24, 16, 32],
  [12, 32, 64],
  [12, 64, 64],
  [6, 64, 128],
  [6, 128, 128],
];

export interface ConvRate {
  shape: string;
  forward: number;
  withGradients: number;
}

export async function studioConvRates(threads: number, steps: number): Promise<ConvRate[]> {
  await selectBackend('wasm', undefined, { wasmThreads: threads });
  const rates: ConvRate[] = [];
  for (const [side, cIn, cOut] of CONV_SHAPES) {
    const macs = 64 * side * side * 9 * cIn * cOut;
    const x = tf.randomNormal([64, side, side, cIn]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, cIn, cOut]) as tf.Tensor4D;
    const dy = tf.randomNormal([64, side, side, cOut]) as tf.Tensor4D;
    const forward = () => [tf.conv2d(x, w, 1, 'same')];
    // One forward pass and both gradients, as one training step of the layer runs them.
    const conv = (a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same');
    const both = () => {
      const { value, grads } = tf.valueAndGrads(conv)([x, w], dy);
      return [value, ...grads];
    };
    const seconds = (fn: () => tf.Tensor[]) => {
      for (let i = 0; i < 2; i++) tf.dispose(fn());
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) {
        const out = fn();
        for (const t of out) t.dataSync();
        tf.dispose(out);
      }
      return (performance.now() - t0) / steps / 1000;
    };
    rates.push({
      shape: `${side}x${side} ${cIn}->${cOut}`,
      forward: macs / seconds(forward) / 1e9,
      withGradients: (3 * macs) / seconds(both) / 1e9,
    });
    tf.dispose([x, w, dy]);
  }
  return rates;
}

/** Parses `torch_peer.py conv` lines into the same records. */
export function parseTorchConvs(output: string): ConvRate[] {
  const line = /^conv (\S+ \S+)\s+forward\s+([\d.]+) GMAC\/s\s+with gradients\s+([\d.]+) GMAC\/s/gm;
  return [...output.matchAll(line)].map((m) => ({
    shape: m[1]!,
    forward: Number(m[2]),
    withGradients: Number(m[3]),
  }));
}
