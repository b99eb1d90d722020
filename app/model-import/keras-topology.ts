import { StudioError } from '../contract/errors.ts';

/**
 * Keras model configs (Keras 3 `serialize_keras_object` style, or Keras 2 / tf.keras 2.x style)
 * → the Keras 2 style topology tf.models.modelFromJSON reads. Every layer is checked against the
 * supported list first, so an unsupported model is refused before anything is built.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One layer of the model, in config order, as the importer reports and maps it. */
export interface LayerSpec {
  name: string;
  className: string;
  /** 1-based position in the config's layer list. */
  position: number;
}

export interface Topology {
  /** Keras 2 style `{class_name, config}` for tf.models.modelFromJSON. */
  modelTopology: JsonObject;
  layers: LayerSpec[];
  /** [H, W, C] of the single image input. */
  inputShape: [number, number, number];
  /** Notes shown to the user (softmax appended, SpatialDropout2D as Dropout …). */
  notes: string[];
}

const ACTIVATIONS = new Set([
  'relu',
  'softmax',
  'elu',
  'selu',
  'tanh',
  'sigmoid',
  'swish',
  'linear',
  'relu6',
  'softplus',
  'softsign',
  'hard_sigmoid',
]);

/** Supported Keras classes → the tfjs class they become. */
const LAYERS: Record<string, string> = {
  InputLayer: 'InputLayer',
  Conv2D: 'Conv2D',
  SeparableConv2D: 'SeparableConv2D',
  DepthwiseConv2D: 'DepthwiseConv2D',
  BatchNormalization: 'BatchNormalization',
  Activation: 'Activation',
  ReLU: 'ReLU',
  LeakyReLU: 'LeakyReLU',
  ELU: 'ELU',
  MaxPooling2D: 'MaxPooling2D',
  MaxPool2D: 'MaxPooling2D',
  AveragePooling2D: 'AveragePooling2D',
  AvgPool2D: 'AveragePooling2D',
  GlobalAveragePooling2D: 'GlobalAveragePooling2D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  GlobalMaxPooling2D: 'GlobalMaxPooling2D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
  Dropout: 'Dropout',
  // tfjs has no SpatialDropout2D; both are the identity at inference.
  SpatialDropout2D: 'Dropout',
  Flatten: 'Flatten',
  Dense: 'Dense',
  Add: 'Add',
  Concatenate: 'Concatenate',
  Multiply: 'Multiply',
  Average: 'Average',
  Rescaling: 'Rescaling',
  Reshape: 'Reshape',
  ZeroPadding2D: 'ZeroPadding2D',
};

const refuse = (message: string) => new StudioError('unsupported', message);
const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keeps what tfjs understands: drops Keras 3 wrappers, initialisers and regularisers (weights are loaded). */
function cleanConfig(className: string, raw: JsonObject, spec: LayerSpec, notes: string[]) {
  const config: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    if (/_(initializer|regularizer|constraint)$/.test(key)) continue;
    if (
      ['dtype', 'synchronized', 'groups', 'seed', 'noise_shape', 'sparse', 'ragged'].includes(key)
    )
      continue;
    config[key] = value;
  }
  const what = `layer ${spec.position} (${spec.className} "${spec.name}")`;
  const activation = raw['activation'];
  if (activation !== undefined) {
    // Keras 3 may write a built-in as {class_name: "function", config: "relu"}.
    const name = isObject(activation)
      ? String(
          typeof activation['config'] === 'string'
            ? activation['config']
            : (activation['class_name'] ?? '?'),
        )
      : String(activation);
    if (!ACTIVATIONS.has(name)) throw refuse(`Unsupported activation "${name}" in ${what}.`);
    config['activation'] = name;
  }
  if (className === 'InputLayer') {
    const shape = raw['batch_shape'] ?? raw['batch_input_shape'];
    delete config['batch_shape'];
    config['batch_input_shape'] = shape ?? null;
  }
  if (className === 'ReLU') {
    const slope = Number(raw['negative_slope'] ?? 0);
    const threshold = Number(raw['threshold'] ?? 0);
    if (slope !== 0 || threshold !== 0)
      throw refuse(`${what}: ReLU with a negative slope or threshold is not supported.`);
    delete config['negative_slope'];
    delete config['threshold'];
  }
  if (className === 'LeakyReLU') {
    // Keras 3 renamed alpha to negative_slope (default 0.3 in both).
    config['alpha'] = raw['negative_slope'] ?? raw['alpha'] ?? 0.3;
    delete config['negative_slope'];
  }
  if (className.startsWith('Global') && raw['keepdims'] === true)
    throw refuse(`${what}: keepdims=True is not supported.`);
  if (raw['data_format'] === 'channels_first')
    throw refuse(`${what}: channels_first data is not supported (only channels_last).`);
  if (className === 'SpatialDropout2D')
    notes.push(
      `${spec.name}: SpatialDropout2D runs as Dropout (the same at inference; fine-tuning drops single values).`,
    );
  if (className === 'BatchNormalization' && raw['axis'] !== undefined) {
    const axis = Array.isArray(raw['axis']) ? raw['axis'][0] : raw['axis'];
    if (axis !== -1 && axis !== 3)
      throw refuse(`${what}: batch normalization over axis ${String(axis)} is not supported.`);
    config['axis'] = -1;
  }
  return config;
}

/** A Keras 3 node (`{args: [keras_tensor…]}`) or a Keras 2 node (`[[name, node, tensor, kwargs]…]`) → Keras 2. */
function convertNode(node: Json): Json {
  if (Array.isArray(node)) return node;
  if (!isObject(node)) return [];
  const inputs: Json[] = [];
  const visit = (v: Json) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v) && v['class_name'] === '__keras_tensor__' && isObject(v['config'])) {
      const history = v['config']['keras_history'];
      if (Array.isArray(history))
        inputs.push([history[0] ?? '', history[1] ?? 0, history[2] ?? 0, {}]);
    }
  };
  visit(node['args'] ?? []);
  return inputs;
}

/** Keras 3 writes a single model input or output as one `[name, 0, 0]`, not a list of them. */
function nodeList(value: Json | undefined): Json[] {
  if (!Array.isArray(value)) return [];
  return typeof value[0] === 'string' ? [value] : value;
}

function shapeOf(config: JsonObject): (number | null)[] | null {
  const shape = config['batch_input_shape'] ?? config['batch_shape'];
  return Array.isArray(shape) ? (shape as (number | null)[]) : null;
}

/** Checks and converts a parsed Keras model config. */
export function toTfjsTopology(modelConfig: JsonObject): Topology {
  const modelClass = String(modelConfig['class_name'] ?? '');
  const sequential = modelClass === 'Sequential';
  if (!sequential && modelClass !== 'Functional' && modelClass !== 'Model')
    throw refuse(
      `The model is a ${modelClass || 'model of unknown class'}; only Sequential and Functional models can be imported.`,
    );
  const inner = isObject(modelConfig['config']) ? modelConfig['config'] : null;
  const rawLayers = inner && Array.isArray(inner['layers']) ? inner['layers'] : null;
  if (!inner || !rawLayers || rawLayers.length === 0)
    throw refuse('The model config lists no layers.');
  const notes: string[] = [];
  const layers: LayerSpec[] = [];
  const converted: JsonObject[] = rawLayers.map((raw, i) => {
    if (!isObject(raw)) throw refuse(`Layer ${i + 1} of the model config is not an object.`);
    const className = String(raw['class_name'] ?? '');
    const cfg = isObject(raw['config']) ? raw['config'] : {};
    const name = String(raw['name'] ?? cfg['name'] ?? `layer_${i + 1}`);
    const spec = { name, className, position: i + 1 };
    const target = LAYERS[className];
    if (!target) {
      const kind =
        className === 'Lambda'
          ? 'Lambda layers (Python code) are'
          : raw['registered_name'] && String(raw['registered_name']).includes('>')
            ? 'custom layers are'
            : 'this layer is';
      throw refuse(
        `Layer ${i + 1} (${className || 'unknown class'} "${name}") cannot be imported: ${kind} not supported.`,
      );
    }
    layers.push(spec);
    const out: JsonObject = {
      class_name: target,
      config: { ...cleanConfig(className, cfg, spec, notes), name },
    };
    if (!sequential) {
      out['name'] = name;
      out['inbound_nodes'] = Array.isArray(raw['inbound_nodes'])
        ? raw['inbound_nodes'].map(convertNode)
        : [];
    }
    return out;
  });

  // The one image input: Sequential's first layer's shape, or the Functional input layer's.
  const inputConfigs = sequential
    ? [converted[0]?.['config'] as JsonObject]
    : converted
        .filter((l) => l['class_name'] === 'InputLayer')
        .map((l) => l['config'] as JsonObject);
  if (!sequential && inputConfigs.length !== 1)
    throw refuse(
      `The model has ${inputConfigs.length} inputs; only models with one image input can be imported.`,
    );
  const shape = inputConfigs[0] ? shapeOf(inputConfigs[0]) : null;
  const [, h, w, c] = shape ?? [];
  if (!shape || shape.length !== 4 || !h || !w || (c !== 1 && c !== 3) || h < 8 || w < 8)
    throw refuse(
      `The model's input is ${shape ? `[${shape.map((d) => d ?? 'None').join(', ')}]` : 'not declared'}, not an image: it must be (height, width, 1 or 3 channels), channels last.`,
    );

  let outputLayers: Json[] = nodeList(inner['output_layers']);
  if (!sequential && (!Array.isArray(outputLayers) || outputLayers.length !== 1))
    throw refuse(
      `The model has ${Array.isArray(outputLayers) ? outputLayers.length : 0} outputs; only models with one output can be imported.`,
    );
  // A model whose last layer is not softmax gets one, so every run predicts probabilities.
  const lastName = sequential
    ? layers[layers.length - 1]?.name
    : String((outputLayers[0] as Json[])[0]);
  const last = converted.find((l) => (l['config'] as JsonObject)['name'] === lastName);
  const lastActivation = last ? (last['config'] as JsonObject)['activation'] : undefined;
  const isSoftmax = lastActivation === 'softmax' || last?.['class_name'] === 'Softmax';
  if (!isSoftmax) {
    const name = `${lastName ?? 'output'}_softmax`;
    notes.push(
      `The last layer (${lastName ?? '?'}) ends in ${String(lastActivation ?? 'no activation')}, not softmax: softmax was applied to its outputs.`,
    );
    const softmax: JsonObject = {
      class_name: 'Activation',
      config: { name, activation: 'softmax', trainable: true },
    };
    if (!sequential) {
      softmax['name'] = name;
      softmax['inbound_nodes'] = [[[lastName ?? '', 0, 0, {}]]];
      outputLayers = [[name, 0, 0]];
    }
    converted.push(softmax);
  }
  const config: JsonObject = { name: String(inner['name'] ?? 'imported'), layers: converted };
  if (!sequential) {
    config['input_layers'] = nodeList(inner['input_layers']);
    config['output_layers'] = outputLayers;
  }
  return {
    modelTopology: { class_name: sequential ? 'Sequential' : 'Model', config },
    layers,
    inputShape: [h, w, c],
    notes,
  };
}
