import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf, RunDetail } from '../../../app/contract/handlers.ts';
import { FER2013_CSV_ORDER } from '../../../app/preprocessing/index.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { fileIoHandler } from '../../../app/training/fs-io.ts';
import { openSession, type Session } from '../session.ts';

let dir: string;
let s: Session;
let importedId: number;

/** A small RGB model in FER-2013 CSV order, saved as a tfjs layers folder. */
async function writeTfjsModel(out: string): Promise<void> {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [36, 36, 3], name: 'input' }));
  model.add(tf.layers.conv2d({ name: 'conv', filters: 4, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }));
  model.add(tf.layers.flatten({ name: 'flat' }));
  model.add(tf.layers.dense({ name: 'head', units: 7, activation: 'softmax' }));
  await model.save(fileIoHandler(out));
  model.dispose();
}

async function weightsOf(modelDir: string): Promise<Record<string, number[]>> {
  const model = await tf.loadLayersModel(fileIoHandler(modelDir));
  const out: Record<string, number[]> = {};
  for (const layer of model.layers)
    layer.getWeights().forEach((w, i) => (out[`${layer.name}/${i}`] = Array.from(w.dataSync())));
  model.dispose();
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-fine-tune-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: 12, seed: 6 });
  await writeTfjsModel(path.join(dir, 'tfjs-model'));
  s = openSession(dir, 'ft');
  await s.call('catalogue-import', { folder: path.join(dir, 'sample') });
  const imported = await s.call<ResponseOf<'model-import'>>('model-import', {
    path: path.join(dir, 'tfjs-model'),
    inputRange: '-1,1',
    classes: FER2013_CSV_ORDER,
  });
  importedId = imported.runId;
  expect(imported).toMatchObject({ format: 'tfjs', inputShape: [36, 36, 3] });
}, 120_000);
afterAll(async () => {
  await s?.studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Train from this run (fine-tuning)', () => {
  it('trains an imported model on the catalogue with its own input and class order, only the last layer', async () => {
    const runId = await s.train({
      epochs: 2,
      batchSize: 16,
      validationFraction: 0.2,
      augmentation: { rotationDeg: 5, horizontalFlip: true, zoom: 0.05, shift: 0.05 },
      fineTune: { fromRunId: importedId, trainLastLayers: 1 },
    });
    const run = await s.call<RunDetail>('run-get', { runId });
    expect(run).toMatchObject({ status: 'finished', parentRunId: importedId, epochsDone: 2 });
    expect(run.history).toHaveLength(2);
    expect(run.config.fineTune?.preprocessing).toMatchObject({
      inputHeight: 36,
      channels: 3,
      range: '-1,1',
      classOrder: [...FER2013_CSV_ORDER],
    });
    const before = await weightsOf(await modelDirOf(importedId));
    const after = await weightsOf(await modelDirOf(runId));
    // The frozen conv layer kept its weights, the trained head moved.
    expect(after['conv/0']).toEqual(before['conv/0']);
    expect(after['head/0']).not.toEqual(before['head/0']);
    const evaluation = await s.call<ResponseOf<'evaluation-run'>>('evaluation-run', { runId });
    expect(evaluation.images).toBeGreaterThan(0);
  }, 240_000);

  it('stops and resumes like any run, from its checkpoint, keeping the parent’s preprocessing', async () => {
    const ended = new Promise<void>((resolve) => {
      const off = s.studio.subscribe((event, payload) => {
        if (event === 'training-epoch' && (payload as { epoch: number }).epoch === 1) {
          off();
          resolve();
        }
      });
    });
    const { runId } = await s.call<{ runId: number }>('training-start', {
      config: {
        epochs: 3,
        batchSize: 16,
        validationFraction: 0.2,
        earlyStopping: { enabled: false },
        fineTune: { fromRunId: importedId },
      },
    });
    await ended;
    const stopped = s.ended(runId);
    await s.call('training-stop', { runId });
    expect((await stopped).status).toBe('stopped');
    const partial = await s.call<RunDetail>('run-get', { runId });
    expect(partial.canResume).toBe(true);
    const finished = s.ended(runId);
    await s.call('training-resume', { runId });
    expect((await finished).status).toBe('finished');
    const run = await s.call<RunDetail>('run-get', { runId });
    expect(run).toMatchObject({ epochsDone: 3, parentRunId: importedId });
    expect(run.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    const evaluation = await s.call<ResponseOf<'evaluation-run'>>('evaluation-run', { runId });
    expect(evaluation.images).toBeGreaterThan(0);
    // Its parent may have trained on any train or val image: only test images rank as issues,
    // and the plan says no cross-validation is needed.
    const plan = await s.call<ResponseOf<'label-issues-plan'>>('label-issues-plan', { runId });
    expect(plan).toMatchObject({ trainImages: 0, ready: true });
    const { issues } = await s.call<ResponseOf<'label-issues'>>('label-issues', {
      runId,
      limit: 500,
    });
    const tests = new Set(
      (await s.call<{ ids: number[] }>('catalogue-list', { split: 'test' })).ids,
    );
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(tests.has(issue.id)).toBe(true);
  }, 300_000);

  it('trains from a studio-trained run too', async () => {
    const parent = await s.train({ model: 'compact-cnn', epochs: 1, batchSize: 32 });
    const child = await s.train({ epochs: 1, batchSize: 32, fineTune: { fromRunId: parent } });
    const run = await s.call<RunDetail>('run-get', { runId: child });
    expect(run).toMatchObject({ model: 'compact-cnn', parentRunId: parent, status: 'finished' });
    // The parent trained on the default recipe's 44-px crops: the child keeps its input and
    // crops, and fine-tunes with Adam at the rate asked for, not the default recipe's SGD.
    expect(run.config.fineTune?.preprocessing).toMatchObject({ inputHeight: 44, range: '0,1' });
    expect(run.config.augmentation.crop.size).toBe(44);
    expect(run.config.optimizer.name).toBe('adam');
    const before = await weightsOf(await modelDirOf(parent));
    const after = await weightsOf(await modelDirOf(child));
    expect(Object.keys(after)).toEqual(Object.keys(before));
    // Every layer trained (no freezing): the first kernel moved from the parent's.
    const first = Object.keys(before)[0] as string;
    expect(after[first]).not.toEqual(before[first]);
  }, 300_000);

  it('refuses a run without a model and random crops on an imported input, before any run exists', async () => {
    const runs = async () => (await s.call<{ runs: unknown[] }>('runs-list', {})).runs.length;
    const count = await runs();
    const missing = await s.failure('training-start', {
      config: { fineTune: { fromRunId: 999 } },
    });
    expect(missing.message).toMatch(/No run 999/);
    const crops = await s.failure('training-start', {
      config: {
        augmentation: { crop: { size: 40, padding: 0 } },
        fineTune: { fromRunId: importedId },
      },
    });
    expect(crops.message).toMatch(
      /takes 36×36 inputs of its own: train from it without random crops/,
    );
    expect(await runs()).toBe(count);
  });
});

async function modelDirOf(runId: number): Promise<string> {
  const runsRoot = path.join(dir, 'ft.sqlite.studio', 'runs', `run-${runId}`, 'model');
  expect(fs.existsSync(path.join(runsRoot, 'model.json'))).toBe(true);
  return runsRoot;
}
