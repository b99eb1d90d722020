import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import h5wasm from 'h5wasm/node';
import { KERAS_VERSION, kerasLayers, kerasModelConfig, type KerasLayer } from './keras-config.ts';

export { KERAS_VERSION };
export const KERAS_WEIGHTS_FILE = 'model.weights.h5';

/** Keras' metadata.json date format, `%Y-%m-%d@%H:%M:%S` in local time. */
function kerasDate(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}@${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
}

/**
 * model.weights.h5 in Keras 3's H5IOStore layout: an empty root `vars` group, then
 * `layers/<snake_case class>[_n]/vars/<i>` per layer, variables in Keras order (trainable first).
 */
export async function kerasWeightsH5(layers: KerasLayer[]): Promise<Uint8Array> {
  await h5wasm.ready;
  // h5wasm's Node build writes through the real file system, so stage the file in a temp folder.
  const dir = await mkdtemp(join(tmpdir(), 'fer-keras-'));
  const path = join(dir, KERAS_WEIGHTS_FILE);
  try {
    const file = new h5wasm.File(path, 'w');
    try {
      file.create_group('vars');
      const root = file.create_group('layers');
      for (const layer of layers) {
        const vars = root.create_group(layer.name).create_group('vars');
        layer.source.getWeights().forEach((w, i) => {
          vars.create_dataset({
            name: String(i),
            data: new Float32Array(w.dataSync()),
            shape: w.shape,
            dtype: '<f',
          });
        });
      }
    } finally {
      file.close();
    }
    return new Uint8Array(await readFile(path));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The bytes of a Keras 3 `.keras` archive (metadata.json, config.json, model.weights.h5). */
export async function modelToKeras(
  model: tf.LayersModel,
  now: Date = new Date(),
): Promise<Uint8Array> {
  const layers = kerasLayers(model);
  const weights = await kerasWeightsH5(layers);
  const metadata = { keras_version: KERAS_VERSION, date_saved: kerasDate(now) };
  return zipSync({
    'metadata.json': strToU8(JSON.stringify(metadata)),
    'config.json': strToU8(JSON.stringify(kerasModelConfig(model, layers))),
    [KERAS_WEIGHTS_FILE]: weights,
  });
}
