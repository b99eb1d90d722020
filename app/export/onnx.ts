import type * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import { GraphBuilder, onnx, valueInfo } from './onnx-builder.ts';
import { preprocessingJson, type ExportRunInfo } from './preprocessing.ts';

export const ONNX_OPSET = 13;
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'probabilities';

/** The running tensor: ONNX convolutions work in NCHW, so spatial tensors are kept transposed. */
interface Current {
  name: string;
  layout: 'nchw' | 'flat';
  /** Shape without the batch dimension, in `layout` order. */
  shape: number[];
}

type Config = Record<string, unknown>;
type LayerConverter = (g: GraphBuilder, x: Current, layer: tf.layers.Layer, cfg: Config) => Current;

function unsupported(layer: tf.layers.Layer, why: string): StudioError {
  return new StudioError(
    'unsupported',
    `onnx-unsupported-layer: ${layer.getClassName()} layer "${layer.name}" cannot be exported to ONNX (${why})`,
  );
}

const pair = (v: unknown): [number, number] =>
  Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)];

function weights(layer: tf.layers.Layer): { shape: number[]; data: Float32Array }[] {
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

function spatial(
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

function activation(g: GraphBuilder, x: Current, name: unknown, layer: tf.layers.Layer): Current {
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

function requireChannelsLast(layer: tf.layers.Layer, cfg: Config): void {
  if (cfg['dataFormat'] !== undefined && cfg['dataFormat'] !== 'channelsLast')
    throw unsupported(layer, `data format ${String(cfg['dataFormat'])}`);
}

const converters: Record<string, LayerConverter> = {
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
    // tfjs kernels are [kh, kw, in, out]; ONNX wants [out, in, kh, kw].
    const w = new Float32Array(kernel.data.length);
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let c = 0; c < cin; c++)
          for (let o = 0; o < cout; o++)
            w[((o * cin + c) * kh + i) * kw + j] = kernel.data[
              ((i * kw + j) * cin + c) * cout + o
            ] as number;
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

/** Builds the ONNX model bytes from a loaded tfjs layers model (NHWC input, softmax output). */
export function modelToOnnx(
  model: tf.LayersModel,
  runInfo?: ExportRunInfo,
  onLayer?: (index: number, count: number) => void,
): Uint8Array {
  const inputShape = model.inputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || inputShape.length !== 4)
    throw new StudioError(
      'unsupported',
      'onnx-unsupported-model: expected one [N,H,W,C] image input',
    );
  const [, h = 0, w = 0, c = 0] = inputShape as number[];
  const g = new GraphBuilder();
  g.unique(ONNX_INPUT);
  let x: Current = {
    name: g.node('Transpose', [ONNX_INPUT], 'input_to_nchw', { perm: [0, 3, 1, 2] }),
    layout: 'nchw',
    shape: [c, h, w],
  };
  model.layers.forEach((layer, i) => {
    const convert = converters[layer.getClassName()];
    if (!convert) throw unsupported(layer, 'no ONNX mapping for this layer type');
    x = convert(g, x, layer, layer.getConfig() as Config);
    onLayer?.(i + 1, model.layers.length);
  });
  if (x.layout !== 'flat' || x.shape[0] !== CLASS_NAMES.length)
    throw new StudioError(
      'unsupported',
      `onnx-unsupported-model: output must be [N,${CLASS_NAMES.length}], got [N,${x.shape.join(',')}]`,
    );
  g.node('Identity', [x.name], 'output', {}, ONNX_OUTPUT);
  const proto = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'FER Studio',
    producerVersion: '1',
    docString: 'Facial-expression classifier; see metadata "preprocessing" for the input contract.',
    graph: {
      name: model.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(ONNX_INPUT, [h, w, c])],
      output: [valueInfo(ONNX_OUTPUT, [CLASS_NAMES.length])],
    },
    metadataProps: [
      { key: 'class_names', value: JSON.stringify(CLASS_NAMES) },
      { key: 'preprocessing', value: preprocessingJson('onnx', runInfo) },
    ],
  });
  return onnx.ModelProto.encode(proto).finish();
}
