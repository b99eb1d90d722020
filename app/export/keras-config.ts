import type * as tf from '@tensorflow/tfjs';
import { StudioError } from '../contract/errors.ts';

/**
 * Keras 3 serialization (`serialize_keras_object`) of a tfjs Sequential model, written to match
 * what Keras 3.6 saves (DTypePolicy objects for dtypes, build_config on every built layer).
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

/** The layers Keras would hold, named as Keras names them, each with its serialized form. */
export function kerasLayers(model: tf.LayersModel): KerasLayer[] {
  if (model.getClassName() !== 'Sequential')
    throw new StudioError(
      'unsupported',
      `keras-unsupported-model: only Sequential models export to Keras, got ${model.getClassName()}`,
    );
  const used = new Map<string, number>();
  let inputShape: unknown = model.inputs[0]?.shape ?? [];
  return model.layers
    .filter((layer) => layer.getClassName() !== 'InputLayer')
    .map((layer) => {
      const className = layer.getClassName();
      const build = layerConfigs[className];
      if (!build)
        throw new StudioError(
          'unsupported',
          `keras-unsupported-layer: ${className} layer "${layer.name}" has no Keras 3 mapping`,
        );
      const base = toSnakeCase(className);
      const n = used.get(base);
      used.set(base, n === undefined ? 0 : n + 1);
      const name = n === undefined ? base : `${base}_${n + 1}`;
      const config = { name, trainable: true, dtype: DTYPE, ...build(layer.getConfig() as Config) };
      const buildShape = batchShape(inputShape);
      inputShape = layer.outputShape;
      return {
        name,
        source: layer,
        serialized: {
          module: 'keras.layers',
          class_name: className,
          config: config as { [key: string]: Json },
          registered_name: null,
          build_config: { input_shape: buildShape },
        },
      };
    });
}

/** config.json of a .keras archive for `model`. */
export function kerasModelConfig(model: tf.LayersModel, layers: KerasLayer[]): Json {
  const inputShape = batchShape(model.inputs[0]?.shape ?? []);
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
