import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import {
  CHANNEL_AFFINE,
  CHANNEL_AFFINE2,
  CHANNEL_DOT_SUMS,
  CHANNEL_MOMENTS,
} from './wasm-kernels/channel-ops.ts';

/**
 * Batch normalisation in training mode as ONE differentiable op with the closed-form gradient
 *   dx = γ·r·(dy − mean(dy) − x̂·mean(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy   (r = 1/√(σ²+ε)).
 * tfjs-layers builds it from moments + batchNorm, whose taped gradient is ~16 full-size passes
 * (ones-multiplied broadcasts, the zero-valued variance→mean path); this is 4. On the wasm backend
 * each pass is one of the per-channel heap kernels; elsewhere it is plain broadcasting tfjs ops.
 */
export function batchNormTraining(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  epsilon: number,
): { y: Tensor; mean: Tensor; variance: Tensor } {
  const channels = x.shape[x.rank - 1] as number;
  const count = x.size / channels;
  let stats: [Tensor, Tensor] | null = null;
  const op = tf.customGrad((...args) => {
    const [input, g, b, save] = args as [Tensor, Tensor, Tensor, tf.GradSaveFunc];
    const [mean, variance] = channelMoments(input);
    const rstd = tf.rsqrt(tf.add(variance, epsilon));
    const scale = tf.mul(g, rstd);
    const y = channelAffine(input, scale, tf.sub(b, tf.mul(mean, scale)));
    save([input, g, mean, rstd]);
    stats = [tf.keep(mean), tf.keep(variance)];
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [xs, gs, m, r] = saved as [Tensor, Tensor, Tensor, Tensor];
        const [sumDy, sumDyCentered] = channelDotSums(dy as Tensor, xs, m);
        const dGamma = tf.mul(sumDyCentered, r);
        const a = tf.mul(gs, r);
        // dx = a·dy + bx·x + k, with bx·(x − mean) carrying the x̂ term.
        const bx = tf.neg(tf.div(tf.mul(tf.mul(a, r), dGamma), count));
        const k = tf.sub(tf.neg(tf.div(tf.mul(a, sumDy), count)), tf.mul(bx, m));
        return [channelAffine2(dy as Tensor, xs, a, bx, k), dGamma, sumDy];
      },
    };
  });
  const y = op(x, gamma, beta);
  const [mean, variance] = stats as unknown as [Tensor, Tensor];
  return { y, mean, variance };
}

function onBackend(kernel: string): boolean {
  return tf.getKernel(kernel, tf.getBackend()) !== undefined;
}

function leadingAxes(x: Tensor): number[] {
  return Array.from({ length: x.rank - 1 }, (_, i) => i);
}

function channelMoments(x: Tensor): [Tensor, Tensor] {
  if (onBackend(CHANNEL_MOMENTS))
    return tf.engine().runKernel(CHANNEL_MOMENTS, { x }) as unknown as [Tensor, Tensor];
  const { mean, variance } = tf.moments(x, leadingAxes(x));
  return [mean, variance];
}

function channelAffine(x: Tensor, scale: Tensor, shift: Tensor): Tensor {
  if (onBackend(CHANNEL_AFFINE))
    return tf.engine().runKernel(CHANNEL_AFFINE, { x, scale, shift }) as Tensor;
  return tf.add(tf.mul(x, scale), shift);
}

function channelDotSums(dy: Tensor, x: Tensor, mean: Tensor): [Tensor, Tensor] {
  if (onBackend(CHANNEL_DOT_SUMS))
    return tf.engine().runKernel(CHANNEL_DOT_SUMS, { dy, x, mean }) as unknown as [Tensor, Tensor];
  const axes = leadingAxes(x);
  return [tf.sum(dy, axes), tf.sum(tf.mul(dy, tf.sub(x, mean)), axes)];
}

function channelAffine2(dy: Tensor, x: Tensor, a: Tensor, b: Tensor, k: Tensor): Tensor {
  if (onBackend(CHANNEL_AFFINE2))
    return tf.engine().runKernel(CHANNEL_AFFINE2, { dy, x, a, b, k }) as Tensor;
  return tf.add(tf.add(tf.mul(dy, a), tf.mul(x, b)), k);
}

interface BatchNormLayer {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: { read(): tf.Tensor } | null;
  beta: { read(): tf.Tensor } | null;
  movingMean: { read(): tf.Tensor; write(t: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(t: tf.Tensor): void };
}
type Call = (
  this: BatchNormLayer,
  inputs: Tensor | Tensor[],
  kwargs: tf.serialization.ConfigDict,
) => Tensor | Tensor[];
interface BatchNormPrototype {
  call: Call;
  ferFastTraining?: true;
}

/**
 * Routes tfjs-layers' BatchNormalization training pass over the last axis (what Keras models
 * use) through `batchNormTraining`. Inference, serialisation and other axes keep the stock code,
 * so saved models and exports are unchanged. Idempotent.
 */
export function installBatchNormTraining(): void {
  const proto = Object.getPrototypeOf(tf.layers.batchNormalization({})) as BatchNormPrototype;
  if (proto.ferFastTraining) return;
  const stockCall = proto.call;
  proto.call = function (this: BatchNormLayer, inputs, kwargs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const axis = x ? (this.axis >= 0 ? this.axis : this.axis + x.rank) : -1;
    if (!x || kwargs['training'] !== true || axis !== x.rank - 1)
      return stockCall.call(this, inputs, kwargs);
    return tf.tidy(() => {
      const channels = [x.shape[x.rank - 1] as number];
      // Without γ/β (center or scale false) they are constants; stock tfjs crashes on that case.
      const gamma = this.gamma ? this.gamma.read() : tf.ones(channels);
      const beta = this.beta ? this.beta.read() : tf.zeros(channels);
      const { y, mean, variance } = batchNormTraining(x, gamma, beta, this.epsilon);
      // Moving averages exactly as tfjs-layers: v ← v − (v − batch)·(1 − momentum).
      for (const [variable, value] of [
        [this.movingMean, mean],
        [this.movingVariance, variance],
      ] as const) {
        const old = variable.read();
        variable.write(tf.sub(old, tf.mul(tf.sub(old, value), 1 - this.momentum)));
      }
      tf.dispose([mean, variance]);
      return y;
    });
  };
  proto.ferFastTraining = true;
}
