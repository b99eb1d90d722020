import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkpointTo, resumeTraining } from '../../../app/training/checkpoint.ts';
import type { TrainConfigInput } from '../../../app/training/config.ts';
import { makeBatch, prepareDataset, disposeBatch } from '../../../app/training/dataset.ts';
import { annealedFrom } from '../../../app/training/schedulers.ts';
import { smoothLabels, trainStep } from '../../../app/training/step.ts';
import { train, type LrChange } from '../../../app/training/train.ts';
import { toModelInput } from '../../../app/preprocessing/index.ts';
import { modelBuildConfig, recipePreprocessing } from '../../../app/training/model-input.ts';
import { MODELS, findModel } from '../../../models/index.ts';
import { createRng } from '../../../app/util/rng.ts';
import { barData, quickConfig, tinyCnn, useCpu } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(join(tmpdir(), 'fer-recipe-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const data = barData([10, 6, 10, 10, 10, 10, 10]);
const weightsOf = (model: tf.LayersModel) =>
  model.getWeights().map((w) => Array.from(w.dataSync()));

const recipes: [string, TrainConfigInput, number][] = [
  [
    'SGD Nesterov, cosine with warm-up, weight decay, label smoothing',
    {
      optimizer: { name: 'sgd', momentum: 0.9, weightDecay: 1e-3 },
      learningRate: 2e-2,
      schedule: { kind: 'cosine', warmupEpochs: 1 },
      labelSmoothing: 0.1,
    },
    48,
  ],
  [
    'SGD, step schedule, 40 px random crops with padding',
    {
      optimizer: { name: 'sgd', nesterov: false },
      learningRate: 2e-2,
      schedule: { kind: 'step', stepEvery: 2, stepFactor: 0.5 },
      augmentation: { crop: { size: 40, padding: 2 } },
    },
    40,
  ],
  [
    'Adam, cosine to the end, label smoothing',
    { schedule: { kind: 'cosine' }, labelSmoothing: 0.2 },
    48,
  ],
  ['SGD, constant rate', { optimizer: { name: 'sgd' }, schedule: { kind: 'constant' } }, 48],
  [
    'Adam, plateau after warm-up, weight decay',
    { schedule: { kind: 'plateau', warmupEpochs: 2 }, optimizer: { weightDecay: 1e-4 } },
    48,
  ],
];

describe('every optimizer and schedule resumes bit for bit', () => {
  test.each(recipes)('%s', async (name, recipe, size) => {
    const config = quickConfig({ epochs: 4, batchSize: 8, learningRate: 5e-3, ...recipe });
    const key = name.replace(/\W+/g, '-');
    const straight: number[][] = [];
    const modelA = tinyCnn(3, 0.3, size);
    const resultA = await train(modelA, data, config, {
      onBatchEnd: (b) => (straight[b.epoch] ??= []).push(b.loss),
    });
    expect(resultA.epochsDone).toBe(4);

    const runDir = join(dir, key);
    const controller = new AbortController();
    const modelB = tinyCnn(3, 0.3, size);
    await train(
      modelB,
      data,
      config,
      {
        onEpochEnd: (m) => {
          if (m.epoch === 2) controller.abort();
        },
        onCheckpoint: checkpointTo(runDir),
      },
      { signal: controller.signal },
    );
    modelB.dispose();
    const latest = JSON.parse(await readFile(join(runDir, 'latest.json'), 'utf8')) as {
      epoch: number;
    };
    expect(latest.epoch).toBe(2);

    const resumedLosses: number[][] = [];
    const resumed = await resumeTraining(runDir, data, {
      onBatchEnd: (b) => (resumedLosses[b.epoch] ??= []).push(b.loss),
    });
    expect(resumedLosses.slice(3)).toEqual(straight.slice(3));
    expect(resumed.history.map((m) => m.lr)).toEqual(resultA.history.map((m) => m.lr));
    expect(weightsOf(resumed.model)).toEqual(weightsOf(modelA));
    resumed.model.dispose();
    modelA.dispose();
  });
});

describe('schedules drive the rate', () => {
  test('the history records the planned rates; only step drops are marked', async () => {
    const changes: LrChange[] = [];
    const model = tinyCnn(2);
    const config = quickConfig({
      epochs: 5,
      learningRate: 0.01,
      schedule: { kind: 'step', stepEvery: 2, stepFactor: 0.5, warmupEpochs: 1 },
    });
    const result = await train(model, data, config, { onLrChange: (c) => changes.push(c) });
    model.dispose();
    expect(result.history.map((m) => m.lr)).toEqual([0.01, 0.01, 0.01, 0.005, 0.005]);
    expect(changes).toEqual([{ epoch: 3, from: 0.01, to: 0.005, reason: 'step' }]);

    const cosineChanges: LrChange[] = [];
    const cosine = tinyCnn(2);
    const cosineRun = await train(
      cosine,
      data,
      quickConfig({ epochs: 4, learningRate: 0.01, schedule: { kind: 'cosine', warmupEpochs: 1 } }),
      { onLrChange: (c) => cosineChanges.push(c) },
    );
    cosine.dispose();
    const lrs = cosineRun.history.map((m) => m.lr);
    expect(lrs[0]).toBeCloseTo(0.01, 12);
    expect(lrs[3]).toBeCloseTo(1e-4, 12);
    expect(cosineChanges).toEqual([]);
  });

  test('early stopping waits for the annealed phase, then needs `patience` epochs in it', async () => {
    // minDelta 100: no epoch after the first counts as an improvement.
    const earlyStopping = { patience: 2, minDelta: 100 };
    const plateau = tinyCnn(4);
    const plain = await train(plateau, data, quickConfig({ epochs: 10, earlyStopping }));
    plateau.dispose();
    expect(plain.status).toBe('early-stopped');
    expect(plain.epochsDone).toBe(3);

    const schedule = { kind: 'cosine', warmupEpochs: 0 } as const;
    const config = quickConfig({ epochs: 20, earlyStopping, schedule });
    const start = annealedFrom(20, config.learningRate, config.schedule);
    expect(start).toBeGreaterThan(3);
    expect(start + 1).toBeLessThan(20);
    const model = tinyCnn(4);
    const cosine = await train(model, data, config);
    model.dispose();
    expect(cosine.status).toBe('early-stopped');
    expect(cosine.epochsDone).toBe(start + 1);
  });

  test('patience running out on the last planned epoch completes the run, not an early stop', async () => {
    // Patience 2 without improvement runs out at epoch 3, the run's last.
    const config = quickConfig({ epochs: 3, earlyStopping: { patience: 2, minDelta: 100 } });
    const model = tinyCnn(4);
    const result = await train(model, data, config);
    model.dispose();
    expect(result.epochsDone).toBe(3);
    expect(result.status).toBe('completed');
    expect(result.message).not.toMatch(/Early stop/);
  });
});

describe('recipe pieces', () => {
  test('dropout and the crop size reach every model builder', () => {
    for (const name of Object.keys(MODELS)) {
      const config = quickConfig({
        model: name,
        dropout: 0.35,
        augmentation: { crop: { size: 40 } },
      });
      const model = findModel(name)?.build(modelBuildConfig(config));
      expect(model?.inputs[0]?.shape).toEqual([null, 40, 40, 1]);
      const rates = (model?.layers ?? [])
        .filter((l) => l.getClassName() === 'Dropout')
        .map((l) => l.getConfig()['rate']);
      expect(rates, name).toContain(0.35);
      model?.dispose();
    }
  });

  test('label smoothing moves s of the target mass to a uniform share', () => {
    const ys = tf.tensor2d([[0, 0, 1, 0, 0, 0, 0]]);
    const smoothed = smoothLabels(ys, 0.14);
    const values = Array.from(smoothed.dataSync());
    expect(values[2]).toBeCloseTo(0.86 + 0.02, 6);
    expect(values[0]).toBeCloseTo(0.02, 6);
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    tf.dispose([ys, smoothed]);
  });

  test('weight decay adds wd·w to kernel gradients only (coupled L2)', async () => {
    const prepared = prepareDataset(data, quickConfig({}));
    const step = async (weightDecay: number) => {
      const model = tinyCnn(9);
      const before = weightsOf(model);
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const batch = makeBatch(prepared, prepared.train, 0, 8);
      const optimizer = tf.train.sgd(0.1);
      await trainStep(model, optimizer, variables, batch, { weightDecay });
      disposeBatch(batch);
      optimizer.dispose();
      const after = weightsOf(model);
      model.dispose();
      return { before, after };
    };
    const plain = await step(0);
    const decayed = await step(0.5);
    expect(decayed.before).toEqual(plain.before);
    // Conv kernel (rank 4): the extra move is −lr·wd·w. Conv bias (rank 1): none.
    const kernel = 0;
    const bias = 1;
    decayed.after[kernel]?.forEach((w, i) => {
      const expected =
        (plain.after[kernel]?.[i] ?? 0) - 0.1 * 0.5 * (plain.before[kernel]?.[i] ?? 0);
      expect(w).toBeCloseTo(expected, 5);
    });
    expect(decayed.after[bias]).toEqual(plain.after[bias]);
  });

  test('random crops train at crop size; validation is the centre crop through toModelInput', () => {
    const config = quickConfig({ augmentation: { crop: { size: 40, padding: 2 } } });
    const prepared = prepareDataset(data, config);
    expect(prepared.preprocessing).toEqual(recipePreprocessing(config));
    const trainBatch = makeBatch(prepared, prepared.train, 0, 6, {
      aug: config.augmentation,
      rng: createRng(1),
    });
    expect(trainBatch.xs.shape).toEqual([6, 40, 40, 1]);
    const val = makeBatch(prepared, prepared.validation, 0, 4);
    expect(val.xs.shape).toEqual([4, 40, 40, 1]);
    const first = prepared.validation[0] ?? 0;
    const expected = toModelInput(
      data.pixels.subarray(first * 2304, (first + 1) * 2304),
      recipePreprocessing(config),
    );
    expect(Array.from(val.xs.dataSync().subarray(0, 1600))).toEqual(Array.from(expected));
    // The centre crop of pixel (0, 0) is stored pixel (4, 4).
    expect(expected[0]).toBeCloseTo((data.pixels[first * 2304 + 4 * 48 + 4] ?? 0) / 255, 6);
    disposeBatch(trainBatch);
    disposeBatch(val);
  });

  test('batch-norm recalibration is a recipe option that changes only the moving statistics', async () => {
    const bnModel = () => {
      const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
      return tf.sequential({
        layers: [
          tf.layers.averagePooling2d({ inputShape: [48, 48, 1], poolSize: 4 }),
          tf.layers.conv2d({ filters: 4, kernelSize: 3, kernelInitializer: init(1) }),
          tf.layers.batchNormalization({ momentum: 0.9 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 7, activation: 'softmax', kernelInitializer: init(2) }),
        ],
      });
    };
    const run = async (recalibrateBatchNorm: boolean) => {
      const model = bnModel();
      const result = await train(model, data, quickConfig({ epochs: 2, recalibrateBatchNorm }));
      const weights = new Map(
        model.weights.map((w) => [
          w.originalName.split('/').pop(),
          Array.from(w.read().dataSync()),
        ]),
      );
      model.dispose();
      return { result, weights };
    };
    const off = await run(false);
    const on = await run(true);
    expect(off.result.recalibrated).toBe(false);
    expect(on.result.recalibrated).toBe(true);
    expect(on.result.message).toMatch(/recalibrated on \d+ training images/);
    for (const [name, values] of off.weights) {
      if (name?.startsWith('moving_')) expect(on.weights.get(name)).not.toEqual(values);
      else expect(on.weights.get(name)).toEqual(values);
    }
    expect([...off.weights.keys()]).toContain('moving_mean');
  });
});
