import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  checkpointTo,
  loadBestModel,
  loadCheckpoint,
  resumeTraining,
} from '../../../app/training/checkpoint.ts';
import { nodeFs } from '../../../app/training/fs-io.ts';
import type { FileSystem } from '../../../app/training/fs-io.ts';
import { train } from '../../../app/training/train.ts';
import { barData, quickConfig, tinyCnn, useCpu } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(join(tmpdir(), 'fer-ckpt-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// Imbalanced, with augmentation and class weights on: resume must restore the RNG and weights too.
const data = barData([12, 6, 12, 12, 12, 12, 12]);
const config = quickConfig({ epochs: 4, batchSize: 8, learningRate: 5e-3 });

const latestEpoch = async (runDir: string) =>
  (JSON.parse(await readFile(join(runDir, 'latest.json'), 'utf8')) as { epoch: number }).epoch;

describe('checkpoint and resume', () => {
  // With dropout, the masks too must repeat: they are drawn from the run's RNG.
  test.each([0, 0.5])(
    'a resumed run (dropout %s) continues with exactly the losses of an uninterrupted one',
    async (dropout) => {
      const straight: number[][] = [];
      const modelA = tinyCnn(7, dropout);
      const resultA = await train(modelA, data, config, {
        onBatchEnd: (b) => (straight[b.epoch] ??= []).push(b.loss),
        onCheckpoint: checkpointTo(join(dir, `a-${dropout}`)),
      });
      expect(resultA.epochsDone).toBe(4);

      const runDir = join(dir, `b-${dropout}`);
      const controller = new AbortController();
      const modelB = tinyCnn(7, dropout);
      const stopped = await train(
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
      expect(stopped.status).toBe('stopped');
      expect(await latestEpoch(runDir)).toBe(2);
      modelB.dispose();

      const resumedLosses: number[][] = [];
      const before = tf.memory().numTensors;
      const resumed = await resumeTraining(runDir, data, {
        onBatchEnd: (b) => (resumedLosses[b.epoch] ??= []).push(b.loss),
      });
      expect(resumed.status).toBe('completed');
      expect(resumed.history.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
      // Same float, not just close: the first batch after resume and every one after it.
      expect(resumedLosses[3]?.[0]).toBe(straight[3]?.[0]);
      expect(resumedLosses.slice(3)).toEqual(straight.slice(3));
      expect(resumed.history).toEqual(
        resultA.history.map((m, i) => ({
          ...m,
          seconds: resumed.history[i]?.seconds,
          imagesPerSec: resumed.history[i]?.imagesPerSec,
        })),
      );
      const wa = modelA.getWeights().map((w) => Array.from(w.dataSync()));
      const wb = resumed.model.getWeights().map((w) => Array.from(w.dataSync()));
      expect(wb).toEqual(wa);
      expect(await latestEpoch(runDir)).toBe(4);
      // The loaded model and its weights are the only new tensors.
      expect(tf.memory().numTensors - before).toBe(resumed.model.weights.length);
      resumed.model.dispose();
      modelA.dispose();
    },
  );

  test('the best model of a run loads with the best epoch’s weights', async () => {
    const runDir = join(dir, 'best');
    const model = tinyCnn(8);
    let atBest: number[][] = [];
    const result = await train(model, data, quickConfig({ epochs: 3 }), {
      onCheckpoint: async (snapshot) => {
        await checkpointTo(runDir)(snapshot);
        if (snapshot.improved) atBest = model.getWeights().map((w) => Array.from(w.dataSync()));
      },
    });
    const best = await loadBestModel(runDir);
    expect(best.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(atBest);
    expect(result.bestEpoch).not.toBeNull();
    best.dispose();
    model.dispose();
  });

  test('a failed write (disk full) leaves latest at the previous complete checkpoint', async () => {
    const runDir = join(dir, 'full');
    let epoch = 0;
    const failing: FileSystem = {
      ...nodeFs,
      writeFile: async (path, bytes) => {
        if (epoch === 2 && path.endsWith('optimizer.bin')) {
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
            code: 'ENOSPC',
          });
        }
        await nodeFs.writeFile(path, bytes);
      },
    };
    const model = tinyCnn(9);
    const result = await train(model, data, quickConfig({ epochs: 4 }), {
      onEpochEnd: (m) => {
        epoch = m.epoch;
      },
      onCheckpoint: checkpointTo(runDir, failing),
    });
    expect(result.status).toBe('checkpoint-failed');
    expect(result.message).toMatch(/epoch 2 failed \(ENOSPC.*still epoch 1/);
    expect(result.epochsDone).toBe(2);
    expect(await latestEpoch(runDir)).toBe(1);
    const entries = await readdir(runDir);
    expect(entries.filter((e) => e.startsWith('.tmp-'))).toEqual([]);
    expect(entries.filter((e) => e.startsWith('epoch-'))).toHaveLength(1);
    const checkpoint = await loadCheckpoint(runDir);
    expect(checkpoint.state.epochsDone).toBe(1);
    checkpoint.model.dispose();
    tf.dispose(checkpoint.bestWeights ?? []);
    model.dispose();
  });

  test('resuming a directory without a checkpoint says so', async () => {
    await expect(resumeTraining(join(dir, 'nothing'), data)).rejects.toThrow(/No checkpoint in/);
  });
});
