import type * as tf from '@tensorflow/tfjs';
import { StudioError } from '../contract/errors.ts';

/**
 * Keras 3 serialization (`serialize_keras_object`) of a tfjs Sequential or functional model, written
 * to match what Keras 3.6 saves (DTypePolicy objects for dtypes, build_config on built layers,
 * functional layers with `inbound_nodes`; checked against ../shared/keras-fixtures/xception-like.keras).
 */
export const KERAS_VERSION = '3.6.0';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Config = Record<string, unknown>;

export interface KerasLayer {
  /** Keras' own default name (`conv2d_1`), also the layer's group under `layers/` in the weights file. */
  name: string;
  source: tf.layers.Layer;
  serialized: { [key: string]: Json };
}

const DTYPE: Json = {
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name: 'float32' },
  registered_name: null,
};

/** keras.src.utils.naming.to_snake_case, which also names the weight groups. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const pair = (v: unknown): Json =>
  Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)];

function initializer(value: unknown): Json {
  const init = value as { className?: string; config?: Config } | undefined;
  if (!init?.className) return null;
  const config: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(init.config ?? {})) {
    let out = (v ?? null) as Json;
    // tfjs spells enum values in camelCase and calls Keras' truncated normal just "normal".
    if (key === 'mode' && typeof v === 'string') out = toSnakeCase(v);
    if (key === 'distribution') out = v === 'normal' ? 'truncated_normal' : toSnakeCase(String(v));
    config[toSnakeCase(key)] = out;
  }
  return {
    module: 'keras.initializers',
    class_name: init.className,
    config,
    registered_name: null,
  };
}

const NO_REGULARIZERS = {
  kernel_regularizer: null,
  bias_regularizer: null,
  activity_regularizer: null,
  kernel_constraint: null,
  bias_constraint: null,
};

const pool = (c: Config): Config => ({
  pool_size: pair(c['poolSize']),
  padding: c['padding'],
  strides: pair(c['strides'] ?? c['poolSize']),
  data_format: 'channels_last',
});

const spatialConv = (c: Config): Config => ({
  kernel_size: pair(c['kernelSize']),
  strides: pair(c['strides'] ?? 1),
  padding: c['padding'],
  data_format: 'channels_last',
  dilation_rate: pair(c['dilationRate'] ?? 1),
});

/** Per tfjs class: its Keras config fields besides name/trainable/dtype. */
const layerConfigs: Record<string, (c: Config) => Config> = {
  Conv2D: (c) => ({
    filters: c['filters'],
    kernel_size: pair(c['kernelSize']),
    strides: pair(c['strides'] ?? 1),
    padding: c['padding'],
    data_format: 'channels_last',
    dilation_rate: pair(c['dilationRate'] ?? 1),
    groups: 1,
    activation: c['activation'] ?? 'linear',
    use_bias: c['useBias'] ?? true,
    kernel_initializer: initializer(c['kernelInitializer']),
    bias_initializer: initializer(c['biasInitializer']),
    ...NO_REGULARIZERS,
  }),
  BatchNormalization: (c) => ({
    axis: c['axis'] ?? -1,
    momentum: c['momentum'],
    epsilon: c['epsilon'],
    center: c['center'] ?? true,
    scale: c['scale'] ?? true,
    beta_initializer: initializer(c['betaInitializer']),
    gamma_initializer: initializer(c['gammaInitializer']),
    moving_mean_initializer: initializer(c['movingMeanInitializer']),
    moving_variance_initializer: initializer(c['movingVarianceInitializer']),
    beta_regularizer: null,
    gamma_regularizer: null,
    beta_constraint: null,
    gamma_constraint: null,
    synchronized: false,
  }),
  SeparableConv2D: (c) => ({
    depth_multiplier: c['depthMultiplier'] ?? 1,
    filters: c['filters'],
    ...spatialConv(c),
    activation: c['activation'] ?? 'linear',
    use_bias: c['useBias'] ?? true,
    depthwise_initializer: initializer(c['depthwiseInitializer']),
    pointwise_initializer: initializer(c['pointwiseInitializer']),
    bias_initializer: initializer(c['biasInitializer']),
    depthwise_regularizer: null,
    pointwise_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    depthwise_constraint: null,
    pointwise_constraint: null,
    bias_constraint: null,
  }),
  DepthwiseConv2D: (c) => ({
    depth_multiplier: c['depthMultiplier'] ?? 1,
    ...spatialConv(c),
    activation: c['activation'] ?? 'linear',
    use_bias: c['useBias'] ?? true,
    depthwise_initializer: initializer(c['depthwiseInitializer']),
    bias_initializer: initializer(c['biasInitializer']),
    depthwise_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    depthwise_constraint: null,
    bias_constraint: null,
  }),
  Add: () => ({}),
  Activation: (c) => ({ activation: c['activation'] }),
  MaxPooling2D: pool,
  AveragePooling2D: pool,
  GlobalAveragePooling2D: () => ({ data_format: 'channels_last', keepdims: false }),
  GlobalMaxPooling2D: () => ({ data_format: 'channels_last', keepdims: false }),
  Dropout: (c) => ({ rate: c['rate'], seed: null, noise_shape: null }),
  Flatten: () => ({ data_format: 'channels_last' }),
  Dense: (c) => ({
    units: c['units'],
    activation: c['activation'] ?? 'linear',
    use_bias: c['useBias'] ?? true,
    kernel_initializer: initializer(c['kernelInitializer']),
    bias_initializer: initializer(c['biasInitializer']),
    ...NO_REGULARIZERS,
  }),
};

const batchShape = (shape: unknown): Json => (shape as (number | null)[]).map((d) => d ?? null);

/** Functional models list only layers Keras builds with a shape (weights, or Add's shapes). */
const FUNCTIONAL_BUILT = new Set([
  'Conv2D',
  'SeparableConv2D',
  'DepthwiseConv2D',
  'BatchNormalization',
  'Dense',
  'Add',
]);

/** tfjs drops SeparableConv2D's depthMultiplier from its config; the kernel shape still has it. */
function layerConfig(layer: tf.layers.Layer): Config {
  const config = layer.getConfig() as Config;
  const kernel = layer.getWeights()[0];
  if (layer.getClassName() === 'SeparableConv2D' && kernel)
    return { ...config, depthMultiplier: kernel.shape[3] };
  return config;
}

/** The layers Keras would hold, named as Keras names them, each with its serialized form. */
export function kerasLayers(model: tf.LayersModel): KerasLayer[] {
  const functional = model.getClassName() !== 'Sequential';
  const used = new Map<string, number>();
  const names = new Map<tf.layers.Layer, string>();
  // Keras names weight groups by snake_case class plus a counter, in model.layers order.
  const nameOf = (layer: tf.layers.Layer) => {
    const base = toSnakeCase(layer.getClassName());
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    const name = n === undefined ? base : `${base}_${n + 1}`;
    names.set(layer, name);
    return name;
  };
  let inputShape: unknown = model.inputs[0]?.shape ?? [];
  return model.layers
    .filter((layer) => functional || layer.getClassName() !== 'InputLayer')
    .map((layer) => {
      const className = layer.getClassName();
      if (className === 'InputLayer') {
        const name = nameOf(layer);
        const config = {
          batch_shape: batchShape(layer.outputShape),
          dtype: 'float32',
          sparse: false,
          name,
        };
        const serialized = {
          module: 'keras.layers',
          class_name: className,
          config,
          registered_name: null,
        };
        return { name, source: layer, serialized: { ...serialized, name, inbound_nodes: [] } };
      }
      const build = layerConfigs[className];
      if (!build)
        throw new StudioError(
          'unsupported',
          `The model's ${className} layer "${layer.name}" has no Keras 3 equivalent, so it cannot be exported as .keras; the TensorFlow.js export works.`,
        );
      const name = nameOf(layer);
      const config = { name, trainable: true, dtype: DTYPE, ...build(layerConfig(layer)) };
      const serialized: { [key: string]: Json } = {
        module: 'keras.layers',
        class_name: className,
        config: config as { [key: string]: Json },
        registered_name: null,
      };
      if (!functional) {
        serialized['build_config'] = { input_shape: batchShape(inputShape) };
        inputShape = layer.outputShape;
        return { name, source: layer, serialized };
      }
      const inbound = inboundTensors(layer, names);
      const shapes = inbound.map((t) => t.config.shape);
      if (FUNCTIONAL_BUILT.has(className))
        serialized['build_config'] = { input_shape: shapes.length === 1 ? shapes[0]! : shapes };
      serialized['name'] = name;
      serialized['inbound_nodes'] = [
        {
          args: inbound.length === 1 ? inbound : [inbound],
          kwargs: className === 'BatchNormalization' ? { mask: null } : {},
        },
      ];
      return { name, source: layer, serialized };
    });
}

interface KerasTensor {
  [key: string]: Json;
  class_name: '__keras_tensor__';
  config: { shape: Json; dtype: 'float32'; keras_history: Json };
}

/** A functional layer's inputs as Keras writes them: shape and [layer name, node, tensor index]. */
function inboundTensors(
  layer: tf.layers.Layer,
  names: Map<tf.layers.Layer, string>,
): KerasTensor[] {
  if (layer.inboundNodes.length !== 1)
    throw new StudioError(
      'unsupported',
      `The model's layer "${layer.name}" is used ${layer.inboundNodes.length} times; a .keras export needs each layer used once.`,
    );
  const node = layer.inboundNodes[0] as (typeof layer.inboundNodes)[number];
  return node.inboundLayers.map((from, i) => {
    const shape = from.outputShape as (number | null)[] | (number | null)[][];
    const index = node.tensorIndices[i] ?? 0;
    return {
      class_name: '__keras_tensor__',
      config: {
        shape: batchShape(Array.isArray(shape[0]) ? shape[index] : shape),
        dtype: 'float32',
        keras_history: [names.get(from) ?? from.name, 0, index],
      },
    };
  });
}

/** config.json of a .keras archive for `model`. */
export function kerasModelConfig(model: tf.LayersModel, layers: KerasLayer[]): Json {
  const inputShape = batchShape(model.inputs[0]?.shape ?? []);
  if (model.getClassName() !== 'Sequential') {
    const nameOf = (layer: tf.layers.Layer | undefined) =>
      layers.find((l) => l.source === layer)?.name ?? null;
    return {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: toSnakeCase(model.name),
        trainable: true,
        layers: layers.map((l) => l.serialized),
        input_layers: model.inputs.map((t) => [nameOf(t.sourceLayer), 0, 0]),
        output_layers: model.outputs.map((t) => [nameOf(t.sourceLayer), 0, 0]),
      },
      registered_name: 'Functional',
      build_config: { input_shape: null },
    };
  }
  const inputLayer: Json = {
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: { batch_shape: inputShape, dtype: 'float32', sparse: false, name: 'input_layer' },
    registered_name: null,
  };
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      trainable: true,
      dtype: DTYPE,
      layers: [inputLayer, ...layers.map((l) => l.serialized)],
      build_input_shape: inputShape,
    },
    registered_name: null,
    build_config: { input_shape: inputShape },
    compile_config: null,
  };
}
