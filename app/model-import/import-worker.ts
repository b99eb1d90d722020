import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { PIXELS_PER_IMAGE } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import { selectBackend } from '../engine/backend.ts';
import {
  preprocessingSchema,
  toModelInput,
  toStudioProbabilities,
  type Preprocessing,
} from '../preprocessing/index.ts';
import { fileIoHandler, MODEL_FILE } from '../training/fs-io.ts';
import { openModel, type OpenedModel } from './build.ts';
import { resolveClassOrder } from './classes.ts';
import type { ImportJob, ImportReply, ModelFacts } from './import-protocol.ts';

const port = parentPort;
if (!port) throw new Error('import-worker.ts runs as a worker thread.');
const BATCH = 64;
const progress = (fraction: number, stage: string) =>
  port.postMessage({ type: 'progress', fraction, stage } satisfies ImportReply);

/** The record the run keeps: input size from the model, range and class order from the user. */
function describe(opened: OpenedModel, job: ImportJob): { facts: ModelFacts; p: Preprocessing } {
  const [inputHeight, inputWidth, channels] = opened.topology.inputShape;
  const notes = [...opened.topology.notes];
  const first = opened.topology.layers.find((l) => l.className !== 'InputLayer');
  let range = job.inputRange;
  if (!range) {
    // Rescaling first means the model scales raw pixels itself.
    range = first?.className === 'Rescaling' ? '0,255' : '0,1';
    if (range === '0,255')
      notes.push('The model starts with Rescaling: it is given raw 0–255 pixels.');
  }
  const p = preprocessingSchema.parse({
    inputHeight,
    inputWidth,
    channels: channels as 1 | 3,
    range,
    classOrder: resolveClassOrder(opened.outputs, job.classes),
  });
  const facts: ModelFacts = {
    format: opened.source.format,
    detail: opened.source.detail,
    inputShape: opened.topology.inputShape,
    classes: p.classOrder,
    range: p.range,
    layers: opened.topology.layers.filter((l) => l.className !== 'InputLayer').length,
    params: opened.params,
    notes,
  };
  return { facts, p };
}

/** Studio-order probabilities for stored images, in batches. */
async function predictPixels(
  model: tf.LayersModel,
  pixels: Uint8Array,
  p: Preprocessing,
  onBatch: (done: number, total: number) => void,
) {
  const count = pixels.length / PIXELS_PER_IMAGE;
  const parts: Float32Array[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const size = Math.min(BATCH, count - start);
    const xs = toModelInput(
      pixels.subarray(start * PIXELS_PER_IMAGE, (start + size) * PIXELS_PER_IMAGE),
      p,
    );
    const out = tf.tidy(
      () =>
        model.predict(
          tf.tensor4d(xs, [size, p.inputHeight, p.inputWidth, p.channels]),
        ) as tf.Tensor,
    );
    parts.push(toStudioProbabilities(await out.data<'float32'>(), p));
    out.dispose();
    onBatch(start + size, count);
  }
  const probs = new Float32Array(parts.reduce((n, a) => n + a.length, 0));
  parts.reduce((offset, a) => (probs.set(a, offset), offset + a.length), 0);
  return probs;
}

async function run(job: ImportJob): Promise<ImportReply> {
  progress(0.02, 'starting');
  await selectBackend(job.backend);
  progress(0.2, 'reading the model');
  const opened = await openModel(job.path);
  try {
    const { facts, p } = describe(opened, job);
    progress(0.5, 'predicting');
    const probs = await predictPixels(opened.model, job.pixels, p, (done, total) =>
      progress(0.5 + (0.4 * done) / total, `predicting ${done} of ${total} images`),
    );
    if (job.stageDir) {
      progress(0.9, 'saving');
      await opened.model.save(fileIoHandler(job.stageDir));
    }
    const isDir = (await stat(job.path)).isDirectory();
    const bytes =
      opened.bytes ?? (await readFile(isDir ? path.join(job.path, MODEL_FILE) : job.path));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { type: 'result', facts, preprocessing: p, probs, fileName: opened.fileName, sha256 };
  } finally {
    opened.model.dispose();
  }
}

port.once('message', (job: ImportJob) => {
  run(job).then(
    (reply) =>
      port.postMessage(reply, reply.type === 'result' ? [reply.probs.buffer as ArrayBuffer] : []),
    (error: unknown) =>
      port.postMessage({
        type: 'error',
        code: error instanceof StudioError ? error.code : 'bad-request',
        message: error instanceof Error ? error.message : String(error),
      } satisfies ImportReply),
  );
});
