import type * as tf from '@tensorflow/tfjs';
import type { GraphBuilder } from './onnx-builder.ts';
import {
  activation,
  onnxConvWeights,
  requireChannelsLast,
  spatial,
  unsupported,
  weights,
  type Config,
  type Current,
  type LayerConverter,
} from './onnx-common.ts';

/**
 * A depthwise conv as ONNX Conv with one group per input channel. tfjs kernels are
 * [kh, kw, in, multiplier]; ONNX wants [in·multiplier, 1, kh, kw], output channel c·m + k.
 */
function depthwise(
  g: GraphBuilder,
  x: Current,
  layer: tf.layers.Layer,
  cfg: Config,
  kernel: { shape: number[]; data: Float32Array },
  bias: { data: Float32Array } | undefined,
): Current {
  requireChannelsLast(layer, cfg);
  const s = spatial(
    layer,
    x,
    cfg['kernelSize'],
    cfg['strides'],
    cfg['dilationRate'],
    cfg['padding'],
  );
  const [kh = 0, kw = 0, cin = 0, mult = 0] = kernel.shape;
  const w = new Float32Array(kernel.data.length);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let c = 0; c < cin; c++)
        for (let m = 0; m < mult; m++)
          w[((c * mult + m) * kh + i) * kw + j] = kernel.data[
            ((i * kw + j) * cin + c) * mult + m
          ] as number;
  const inputs = [x.name, g.constant(`${layer.name}/depthwise_kernel`, [cin * mult, 1, kh, kw], w)];
  if (bias) inputs.push(g.constant(`${layer.name}/bias`, [cin * mult], bias.data));
  const name = g.node('Conv', inputs, layer.name, {
    ...s.attrs,
    dilations: s.dilations,
    group: cin,
  });
  return { name, layout: 'nchw', shape: [cin * mult, ...s.out] };
}

export const depthwiseConverters: Record<string, LayerConverter> = {
  DepthwiseConv2D(g, x, layer, cfg) {
    const [kernel, bias] = weights(layer);
    if (!kernel) throw unsupported(layer, 'no kernel weights');
    return activation(g, depthwise(g, x, layer, cfg, kernel, bias), cfg['activation'], layer);
  },
  /** Depthwise conv (no bias), then a 1×1 pointwise Conv carrying the bias, as Keras computes it. */
  SeparableConv2D(g, x, layer, cfg) {
    const [kernel, pointwise, bias] = weights(layer);
    if (!kernel || !pointwise) throw unsupported(layer, 'no kernel weights');
    const mid = depthwise(g, x, layer, cfg, kernel, undefined);
    const [, , min = 0, cout = 0] = pointwise.shape;
    const inputs = [
      mid.name,
      g.constant(`${layer.name}/pointwise_kernel`, [cout, min, 1, 1], onnxConvWeights(pointwise)),
    ];
    if (bias) inputs.push(g.constant(`${layer.name}/bias`, [cout], bias.data));
    const name = g.node('Conv', inputs, layer.name, { kernel_shape: [1, 1] });
    return activation(
      g,
      { name, layout: 'nchw', shape: [cout, ...mid.shape.slice(1)] },
      cfg['activation'],
      layer,
    );
  },
};
