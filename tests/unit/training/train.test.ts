import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkpointTo, loadCheckpoint } from '../../../app/training/checkpoint.ts';
import { train } from '../../../app/training/train.ts';
import type { BatchEnd, LrChange } from '../../../app/training/train.ts';
import { barData, quickConfig, tinyCnn, useCpu } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(join(tmpdir(), 'fer-train-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('train', () => {
  test('learns, reports every batch and epoch, and keeps the tensor count flat', async () => {
    const model = tinyCnn();
    const before = tf.memory().numTensors;
    const atEpochEnd: number[] = [];
    const batches: BatchEnd[] = [];
    const result = await train(
      model,
      barData([20, 10, 20, 20, 20, 20, 20]),
      quickConfig({ epochs: 5 }),
      {
        onBatchEnd: (b) => batches.push(b),
        onEpochEnd: () => {
          atEpochEnd.push(tf.memory().numTensors);
        },
      },
    );
    expect(result.status).toBe('completed');
    expect(result.epochsDone).toBe(5);
    expect(result.split).toEqual({ train: 104, validation: 26 });
    // 104 images in batches of 16: 7 batches per epoch.
    expect(batches).toHaveLength(35);
    expect(batches[6]).toMatchObject({ epoch: 1, batch: 7, batches: 7 });
    expect(batches.every((b) => Number.isFinite(b.loss) && b.imagesPerSec > 0)).toBe(true);
    // Epoch 1 creates Adam's moments and the best-weight copy; after that nothing may pile up.
    expect(new Set(atEpochEnd.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    const first = result.history[0];
    const last = result.history.at(-1);
    expect(last?.valLoss).toBeLessThan(first?.valLoss ?? 0);
    expect(last?.valAcc).toBeGreaterThan(0.8);
    model.dispose();
  });

  test('plateau halves the rate and early stopping ends the run, restoring the best weights', async () => {
    const model = tinyCnn(2);
    const changes: LrChange[] = [];
    // A tiny rate keeps val loss flat; a large minDelta makes every later epoch "no improvement".
    const config = quickConfig({
      epochs: 10,
      learningRate: 1e-7,
      augmentation: { rotationDeg: 0, horizontalFlip: false, zoom: 0, shift: 0 },
      earlyStopping: { patience: 3, minDelta: 0.5 },
      reduceLrOnPlateau: { patience: 1, factor: 0.5, minDelta: 0.5, minLr: 1e-9 },
    });
    let bestWeights: number[] = [];
    const result = await train(model, barData(8), config, {
      onLrChange: (c) => changes.push(c),
      onEpochEnd: (m) => {
        if (m.epoch === 1) bestWeights = Array.from(model.getWeights()[0]?.dataSync() ?? []);
      },
    });
    expect(result.status).toBe('early-stopped');
    expect(result.epochsDone).toBe(4);
    expect(result.bestEpoch).toBe(1);
    expect(result.message).toMatch(/val_loss did not improve for 3 epochs/);
    expect(changes.map((c) => [c.epoch, c.to])).toEqual([
      [2, 5e-8],
      [3, 2.5e-8],
      [4, 1.25e-8],
    ]);
    expect(result.history.map((m) => m.lr)).toEqual([1e-7, 1e-7, 5e-8, 2.5e-8]);
    expect(result.restoredBest).toBe(true);
    expect(Array.from(model.getWeights()[0]?.dataSync() ?? [])).toEqual(bestWeights);
    model.dispose();
  });

  test('an AbortSignal from a timer gets through between batches and stops cleanly', async () => {
    const model = tinyCnn(3);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let batches = 0;
    setTimeout(() => controller.abort(), 150);
    const result = await train(
      model,
      barData(20),
      quickConfig({ epochs: 200, batchSize: 8 }),
      { onBatchEnd: () => batches++ },
      { signal: controller.signal },
    );
    expect(result.status).toBe('stopped');
    expect(result.message).toMatch(/Stopped by request during epoch \d+/);
    expect(result.epochsDone).toBeLessThan(200);
    expect(batches).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  test('NaN loss stops with epoch and batch named, and the last good checkpoint stays', async () => {
    const runDir = join(dir, 'nan');
    const model = tinyCnn(4);
    const result = await train(model, barData(10), quickConfig({ epochs: 5 }), {
      onBatchEnd: (b) => {
        // Corrupt one weight after epoch 2's first batch: batch 2 then has a NaN loss.
        if (b.epoch === 2 && b.batch === 1) {
          const conv = model.layers[1];
          const [kernel, bias] = conv?.getWeights() ?? [];
          if (!conv || !kernel || !bias) throw new Error('no conv layer');
          const poisoned = kernel.dataSync().slice();
          poisoned[0] = Number.NaN;
          const replacement = tf.tensor(poisoned, kernel.shape);
          conv.setWeights([replacement, bias]);
          replacement.dispose();
        }
      },
      onCheckpoint: checkpointTo(runDir),
    });
    expect(result.status).toBe('nan');
    expect(result.message).toMatch(/Loss became NaN at epoch 2, batch 2 of 4/);
    expect(result.message).toMatch(/Last good checkpoint: epoch 1/);
    expect(result.lastCheckpointEpoch).toBe(1);
    expect(result.epochsDone).toBe(1);
    const latest = JSON.parse(await readFile(join(runDir, 'latest.json'), 'utf8')) as {
      epoch: number;
    };
    expect(latest.epoch).toBe(1);
    const checkpoint = await loadCheckpoint(runDir);
    expect(checkpoint.state.epochsDone).toBe(1);
    for (const w of checkpoint.model.getWeights())
      expect(w.dataSync().every(Number.isFinite)).toBe(true);
    checkpoint.model.dispose();
    tf.dispose(checkpoint.bestWeights ?? []);
    model.dispose();
  });

  test('without a validation split the run monitors the training loss and says why', async () => {
    const model = tinyCnn(5);
    const result = await train(model, barData(1), quickConfig({ epochs: 1 }));
    expect(result.split).toEqual({ train: 7, validation: 0 });
    expect(result.monitor).toBe('loss');
    expect(result.warnings.join(' ')).toMatch(/validation/);
    expect(result.history[0]?.valLoss).toBeNull();
    model.dispose();
  });
});
