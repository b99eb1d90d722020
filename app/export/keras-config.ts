import type * as tf from '@tensorflow/tfjs';
import { StudioError } from '../contract/errors.ts';
import { DTYPE, layerConfigs, toSnakeCase, type Config, type Json } from './keras-layer-configs.ts';

export { toSnakeCase } from './keras-layer-configs.ts';

/**
 * Keras 3 serialization (`serialize_keras_object`) of a tfjs Sequential or functional model, written
 * to match what Keras 3.6 saves (DTypePolicy objects for dtypes, build_config on built layers,
 * functional layers with `inbound_nodes`; checked against ../shared/keras-fixtures/xception-like.keras).
 */
export const KERAS_VERSION = '3.6.0';

export interface KerasLayer {
  /** Keras' own default name (`conv2d_1`), also the layer's group under `layers/` in the weights file. */
  name: string;
  source: tf.layers.Layer;
  serialized: { [key: string]: Json };
}

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
