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
import { depthwiseConverters } from './onnx-depthwise.ts';

/** Per tfjs layer class: how one layer becomes ONNX nodes on the running tensor. */
export const converters: Record<string, LayerConverter> = {
  ...depthwiseConverters,
  InputLayer: (_g, x) => x,
  Dropout: (_g, x) => x,
  Activation: (g, x, layer, cfg) => activation(g, x, cfg['activation'], layer),
  Conv2D(g, x, layer, cfg) {
    requireChannelsLast(layer, cfg);
    const s = spatial(
      layer,
      x,
      cfg['kernelSize'],
      cfg['strides'],
      cfg['dilationRate'],
      cfg['padding'],
    );
    const [kernel, bias] = weights(layer);
    if (!kernel) throw unsupported(layer, 'no kernel weights');
    const [kh = 0, kw = 0, cin = 0, cout = 0] = kernel.shape;
    const w = onnxConvWeights(kernel);
    const inputs = [x.name, g.constant(`${layer.name}/kernel`, [cout, cin, kh, kw], w)];
    if (bias) inputs.push(g.constant(`${layer.name}/bias`, [cout], bias.data));
    const name = g.node('Conv', inputs, layer.name, { ...s.attrs, dilations: s.dilations });
    return activation(
      g,
      { name, layout: 'nchw', shape: [cout, ...s.out] },
      cfg['activation'],
      layer,
    );
  },
  BatchNormalization(g, x, layer, cfg) {
    const rank = x.shape.length + 1;
    const axis = Number(cfg['axis'] ?? -1);
    if (axis !== -1 && axis !== rank - 1) throw unsupported(layer, `axis ${axis}`);
    const channels = x.shape[0] ?? 0;
    const ws = weights(layer);
    const take = (flag: unknown, fill: number) =>
      flag === false
        ? new Float32Array(channels).fill(fill)
        : (ws.shift()?.data ?? new Float32Array(channels).fill(fill));
    const gamma = take(cfg['scale'], 1);
    const beta = take(cfg['center'], 0);
    const [mean, variance] = ws;
    if (!mean || !variance) throw unsupported(layer, 'missing moving statistics');
    const name = g.node(
      'BatchNormalization',
      [
        x.name,
        g.constant(`${layer.name}/gamma`, [channels], gamma),
        g.constant(`${layer.name}/beta`, [channels], beta),
        g.constant(`${layer.name}/moving_mean`, [channels], mean.data),
        g.constant(`${layer.name}/moving_variance`, [channels], variance.data),
      ],
      layer.name,
      { epsilon: Number(cfg['epsilon'] ?? 1e-3) },
    );
    return { ...x, name };
  },
  MaxPooling2D(g, x, layer, cfg) {
    requireChannelsLast(layer, cfg);
    const s = spatial(layer, x, cfg['poolSize'], cfg['strides'], 1, cfg['padding']);
    const name = g.node('MaxPool', [x.name], layer.name, s.attrs);
    return { name, layout: 'nchw', shape: [x.shape[0] ?? 0, ...s.out] };
  },
  AveragePooling2D(g, x, layer, cfg) {
    requireChannelsLast(layer, cfg);
    const s = spatial(layer, x, cfg['poolSize'], cfg['strides'], 1, cfg['padding']);
    // TF averages only over real pixels at the border.
    const name = g.node('AveragePool', [x.name], layer.name, { ...s.attrs, count_include_pad: 0 });
    return { name, layout: 'nchw', shape: [x.shape[0] ?? 0, ...s.out] };
  },
  GlobalAveragePooling2D: (g, x, layer, cfg) => globalPool(g, x, layer, cfg, 'GlobalAveragePool'),
  GlobalMaxPooling2D: (g, x, layer, cfg) => globalPool(g, x, layer, cfg, 'GlobalMaxPool'),
  Flatten(g, x, layer) {
    if (x.layout === 'flat') return x;
    // Keras flattens NHWC: go back to channels-last first so the next Dense kernel stays valid.
    const nhwc = g.node('Transpose', [x.name], layer.name, { perm: [0, 2, 3, 1] });
    const name = g.node('Flatten', [nhwc], layer.name, { axis: 1 });
    return { name, layout: 'flat', shape: [x.shape.reduce((a, b) => a * b, 1)] };
  },
  Dense(g, x, layer, cfg) {
    if (x.layout !== 'flat') throw unsupported(layer, 'Dense on a 4-D tensor');
    const [kernel, bias] = weights(layer);
    if (!kernel) throw unsupported(layer, 'no kernel weights');
    const [inputs = 0, units = 0] = kernel.shape;
    const k = g.constant(`${layer.name}/kernel`, [inputs, units], kernel.data);
    const name = bias
      ? g.node(
          'Gemm',
          [x.name, k, g.constant(`${layer.name}/bias`, [units], bias.data)],
          layer.name,
        )
      : g.node('MatMul', [x.name, k], layer.name);
    return activation(g, { name, layout: 'flat', shape: [units] }, cfg['activation'], layer);
  },
};

function globalPool(
  g: GraphBuilder,
  x: Current,
  layer: tf.layers.Layer,
  cfg: Config,
  op: string,
): Current {
  requireChannelsLast(layer, cfg);
  if (x.layout !== 'nchw') throw unsupported(layer, 'needs a 4-D input');
  if (cfg['keepDims'] === true) throw unsupported(layer, 'keepDims');
  const pooled = g.node(op, [x.name], layer.name);
  const name = g.node('Flatten', [pooled], layer.name, { axis: 1 });
  return { name, layout: 'flat', shape: [x.shape[0] ?? 0] };
}
