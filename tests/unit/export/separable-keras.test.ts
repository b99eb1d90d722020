import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportModel } from '../../../app/export/index.ts';
import { openModel } from '../../../app/model-import/build.ts';
import { findModel } from '../../../models/index.ts';
import { maxAbsDiff, randomImages, saveModel, tempDir } from './helpers.ts';

const FIXTURE = join(import.meta.dirname, '../../../../shared/keras-fixtures/xception-like.keras');

interface Entry {
  module: string;
  class_name: string;
  name: string;
  config: Record<string, unknown>;
  build_config?: { input_shape: unknown };
  inbound_nodes: { args: unknown[]; kwargs: Record<string, unknown> }[];
}
interface ModelConfig {
  module: string;
  class_name: string;
  registered_name: string;
  config: { layers: Entry[]; input_layers: unknown[]; output_layers: unknown[] };
}

let dir: string;
let cleanup: () => Promise<void>;
let model: tf.LayersModel;
let out: string;
let ours: ModelConfig;
beforeAll(async () => {
  await tf.setBackend('cpu');
  ({ dir, cleanup } = await tempDir('fer-separable-keras-'));
  model = findModel('mini-xception')!.build();
  // Batch-norm statistics and biases away from their initial values (kernels stay random).
  model.layers.forEach((layer, l) => {
    const bn = layer.getClassName() === 'BatchNormalization';
    const ws = layer.getWeights();
    layer.setWeights(
      ws.map((w, i) => {
        if (bn && i === ws.length - 1) return tf.randomUniform(w.shape, 0.5, 2, 'float32', l + i);
        if (bn || w.rank === 1)
          return tf.randomNormal(w.shape, i === 0 ? 1 : 0, 0.3, 'float32', l + i);
        return w;
      }),
    );
  });
  out = join(dir, 'mini.keras');
  await exportModel({ modelDir: await saveModel(model, join(dir, 'mini')), format: 'keras', out });
  ours = JSON.parse(strFromU8(unzipSync(await readFile(out))['config.json'] as Uint8Array));
});
afterAll(async () => {
  model.dispose();
  await cleanup();
});

/** Keys of every entry and of its config, per class (Keras writes shared_object_id only on repeats). */
function keysByClass(config: ModelConfig): Map<string, string> {
  const keys = new Map<string, string>();
  for (const l of config.config.layers) {
    const inner = Object.keys(l.config).sort().join(',');
    keys.set(l.class_name, `${Object.keys(l).sort().join(',')} | ${inner}`);
  }
  return keys;
}

describe('Keras 3 export of a functional depthwise-separable network', () => {
  test('the model imports back (as real Keras files do) and predicts the same within 1e-5', async () => {
    const opened = await openModel(out);
    const x = randomImages(16, 9);
    const expected = (model.predict(x) as tf.Tensor).dataSync();
    const got = (opened.model.predict(x) as tf.Tensor).dataSync();
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
    expect(maxAbsDiff(expected.slice(0, 7), expected.slice(7, 14))).toBeGreaterThan(1e-5);
    expect(opened.params).toBe(model.countParams());
    opened.model.dispose();
    x.dispose();
  });

  test('graph: Functional, every inbound tensor names an earlier layer with its output shape', () => {
    expect(ours).toMatchObject({
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      registered_name: 'Functional',
    });
    const layers = ours.config.layers;
    expect(layers[0]).toMatchObject({ class_name: 'InputLayer', name: 'input_layer' });
    expect(ours.config.input_layers).toEqual([['input_layer', 0, 0]]);
    expect(ours.config.output_layers).toEqual([[layers.at(-1)?.name, 0, 0]]);
    const seen = new Map<string, number>();
    let adds = 0;
    layers.forEach((layer, i) => {
      expect(layer.config['name']).toBe(layer.name);
      const args = (layer.inbound_nodes[0]?.args ?? []).flat() as {
        config: { keras_history: [string, number, number]; shape: unknown };
      }[];
      for (const t of args) expect(seen.has(t.config.keras_history[0])).toBe(true);
      if (layer.class_name === 'Add') {
        adds++;
        expect(args).toHaveLength(2);
        expect(layer.build_config?.input_shape).toEqual(args.map((t) => t.config.shape));
      }
      seen.set(layer.name, i);
    });
    expect(adds).toBe(4);
    expect(layers.filter((l) => l.class_name === 'SeparableConv2D')).toHaveLength(8);
  });

  test.skipIf(!existsSync(FIXTURE))(
    'each layer class has exactly the keys real Keras 3.6 writes (xception-like.keras)',
    async () => {
      const fixture = JSON.parse(
        strFromU8(unzipSync(await readFile(FIXTURE))['config.json'] as Uint8Array),
      ) as ModelConfig;
      const theirs = keysByClass(fixture);
      const mine = keysByClass(ours);
      expect(Object.keys(ours).sort()).toEqual(Object.keys(fixture).sort());
      expect(Object.keys(ours.config).sort()).toEqual(Object.keys(fixture.config).sort());
      let compared = 0;
      for (const [className, keys] of mine) {
        if (!theirs.has(className)) continue;
        expect(`${className}: ${keys}`).toBe(`${className}: ${theirs.get(className)}`);
        compared++;
      }
      // InputLayer, Conv2D, BatchNormalization, Activation, SeparableConv2D, MaxPooling2D, Add, GAP.
      expect(compared).toBe(8);
      const sep = (c: ModelConfig) =>
        c.config.layers.find((l) => l.class_name === 'SeparableConv2D')?.inbound_nodes[0];
      expect(Object.keys(sep(ours)?.kwargs ?? {})).toEqual(Object.keys(sep(fixture)?.kwargs ?? {}));
    },
  );
});
