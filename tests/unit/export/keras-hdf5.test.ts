import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import * as hdf5 from 'jsfive';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportModel } from '../../../app/export/index.ts';
import { KERAS_VERSION } from '../../../app/export/keras-config.ts';
import { maxAbsDiff, saveModel, tempDir, trainedLike } from './helpers.ts';

// The archive is read back with jsfive (a pure-JS HDF5 reader) rather than h5wasm, which wrote it:
// a second implementation of the format, so a file only libhdf5 itself accepts would fail here.
// The expected layout is Keras 3's saving_lib (3.0–3.6 alike): H5IOStore.make() creates
// `<path>/vars` for every saveable, the model's own at the root, and _save_container_state names
// each layer of `model.layers` by `to_snake_case(class name)` plus `_<n>` from the second one on.
// Layer.save_own_variables writes trainable then non-trainable variables as datasets "0", "1", …

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  ({ dir, cleanup } = await tempDir('fer-keras-h5-'));
});
afterAll(() => cleanup());

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
  build_config: { input_shape: (number | null)[] };
}

/** `keras.src.utils.naming.to_snake_case` of the Keras classes these models use, spelled out. */
const KERAS_GROUP: Record<string, string> = {
  Conv2D: 'conv2d',
  BatchNormalization: 'batch_normalization',
  Activation: 'activation',
  MaxPooling2D: 'max_pooling2d',
  GlobalAveragePooling2D: 'global_average_pooling2d',
  Dropout: 'dropout',
  Flatten: 'flatten',
  Dense: 'dense',
};

interface KerasVar {
  name: string;
  shape: number[];
}

/** The variables Keras 3 builds for a layer from its config, in the order it saves them. */
function kerasVars(layer: LayerJson): KerasVar[] {
  const c = layer.config;
  const input = layer.build_config.input_shape;
  const inChannels = Number(input.at(-1));
  switch (layer.class_name) {
    case 'Conv2D': {
      const [kh, kw] = c['kernel_size'] as [number, number];
      const filters = Number(c['filters']);
      // Keras' conv kernel is (height, width, in / groups, filters), the same HWIO as tfjs.
      const kernel = { name: 'kernel', shape: [kh, kw, inChannels, filters] };
      return c['use_bias'] ? [kernel, { name: 'bias', shape: [filters] }] : [kernel];
    }
    case 'Dense': {
      const units = Number(c['units']);
      const kernel = { name: 'kernel', shape: [inChannels, units] };
      return c['use_bias'] ? [kernel, { name: 'bias', shape: [units] }] : [kernel];
    }
    case 'BatchNormalization': {
      const shape = [Number(input.at(Number(c['axis'])))];
      const names = [
        ...(c['scale'] ? ['gamma'] : []),
        ...(c['center'] ? ['beta'] : []),
        'moving_mean',
        'moving_variance',
      ];
      return names.map((name) => ({ name, shape }));
    }
    default:
      return [];
  }
}

/** Group names as _save_container_state gives them: conv2d, conv2d_1, conv2d_2, … */
function kerasGroupNames(layers: LayerJson[]): string[] {
  const used = new Map<string, number>();
  return layers.map((layer) => {
    const base = KERAS_GROUP[layer.class_name];
    if (!base) throw new Error(`no Keras group name known for ${layer.class_name}`);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return n === undefined ? base : `${base}_${n + 1}`;
  });
}

function group(file: hdf5.File, path: string): hdf5.Group {
  const g = file.get(path);
  if (!(g instanceof hdf5.Group)) throw new Error(`${path} is not an HDF5 group`);
  return g;
}

function dataset(file: hdf5.File, path: string): hdf5.Dataset {
  const d = file.get(path);
  if (!(d instanceof hdf5.Dataset)) throw new Error(`${path} is not an HDF5 dataset`);
  return d;
}

/** metadata.json's `%Y-%m-%d@%H:%M:%S` (local time) as a Date. */
function parseKerasDate(text: string): Date {
  const m = /^(\d{4})-(\d\d)-(\d\d)@(\d\d):(\d\d):(\d\d)$/.exec(text);
  if (!m) throw new Error(`date_saved "${text}" is not %Y-%m-%d@%H:%M:%S`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(y, mo - 1, d, h, mi, s);
}

describe('Keras 3 archive read back by an independent HDF5 reader (jsfive)', () => {
  test.each(['compact-cnn', 'seed-cnn'] as const)(
    '%s: every layer is at layers/<keras name>/vars/<i> with Keras shapes and the tfjs values',
    async (name) => {
      const model = trainedLike(name, 11);
      const modelDir = await saveModel(model, join(dir, name));
      const out = join(dir, `${name}.keras`);
      const started = Date.now();
      await exportModel({ modelDir, format: 'keras', out });
      const zip = unzipSync(await readFile(out));
      // No assets/ folder: Keras opens an asset store only when the archive has more than 3 files.
      expect(Object.keys(zip).sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);

      const metadata = JSON.parse(strFromU8(zip['metadata.json'] as Uint8Array));
      expect(Object.keys(metadata).sort()).toEqual(['date_saved', 'keras_version']);
      expect(metadata.keras_version).toBe(KERAS_VERSION);
      expect(metadata.keras_version).toMatch(/^3\.\d+\.\d+$/);
      const saved = parseKerasDate(metadata.date_saved).getTime();
      expect(saved).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
      expect(saved).toBeLessThanOrEqual(Date.now());

      const config = JSON.parse(strFromU8(zip['config.json'] as Uint8Array));
      expect(config.class_name).toBe('Sequential');
      // Not compiled, so Keras writes no optimizer (or metrics) group beside layers/ and vars/.
      expect(config.compile_config).toBeNull();
      const all = config.config.layers as LayerJson[];
      expect(all[0]?.class_name).toBe('InputLayer');
      // Sequential.layers, which saving walks, leaves the InputLayer out.
      const layers = all.slice(1);
      const groups = kerasGroupNames(layers);

      const h5 = zip['model.weights.h5'] as Uint8Array;
      const file = new hdf5.File(new Uint8Array(h5).buffer, 'model.weights.h5');
      expect([...file.keys].sort()).toEqual(['layers', 'vars']);
      expect(group(file, 'vars').keys).toEqual([]);
      expect([...group(file, 'layers').keys].sort()).toEqual([...groups].sort());

      const sources = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
      expect(sources.map((l) => l.getClassName())).toEqual(layers.map((l) => l.class_name));
      let checked = 0;
      layers.forEach((layer, i) => {
        const path = `layers/${groups[i]}`;
        expect(group(file, path).keys, path).toEqual(['vars']);
        const expected = kerasVars(layer);
        const vars = group(file, `${path}/vars`);
        expect([...vars.keys].sort(), path).toEqual(expected.map((_, v) => String(v)).sort());
        const weights = (sources[i] as tf.layers.Layer).weights;
        expect(weights).toHaveLength(expected.length);
        expected.forEach((want, v) => {
          const ds = dataset(file, `${path}/vars/${v}`);
          const label = `${path}/vars/${v} (${want.name})`;
          expect(ds.dtype, label).toBe('<f4');
          expect(ds.shape, label).toEqual(want.shape);
          // Matched by variable name, not position, so a reordering writer fails here.
          const source = weights.find((w) => w.name.endsWith(`/${want.name}`));
          expect(source, label).toBeDefined();
          const values = source?.read().dataSync() ?? new Float32Array();
          expect(source?.shape, label).toEqual(want.shape);
          expect(ds.value.length, label).toBe(values.length);
          expect(maxAbsDiff(ds.value, values), label).toBeLessThanOrEqual(1e-6);
          checked++;
        });
        if (layer.class_name === 'BatchNormalization') {
          // trainedLike makes the four distinct, so a gamma/moving_variance swap cannot pass.
          const gamma = dataset(file, `${path}/vars/0`).value;
          expect(maxAbsDiff(gamma, dataset(file, `${path}/vars/3`).value)).toBeGreaterThan(0.1);
        }
      });
      expect(checked).toBe(model.weights.length);
      model.dispose();
    },
  );
});
