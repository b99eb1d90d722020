import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES, IMAGE_SIZE, PIXELS_PER_IMAGE } from '../contract/classes.ts';
import { selectBackend } from '../engine/backend.ts';
import { MODELS } from '../../models/index.ts';
import { fileIoHandler } from '../training/fs-io.ts';
import { train } from '../training/train.ts';
import type { EvalMessage, EvalRequest } from './eval-protocol.ts';

const port = parentPort;
if (!port) throw new Error('eval-worker.ts runs as a worker thread.');
const post = (message: EvalMessage, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);
const K = CLASS_NAMES.length;
const BATCH = 256;

class ModelUnreadable extends Error {}

/** Softmax outputs for every image, in batches so memory stays flat on a 35k catalogue. */
async function predictAll(
  model: tf.LayersModel,
  pixels: Uint8Array,
  onBatch: (done: number) => void,
): Promise<Float32Array> {
  const n = pixels.length / PIXELS_PER_IMAGE;
  const out = new Float32Array(n * K);
  for (let start = 0; start < n; start += BATCH) {
    const size = Math.min(BATCH, n - start);
    const xs = new Float32Array(size * PIXELS_PER_IMAGE);
    const base = start * PIXELS_PER_IMAGE;
    for (let j = 0; j < xs.length; j++) xs[j] = (pixels[base + j] ?? 0) / 255;
    const probs = tf.tidy(
      () =>
        model.predict(tf.tensor4d(xs, [size, IMAGE_SIZE, IMAGE_SIZE, 1]), {
          batchSize: size,
        }) as tf.Tensor,
    );
    out.set(await probs.data(), start * K);
    probs.dispose();
    onBatch(start + size);
  }
  return out;
}

async function predict(request: Extract<EvalRequest, { type: 'predict' }>): Promise<Float32Array> {
  await selectBackend(request.backend);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(fileIoHandler(request.modelDir));
  } catch (error) {
    throw new ModelUnreadable((error as Error).message);
  }
  const n = request.pixels.length / PIXELS_PER_IMAGE;
  try {
    const shape = model.outputs[0]?.shape;
    if (shape?.[shape.length - 1] !== K)
      throw new ModelUnreadable(`the model outputs ${String(shape)}, not ${K} class scores`);
    return await predictAll(model, request.pixels, (done) =>
      post({ type: 'progress', seq: request.seq, done, total: n, fold: null }),
    );
  } finally {
    model.dispose();
  }
}

function subset(pixels: Uint8Array, labels: Uint8Array, indices: number[]) {
  const p = new Uint8Array(indices.length * PIXELS_PER_IMAGE);
  const l = new Uint8Array(indices.length);
  indices.forEach((i, k) => {
    p.set(pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE), k * PIXELS_PER_IMAGE);
    l[k] = labels[i] ?? 0;
  });
  return { pixels: p, labels: l };
}

/** Trains a fresh model per fold on the other folds and predicts the held-out one. */
async function crossValidate(
  request: Extract<EvalRequest, { type: 'cross-validate' }>,
): Promise<Float32Array> {
  await selectBackend(request.backend);
  const entry = MODELS[request.config.model];
  if (!entry) throw new Error(`Unknown model "${request.config.model}".`);
  const { pixels, labels, folds, foldCount, epochs, seq } = request;
  const config = { ...request.config, epochs, validationFraction: 0 };
  const members = Array.from({ length: foldCount }, () => ({
    train: [] as number[],
    held: [] as number[],
  }));
  folds.forEach((f, i) => {
    members.forEach((m, g) => (g === f ? m.held : m.train).push(i));
  });
  const batchesPerFold = members.map((m) => epochs * Math.ceil(m.train.length / config.batchSize));
  const total = batchesPerFold.reduce((a, b) => a + b, 0);
  const out = new Float32Array(labels.length * K);
  let before = 0;
  for (let f = 0; f < foldCount; f++) {
    const { train: trainIdx, held } = members[f] as { train: number[]; held: number[] };
    const model = entry.build();
    try {
      await train(model, subset(pixels, labels, trainIdx), config, {
        onBatchEnd: (b) =>
          post({
            type: 'progress',
            seq,
            done: before + (b.epoch - 1) * b.batches + b.batch,
            total,
            fold: f + 1,
          }),
      });
      const heldOut = subset(pixels, labels, held);
      const probs = await predictAll(model, heldOut.pixels, () => {});
      held.forEach((i, k) => out.set(probs.subarray(k * K, (k + 1) * K), i * K));
    } finally {
      model.dispose();
    }
    before += batchesPerFold[f] ?? 0;
  }
  return out;
}

port.on('message', (request: EvalRequest) => {
  const job = request.type === 'predict' ? predict(request) : crossValidate(request);
  job.then(
    (probs) => post({ type: 'result', seq: request.seq, probs }, [probs.buffer as ArrayBuffer]),
    (error: unknown) =>
      post({
        type: 'error',
        seq: request.seq,
        reason: error instanceof ModelUnreadable ? 'model-unreadable' : 'failed',
        message: error instanceof Error ? error.message : String(error),
      }),
  );
});
