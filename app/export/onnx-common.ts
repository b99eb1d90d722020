import type * as tf from '@tensorflow/tfjs';
import { StudioError } from '../contract/errors.ts';
import type { GraphBuilder } from './onnx-builder.ts';

/** The running tensor: ONNX convolutions work in NCHW, so spatial tensors are kept transposed. */
export interface Current {
  name: string;
  layout: 'nchw' | 'flat';
  /** Shape without the batch dimension, in `layout` order. */
  shape: number[];
}

export type Config = Record<string, unknown>;
export type LayerConverter = (
  g: GraphBuilder,
  x: Current,
  layer: tf.layers.Layer,
  cfg: Config,
) => Current;

export function unsupported(layer: tf.layers.Layer, why: string): StudioError {
  return new StudioError(
    'unsupported',
    `The model's ${layer.getClassName()} layer "${layer.name}" cannot be exported to ONNX (${why}); the TensorFlow.js export works.`,
  );
}

export const pair = (v: unknown): [number, number] =>
  Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)];

export function weights(layer: tf.layers.Layer): { shape: number[]; data: Float32Array }[] {
  return layer.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync() as Float32Array }));
}

/** Output size and explicit [begin, end] pads for one spatial axis, as TF computes them. */
function window(size: number, k: number, s: number, d: number, padding: unknown) {
  const span = (k - 1) * d + 1;
  if (padding === 'valid') return { out: Math.floor((size - span) / s) + 1, begin: 0, end: 0 };
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + span - size, 0);
  return { out, begin: Math.floor(total / 2), end: total - Math.floor(total / 2) };
}

export function spatial(
  layer: tf.layers.Layer,
  x: Current,
  kernel: unknown,
  strides: unknown,
  dilation: unknown,
  padding: unknown,
) {
  if (x.layout !== 'nchw') throw unsupported(layer, 'needs a 4-D input');
  if (padding !== 'same' && padding !== 'valid')
    throw unsupported(layer, `padding ${String(padding)}`);
  const [kh, kw] = pair(kernel);
  const [sh, sw] = pair(strides ?? kernel);
  const [dh, dw] = pair(dilation ?? 1);
  const h = window(x.shape[1] ?? 0, kh, sh, dh, padding);
  const w = window(x.shape[2] ?? 0, kw, sw, dw, padding);
  const attrs = {
    kernel_shape: [kh, kw],
    strides: [sh, sw],
    pads: [h.begin, w.begin, h.end, w.end],
  };
  return { attrs, dilations: [dh, dw], out: [h.out, w.out] };
}

export function activation(
  g: GraphBuilder,
  x: Current,
  name: unknown,
  layer: tf.layers.Layer,
): Current {
  const ops: Record<string, string> = {
    relu: 'Relu',
    sigmoid: 'Sigmoid',
    tanh: 'Tanh',
    elu: 'Elu',
    selu: 'Selu',
    softplus: 'Softplus',
  };
  if (name === undefined || name === null || name === 'linear') return x;
  if (name === 'softmax') {
    // Keras softmax is over the last axis: channels, which is axis 1 both for NCHW and flat tensors.
    return { ...x, name: g.node('Softmax', [x.name], layer.name, { axis: 1 }) };
  }
  const op = typeof name === 'string' ? ops[name] : undefined;
  if (!op) throw unsupported(layer, `activation ${String(name)}`);
  return { ...x, name: g.node(op, [x.name], layer.name) };
}

export function requireChannelsLast(layer: tf.layers.Layer, cfg: Config): void {
  if (cfg['dataFormat'] !== undefined && cfg['dataFormat'] !== 'channelsLast')
    throw unsupported(layer, `data format ${String(cfg['dataFormat'])}`);
}

/** tfjs conv kernels are [kh, kw, in, out]; ONNX wants [out, in, kh, kw]. */
export function onnxConvWeights(kernel: { shape: number[]; data: Float32Array }): Float32Array {
  const [kh = 0, kw = 0, cin = 0, cout = 0] = kernel.shape;
  const w = new Float32Array(kernel.data.length);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let c = 0; c < cin; c++)
        for (let o = 0; o < cout; o++)
          w[((o * cin + c) * kh + i) * kw + j] = kernel.data[
            ((i * kw + j) * cin + c) * cout + o
          ] as number;
  return w;
}
