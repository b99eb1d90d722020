import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import h5wasm from 'h5wasm/node';
import type { Dataset, Group } from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportModel } from '../../../app/export/index.ts';
import { KERAS_VERSION } from '../../../app/export/keras-config.ts';
import { saveModel, tempDir, trainedLike } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  await h5wasm.ready;
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

interface LayerJson {
  module: string;
  class_name: string;
  config: Record<string, unknown> & { name: string };
  registered_name: null;
  build_config?: { input_shape: (number | null)[] };
}

/** Opens the archive's model.weights.h5 from its bytes and lists every dataset with its values. */
async function readH5(bytes: Uint8Array) {
  const scratch = await mkdtemp(join(tmpdir(), 'fer-h5-read-'));
  const path = join(scratch, 'w.h5');
  await writeFile(path, bytes);
  const file = new h5wasm.File(path, 'r');
  try {
    const datasets = new Map<string, { shape: number[]; values: Float32Array; dtype: unknown }>();
    const walk = (group: Group, prefix: string) => {
      for (const key of group.keys()) {
        const child = group.get(key);
        const path = `${prefix}${key}`;
        if (child instanceof h5wasm.Group) walk(child, `${path}/`);
        else {
          const ds = child as Dataset;
          datasets.set(path, {
            shape: ds.shape ?? [],
            values: ds.value as Float32Array,
            dtype: ds.dtype,
          });
        }
      }
    };
    walk(file, '');
    return {
      datasets,
      rootKeys: file.keys().sort(),
      layerGroups: (file.get('layers') as Group).keys(),
    };
  } finally {
    file.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

describe('Keras 3 export', () => {
  test.each(['compact-cnn', 'seed-cnn'] as const)(
    '%s: config.json and model.weights.h5 follow the Keras 3 layout and hold the tfjs weights',
    async (name) => {
      const model = trainedLike(name, 5);
      const modelDir = await saveModel(model, join(dir, name));
      const out = join(dir, `${name}.keras`);
      await exportModel({ modelDir, format: 'keras', out });
      const zip = unzipSync(await readFile(out));
      expect(Object.keys(zip).sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);

      const metadata = JSON.parse(strFromU8(zip['metadata.json'] as Uint8Array));
      expect(metadata.keras_version).toBe(KERAS_VERSION);
      expect(metadata.date_saved).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);

      const config = JSON.parse(strFromU8(zip['config.json'] as Uint8Array));
      expect(config).toMatchObject({
        module: 'keras',
        class_name: 'Sequential',
        build_config: { input_shape: [null, 48, 48, 1] },
      });
      const layers = config.config.layers as LayerJson[];
      expect(layers[0]).toMatchObject({
        class_name: 'InputLayer',
        config: { batch_shape: [null, 48, 48, 1] },
      });
      const sourceLayers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
      expect(layers.slice(1).map((l) => l.class_name)).toEqual(
        sourceLayers.map((l) => l.getClassName()),
      );
      for (const layer of layers.slice(1)) {
        expect(layer.module).toBe('keras.layers');
        expect(layer.build_config?.input_shape[0]).toBeNull();
        expect(layer.config.dtype).toMatchObject({ class_name: 'DTypePolicy' });
      }
      // Keras names the weight groups by snake_case class name plus a counter.
      const names = layers.slice(1).map((l) => l.config.name);
      expect(names[0]).toBe('conv2d');
      expect(names).toContain('conv2d_1');
      expect(names.at(-1)).toBe(name === 'seed-cnn' ? 'dense_1' : 'dense');
      const dense = layers.at(-1) as LayerJson;
      expect(dense.config).toMatchObject({ units: 7, activation: 'softmax', use_bias: true });
      const conv = layers[1] as LayerJson;
      expect(conv.config).toMatchObject({
        kernel_size: [3, 3],
        padding: 'same',
        data_format: 'channels_last',
      });
      expect(conv.config['kernel_initializer']).toMatchObject({
        class_name: 'VarianceScaling',
        config: { mode: 'fan_in', distribution: 'truncated_normal', scale: 2 },
      });

      const h5 = await readH5(zip['model.weights.h5'] as Uint8Array);
      expect(h5.rootKeys).toEqual(['layers', 'vars']);
      expect(h5.layerGroups.sort()).toEqual([...names].sort());
      let checked = 0;
      sourceLayers.forEach((layer, i) => {
        const weights = layer.getWeights();
        weights.forEach((w, v) => {
          const ds = h5.datasets.get(`layers/${names[i]}/vars/${v}`);
          expect(ds, `${names[i]}/vars/${v}`).toBeDefined();
          expect(ds?.shape).toEqual(w.shape);
          expect(Array.from(ds?.values ?? [])).toEqual(Array.from(w.dataSync()));
          checked++;
        });
        expect(h5.datasets.has(`layers/${names[i]}/vars/${weights.length}`)).toBe(false);
      });
      expect(checked).toBe(model.getWeights().length);
      expect(h5.datasets.size).toBe(checked);
      if (name === 'compact-cnn') {
        // BatchNormalization: gamma, beta, moving_mean, moving_variance.
        expect(h5.datasets.get('layers/batch_normalization/vars/3')?.shape).toEqual([16]);
        expect(h5.datasets.has('layers/conv2d/vars/1')).toBe(false);
      } else {
        expect(h5.datasets.get('layers/conv2d/vars/0')?.shape).toEqual([3, 3, 1, 32]);
        expect(h5.datasets.get('layers/dense/vars/0')?.shape).toEqual([6 * 6 * 128, 256]);
      }
      model.dispose();
    },
  );
});
