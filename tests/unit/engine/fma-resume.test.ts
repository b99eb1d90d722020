import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../app/engine/backend.ts';
import { fmaCalls } from '../../../app/engine/fma/index.ts';
import { fmaSplits, setFmaThreads } from '../../../app/engine/fma/threads.ts';
import { checkpointTo, resumeTraining } from '../../../app/training/checkpoint.ts';
import { train } from '../../../app/training/train.ts';
import { findModel } from '../../../models/index.ts';
import { barData, quickConfig } from '../training/helpers.ts';

let dir: string;
beforeAll(async () => {
  const info = await selectBackend('wasm', undefined, { wasmThreads: 1 });
  expect(info.label).toContain('FMA convolutions');
  // Two FMA threads, so the split (and the filter gradient's sum of two partials) is covered too.
  setFmaThreads(2);
  dir = await mkdtemp(join(tmpdir(), 'fer-fma-resume-'));
});
afterAll(async () => {
  setFmaThreads(1);
  await rm(dir, { recursive: true, force: true });
});

const served = () => [...fmaCalls.fma.values()].reduce((a, b) => a + b, 0);

describe('the default model on the FMA kernels', () => {
  it('compact-cnn-w24: a resumed run repeats the uninterrupted one bit for bit', async () => {
    const data = barData(6);
    const config = quickConfig({ epochs: 2, batchSize: 8, learningRate: 3e-3, seed: 2 });
    const build = () => findModel('compact-cnn-w24')!.build();
    const [calls, splits] = [served(), fmaSplits()];
    const modelA = build();
    const start = modelA.getWeights().map((w) => w.clone());
    const straight: number[] = [];
    await train(modelA, data, config, { onBatchEnd: (b) => void straight.push(b.loss) });
    expect(straight.every(Number.isFinite)).toBe(true);
    expect(served()).toBeGreaterThan(calls);
    expect(fmaSplits()).toBeGreaterThan(splits);

    const runDir = join(dir, 'b');
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
    expect([...first, ...rest]).toEqual(straight);
    const wa = modelA.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = resumed.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wb).toEqual(wa);
    tf.dispose(start);
    resumed.model.dispose();
    modelA.dispose();
  });
});
