import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import type { Dataset, Group } from 'h5wasm/node';
import { StudioError } from '../contract/errors.ts';
import { KERAS_WEIGHTS_FILE } from '../export/keras.ts';
import { toSnakeCase } from '../export/keras-config.ts';
import { readModelFiles } from '../export/load-model.ts';
import { fileIoHandler } from '../training/fs-io.ts';
import { attr, childGroup, nameList, readDataset, withHdf5, type StoredWeight } from './hdf5.ts';
import type { JsonObject } from './keras-topology.ts';
import { checkParamCount } from './limits.ts';

export type ImportFormat = 'keras3' | 'keras2-h5' | 'tfjs';

/** A model file read into memory: its config and every layer's weights, nothing built yet. */
export interface ModelSource {
  format: ImportFormat;
  /** e.g. "Keras 3.6.0 .keras archive". */
  detail: string;
  modelConfig: JsonObject;
  /** Layer name → its weights in Keras order (= tfjs order). */
  weights: Map<string, StoredWeight[]>;
}

const bad = (message: string) => new StudioError('bad-request', message);

type Found = Map<string, { name: string; node: unknown }[]>;

/** Reads every dataset found, after checking the total size from their shapes alone. */
function readAll(found: Found, fileName: string): Map<string, StoredWeight[]> {
  let params = 0;
  for (const list of found.values())
    for (const { node } of list)
      params += ((node as Dataset | null)?.shape ?? []).reduce((a, b) => a * b, 1);
  checkParamCount(params);
  const out = new Map<string, StoredWeight[]>();
  for (const [layer, list] of found)
    out.set(
      layer,
      list.map(({ name, node }) => readDataset(node, name, fileName)),
    );
  return out;
}

function parseJson(text: string, what: string): JsonObject {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as JsonObject;
  } catch {
    // reported below
  }
  throw bad(`${what} is not valid JSON.`);
}

function configLayers(config: JsonObject): { className: string; name: string }[] {
  const inner = config['config'];
  const layers =
    inner && typeof inner === 'object' && !Array.isArray(inner) ? inner['layers'] : null;
  if (!Array.isArray(layers)) return [];
  return layers.map((l) => {
    const o = (l ?? {}) as JsonObject;
    const c = (o['config'] ?? {}) as JsonObject;
    return { className: String(o['class_name'] ?? ''), name: String(o['name'] ?? c['name'] ?? '') };
  });
}

/**
 * A Keras 3 `.keras` archive. model.weights.h5 holds `layers/<snake_case class>[_n]/vars/<i>`,
 * numbered per class in config order: the layout app/export/keras.ts writes.
 */
export async function readKerasArchive(bytes: Uint8Array, fileName: string): Promise<ModelSource> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    throw bad(`${fileName} is a damaged or truncated zip archive; copy the file again.`);
  }
  const configBytes = files['config.json'];
  const weightBytes = files[KERAS_WEIGHTS_FILE];
  if (!configBytes)
    throw bad(`${fileName} is a zip archive but not a Keras model: it has no config.json.`);
  if (!weightBytes) throw bad(`${fileName} has no ${KERAS_WEIGHTS_FILE}: the weights are missing.`);
  const modelConfig = parseJson(strFromU8(configBytes), `${fileName}: config.json`);
  const metadata = files['metadata.json']
    ? parseJson(strFromU8(files['metadata.json']), `${fileName}: metadata.json`)
    : {};
  const weights = await withHdf5(weightBytes, `${fileName}: ${KERAS_WEIGHTS_FILE}`, (file) => {
    const root = childGroup(file, 'layers');
    const found: Found = new Map();
    if (!root) return new Map<string, StoredWeight[]>();
    const used = new Map<string, number>();
    for (const layer of configLayers(modelConfig)) {
      const base = toSnakeCase(layer.className);
      const n = used.get(base);
      used.set(base, n === undefined ? 0 : n + 1);
      const group = childGroup(root, n === undefined ? base : `${base}_${n + 1}`);
      const vars = group ? childGroup(group, 'vars') : null;
      if (!vars) continue;
      const count = vars.keys().filter((k) => /^\d+$/.test(k)).length;
      found.set(
        layer.name,
        Array.from({ length: count }, (_, i) => ({
          name: `${layer.name}/${i}`,
          node: vars.get(String(i)),
        })),
      );
    }
    return readAll(found, fileName);
  });
  const version = String(metadata['keras_version'] ?? '3');
  return { format: 'keras3', detail: `Keras ${version} .keras archive`, modelConfig, weights };
}

/**
 * A whole-model HDF5 file (Keras 2 / tf.keras 2.x `model.save('x.h5')`, or the legacy HDF5 of
 * Keras 3): `model_config` attribute, weights under `model_weights/<layer>/<weight_name>` listed
 * by the `layer_names` and `weight_names` attributes (Keras 2's saving/hdf5_format.py).
 */
export async function readKerasHdf5(bytes: Uint8Array, fileName: string): Promise<ModelSource> {
  return withHdf5(bytes, fileName, (file) => {
    const configText = attr(file, 'model_config');
    const weightsRoot = childGroup(file, 'model_weights');
    if (typeof configText !== 'string') {
      const weightsOnly =
        weightsRoot || nameList(file, 'layer_names').length > 0 || childGroup(file, 'layers');
      throw bad(
        weightsOnly
          ? `${fileName} holds weights only: the architecture is missing. Save the whole model with model.save() and import that file.`
          : `${fileName} is an HDF5 file but not a Keras model (no model_config).`,
      );
    }
    const modelConfig = parseJson(configText, `${fileName}: model_config`);
    const version = String(
      attr(file, 'keras_version') ?? attr(weightsRoot ?? file, 'keras_version') ?? '2',
    );
    const found: Found = new Map();
    const root: Group = weightsRoot ?? file;
    for (const layerName of nameList(root, 'layer_names')) {
      const group = childGroup(root, layerName);
      if (!group) throw bad(`${fileName}: layer ${layerName} is listed but has no weights group.`);
      found.set(
        layerName,
        nameList(group, 'weight_names').map((w) => ({ name: w, node: group.get(w) })),
      );
    }
    const weights = readAll(found, fileName);
    const keras2 = !version.startsWith('3');
    return {
      format: keras2 ? 'keras2-h5' : 'keras3',
      detail: `Keras ${version} HDF5 (.h5)`,
      modelConfig,
      weights,
    } satisfies ModelSource;
  });
}

/** A tfjs layers model folder (model.json + shards), weights named `<layer>/<variable>`. */
export async function readTfjsFolder(dir: string): Promise<ModelSource> {
  const { modelJson } = await readModelFiles(dir);
  const topology = modelJson.modelTopology as JsonObject;
  const modelConfig = (topology['model_config'] as JsonObject | undefined) ?? topology;
  const handler = fileIoHandler(dir);
  const artifacts = handler.load ? await handler.load() : {};
  const weights = new Map<string, StoredWeight[]>();
  checkParamCount(
    modelJson.weightsManifest
      .flatMap((group) => group.weights)
      .reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0),
  );
  if ('weightSpecs' in artifacts && artifacts.weightSpecs && artifacts.weightData) {
    const tensors = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
    for (const spec of artifacts.weightSpecs) {
      const tensor = tensors[spec.name] as tf.Tensor;
      const layer = spec.name.slice(0, Math.max(0, spec.name.lastIndexOf('/')));
      const list = weights.get(layer) ?? [];
      list.push({
        name: spec.name,
        shape: tensor.shape,
        data: Float32Array.from(tensor.dataSync()),
      });
      weights.set(layer, list);
      tensor.dispose();
    }
  }
  return { format: 'tfjs', detail: 'TensorFlow.js layers model', modelConfig, weights };
}

export async function readBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}
