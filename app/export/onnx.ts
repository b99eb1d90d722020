import type * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import { GraphBuilder, onnx, valueInfo } from './onnx-builder.ts';
import { unsupported, type Config, type Current } from './onnx-common.ts';
import { converters } from './onnx-layers.ts';
import { preprocessingJson, type ExportRunInfo } from './preprocessing.ts';

export const ONNX_OPSET = 13;
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'probabilities';

/** Keras Add: an elementwise sum of same-shaped inputs (residual connections). */
function add(g: GraphBuilder, xs: Current[], layer: tf.layers.Layer): Current {
  const [first, ...rest] = xs;
  if (!first || rest.length === 0) throw unsupported(layer, 'needs two or more inputs');
  if (rest.some((x) => x.layout !== first.layout || x.shape.join() !== first.shape.join()))
    throw unsupported(layer, 'inputs of different shapes');
  const name = rest.reduce((sum, x) => g.node('Add', [sum, x.name], layer.name), first.name);
  return { ...first, name };
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
  const input: Current = {
    name: g.node('Transpose', [ONNX_INPUT], 'input_to_nchw', { perm: [0, 3, 1, 2] }),
    layout: 'nchw',
    shape: [c, h, w],
  };
  // model.layers is in topological order; each layer's inputs are outputs of earlier layers.
  const outputs = new Map<tf.layers.Layer, Current>();
  const inputsOf = (layer: tf.layers.Layer): Current[] => {
    const nodes = layer.inboundNodes;
    if (nodes.length > 1) throw unsupported(layer, 'a layer shared between several inputs');
    const from = nodes[0]?.inboundLayers ?? [];
    return from.length === 0
      ? [input]
      : from.map((l) => outputs.get(l) ?? (l.getClassName() === 'InputLayer' ? input : missing(l)));
  };
  const missing = (l: tf.layers.Layer): never => {
    throw unsupported(l, 'its output is used before the layer is converted');
  };
  model.layers.forEach((layer, i) => {
    const xs = inputsOf(layer);
    const className = layer.getClassName();
    const cfg = layer.getConfig() as Config;
    let out: Current;
    if (className === 'Add') out = add(g, xs, layer);
    else {
      const convert = converters[className];
      if (!convert) throw unsupported(layer, 'no ONNX mapping for this layer type');
      if (xs.length !== 1) throw unsupported(layer, `${xs.length} inputs`);
      out = convert(g, xs[0] as Current, layer, cfg);
    }
    outputs.set(layer, out);
    onLayer?.(i + 1, model.layers.length);
  });
  const last = model.outputs[0]?.sourceLayer;
  const x = last ? outputs.get(last) : undefined;
  if (model.outputs.length !== 1 || !x)
    throw new StudioError(
      'unsupported',
      'The model has more than one output; an ONNX export needs exactly one.',
    );
  if (x.layout !== 'flat' || x.shape[0] !== CLASS_NAMES.length)
    throw new StudioError(
      'unsupported',
      `The model's output is [N,${x.shape.join(',')}], not [N,${CLASS_NAMES.length}] (one probability per class), so it cannot be exported to ONNX.`,
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
