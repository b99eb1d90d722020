import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { StudioError } from '../contract/errors.ts';
import { isHdf5 } from './hdf5.ts';
export { MAX_PARAMS } from './limits.ts';
import { toTfjsTopology, type Topology } from './keras-topology.ts';
import {
  readBytes,
  readKerasArchive,
  readKerasHdf5,
  readTfjsFolder,
  type ModelSource,
} from './read-sources.ts';

export interface OpenedModel {
  model: tf.LayersModel;
  source: ModelSource;
  topology: Topology;
  params: number;
  /** Scores the model outputs per image (its last layer's units). */
  outputs: number;
  /** The file read (the tfjs folder's model.json for a folder) and its bytes, for SHA-256. */
  fileName: string;
  bytes: Uint8Array | null;
}

const bad = (message: string) => new StudioError('bad-request', message);

/** Reads a model file or tfjs folder into memory, by content (the extension is not trusted). */
export async function readSource(
  path: string,
): Promise<{ source: ModelSource; bytes: Uint8Array | null }> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new StudioError('not-found', `${path} does not exist.`);
  const name = basename(path);
  if (info.isDirectory()) return { source: await readTfjsFolder(path), bytes: null };
  if (name === 'model.json')
    return { source: await readTfjsFolder(path.slice(0, -name.length) || '.'), bytes: null };
  const bytes = await readBytes(path);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
    return { source: await readKerasArchive(bytes, name), bytes };
  if (isHdf5(bytes)) return { source: await readKerasHdf5(bytes, name), bytes };
  throw bad(
    `${name} is neither a Keras model (a .keras zip archive or an .h5 HDF5 file) nor a TensorFlow.js model folder.`,
  );
}

function countParams(source: ModelSource): number {
  let n = 0;
  for (const list of source.weights.values())
    for (const w of list) n += w.shape.reduce((a, b) => a * b, 1);
  return n;
}

/** Builds the tfjs model and loads every layer's weights; the caller disposes `model`. */
export async function openModel(path: string): Promise<OpenedModel> {
  const { source, bytes } = await readSource(path);
  const topology = toTfjsTopology(source.modelConfig);
  const params = countParams(source);
  let model: tf.LayersModel;
  try {
    model = await tf.models.modelFromJSON({
      modelTopology: topology.modelTopology,
    } as tf.io.ModelJSON);
  } catch (error) {
    throw bad(`The model's layers could not be built: ${(error as Error).message}`);
  }
  let outputs: number;
  try {
    for (const spec of topology.layers) {
      if (spec.className === 'InputLayer') continue;
      const layer = model.getLayer(spec.name);
      const stored = source.weights.get(spec.name) ?? [];
      const wanted = layer.weights;
      if (stored.length !== wanted.length)
        throw bad(
          `Layer ${spec.position} (${spec.className} "${spec.name}") needs ${wanted.length} weight arrays; the file has ${stored.length}.`,
        );
      stored.forEach((w, i) => {
        const shape = wanted[i]?.shape ?? [];
        if (shape.join('x') !== w.shape.join('x'))
          throw bad(
            `Layer ${spec.position} (${spec.className} "${spec.name}"): weight ${w.name} has shape [${w.shape.join(', ')}], the layer needs [${shape.join(', ')}].`,
          );
      });
      if (stored.length > 0) {
        const tensors = stored.map((w) => tf.tensor(w.data, w.shape));
        layer.setWeights(tensors);
        tensors.forEach((t) => t.dispose());
      }
    }
    const out = model.outputs[0]?.shape ?? [];
    if (model.outputs.length !== 1 || out.length !== 2 || !out[1])
      throw bad(
        `The model's output is [${out.map((d) => d ?? 'None').join(', ')}], not one score per class.`,
      );
    outputs = out[1];
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, source, topology, params, outputs, fileName: basename(path), bytes };
}
