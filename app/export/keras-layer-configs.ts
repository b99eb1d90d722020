/** Keras 3 configs of single layers, from tfjs configs: the per-class table keras-config.ts uses. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Config = Record<string, unknown>;

export const DTYPE: Json = {
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
export const layerConfigs: Record<string, (c: Config) => Config> = {
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
