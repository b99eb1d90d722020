import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModel } from '../../../app/model-import/build.ts';
import { toTfjsTopology, type JsonObject } from '../../../app/model-import/keras-topology.ts';
import { writeKeras2H5 } from '../../fixtures/keras2-h5.ts';
import { keras2Functional, keras2Sequential } from '../../fixtures/keras2-models.ts';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-keras2-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function predict(model: tf.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
}

describe('Keras 2 / tf.keras 2.x HDF5 (layout of hdf5_format.py, written by code)', () => {
  it('Functional with every merge layer: same predictions as the reference, softmax applied to its linear output', async () => {
    const { model, config, layers } = keras2Functional();
    const file = path.join(dir, 'functional.h5');
    await writeKeras2H5(file, { modelConfig: config, layers });
    const opened = await openModel(file);
    try {
      expect(opened.source.format).toBe('keras2-h5');
      expect(opened.topology.inputShape).toEqual([40, 40, 3]);
      expect(opened.topology.notes.join(' ')).toMatch(/not softmax: softmax was applied/);
      const x = tf.randomUniform([4, 40, 40, 3], 0, 1, 'float32', 3);
      const reference = tf.tidy(() => tf.softmax(model.predict(x) as tf.Tensor).dataSync());
      const got = predict(opened.model, x);
      x.dispose();
      expect(got.length).toBe(28);
      let worst = 0;
      got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (reference[i] as number)))));
      expect(worst).toBeLessThan(1e-5);
      // Not trivially uniform: the weights are random, so the classes differ.
      expect(Math.max(...got) - Math.min(...got)).toBeGreaterThan(1e-3);
    } finally {
      opened.model.dispose();
      model.dispose();
    }
  });

  it('Sequential with Rescaling, SpatialDropout2D, ELU, Reshape: same predictions, 9 outputs', async () => {
    const { model, config, layers } = keras2Sequential();
    const file = path.join(dir, 'sequential.h5');
    await writeKeras2H5(file, { modelConfig: config, layers, kerasVersion: '2.4.0' });
    const opened = await openModel(file);
    try {
      expect(opened.topology.inputShape).toEqual([32, 32, 1]);
      expect(opened.outputs).toBe(9);
      expect(opened.topology.notes.join(' ')).toMatch(/SpatialDropout2D runs as Dropout/);
      const x = tf.randomUniform([3, 32, 32, 1], 0, 255, 'float32', 5);
      const reference = predict(model, x);
      const got = predict(opened.model, x);
      x.dispose();
      let worst = 0;
      got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (reference[i] as number)))));
      expect(worst).toBeLessThan(1e-5);
      expect(opened.params).toBe(model.countParams());
    } finally {
      opened.model.dispose();
      model.dispose();
    }
  });
});

describe('layer checks before anything is built', () => {
  it('reads activations Keras 3 writes as objects and refuses unknown ones by layer', () => {
    const { config } = keras2Sequential(7);
    const conv = config.config.layers[2] as { config: Record<string, unknown> };
    conv.config['activation'] = {
      module: 'keras.activations',
      class_name: 'function',
      config: 'relu',
    };
    expect(toTfjsTopology(config as unknown as JsonObject).layers).toHaveLength(13);
    conv.config['activation'] = 'gelu';
    expect(() => toTfjsTopology(config as unknown as JsonObject)).toThrow(
      /Unsupported activation "gelu" in layer 3 \(Conv2D "conv2d_2"\)/,
    );
  });
});

describe('Functional configs', () => {
  it('takes a single input or output written flat, as Keras 3 may write it', async () => {
    const { model, config, layers } = keras2Functional();
    const flat = structuredClone(config);
    (flat.config as Record<string, unknown>)['input_layers'] = ['input_1', 0, 0];
    (flat.config as Record<string, unknown>)['output_layers'] = ['dense', 0, 0];
    const file = path.join(dir, 'flat-io.h5');
    await writeKeras2H5(file, { modelConfig: flat, layers });
    const opened = await openModel(file);
    expect(opened.topology.inputShape).toEqual([40, 40, 3]);
    expect(opened.outputs).toBe(7);
    opened.model.dispose();
    model.dispose();
  });
});
