import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../app/engine/backend.ts';
import { checkpointTo, resumeTraining } from '../../../app/training/checkpoint.ts';
import { train } from '../../../app/training/train.ts';
import { findModel } from '../../../models/index.ts';
import { barData, quickConfig } from '../training/helpers.ts';

let dir: string;
beforeAll(async () => {
  const info = await selectBackend('wasm', undefined, { wasmThreads: 1 });
  expect(info.name).toBe('wasm');
  dir = await mkdtemp(join(tmpdir(), 'fer-depthwise-models-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('separable residual models train and resume on wasm with the depthwise kernels', () => {
  // xception-fer-w1 is mini-Xception plus dropout: the masks must repeat on resume too.
  it('xception-fer-w1: a resumed run repeats the uninterrupted one exactly', async () => {
    const data = barData(6);
    const config = quickConfig({ epochs: 2, batchSize: 8, learningRate: 3e-3, seed: 4 });
    const build = () => findModel('xception-fer-w1')!.build();
    const modelA = build();
    const start = modelA.getWeights().map((w) => w.clone());
    const straight: number[] = [];
    const resultA = await train(modelA, data, config, {
      onBatchEnd: (b) => void straight.push(b.loss),
    });
    expect(resultA.epochsDone).toBe(2);
    expect(straight.every(Number.isFinite)).toBe(true);

    const runDir = join(dir, 'b');
    // Same starting weights for both runs.
    const modelB = build();
    modelB.setWeights(start);
    const controller = new AbortController();
    const first: number[] = [];
    await train(
      modelB,
      data,
      config,
      {
        onBatchEnd: (b) => void first.push(b.loss),
        onEpochEnd: (m) => {
          if (m.epoch === 1) controller.abort();
        },
        onCheckpoint: checkpointTo(runDir),
      },
      { signal: controller.signal },
    );
    modelB.dispose();
    const rest: number[] = [];
    const resumed = await resumeTraining(runDir, data, {
      onBatchEnd: (b) => void rest.push(b.loss),
    });
    expect(resumed.epochsDone).toBe(2);
    expect([...first, ...rest]).toEqual(straight);
    const wa = modelA.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = resumed.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wb).toEqual(wa);
    tf.dispose(start);
    resumed.model.dispose();
    modelA.dispose();
  });
});
